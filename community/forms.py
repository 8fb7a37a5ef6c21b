import uuid

from django import forms
from django.conf import settings
from markdownx.fields import MarkdownxFormField

from core.markdown import mentioned_handles, render


class ReflectionForm(forms.Form):
    """A reflection, a reply or an edit: Markdown text plus a key that makes double-posts harmless."""

    body = MarkdownxFormField(
        label="Your reflection",
        strip=True,
        required=False,  # checked in clean_body with a friendlier message
        help_text="Markdown works: **bold**, *italic*, lists (1. or -), > quotes, [links](https://…), @handle.",
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, label: str | None = None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label
        widget = self.fields["body"].widget
        # No maxlength: a browser would silently cut pasted text; the server explains instead.
        widget.attrs.update({"rows": 6})

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body", "")
        if not body.strip():
            raise forms.ValidationError("Write something before posting — your reflection is empty.")
        limit = settings.REFLECTION_MAX_LENGTH
        if len(body) > limit:
            raise forms.ValidationError(
                f"Your text is {len(body):,} characters long; the limit is {limit:,}. "
                "Shorten it a little and post again — nothing you wrote has been lost."
            )
        rendering = render(body)
        if not rendering.has_visible_text:
            raise forms.ValidationError(
                "Your reflection has no visible text — only spaces, invisible characters or formatting. "
                "Add some words and post again; what you typed is still here."
            )
        links, link_limit = rendering.link_count, settings.MAX_LINKS_PER_POST
        if links > link_limit:
            raise forms.ValidationError(
                f"Your post has {links:,} links; the limit is {link_limit:,}. "
                "Remove some and post again — nothing you wrote has been lost."
            )
        mentions, mention_limit = len(mentioned_handles(body)), settings.MAX_MENTIONS_PER_POST
        if mentions > mention_limit:
            raise forms.ValidationError(
                f"Your post mentions {mentions:,} people; the limit is {mention_limit:,}. "
                "Mention fewer @handles and post again — nothing you wrote has been lost."
            )
        return body


class ReflectionEditForm(ReflectionForm):
    """An edit: the text plus the version of the post the editor started from (``body_version``
    of the saved text when the page was opened), so a save from a stale tab can be caught."""

    base_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class LikeReasonForm(forms.Form):
    """ "What helped you?": optional, one short line (an empty reason takes it back)."""

    reason = forms.CharField(
        label="What helped you?",
        required=False,
        strip=True,
        max_length=140,
        help_text="Optional, at most 140 characters. Only the author sees it; others see the like count.",
        error_messages={
            "max_length": "Keep it to %(limit_value)d characters (it has %(show_value)d): "
            "shorten it and save again."
        },
    )

    def __init__(self, *args, post_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if post_id is not None:
            self.auto_id = f"id_%s_{post_id}"  # one form per liked post on the page: unique ids

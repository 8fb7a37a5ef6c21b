import uuid

from django import forms
from django.conf import settings
from markdownx.fields import MarkdownxFormField

from community.models import Flag


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
        return body


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What’s wrong with this post?", choices=Flag.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Anything the moderators should know? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="Shown to the author when a post is hidden, and kept in the moderation log.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label="Note for the log (optional)", required=False, max_length=500)


class ModeratorEditForm(ReflectionForm):
    reason = forms.CharField(label="Why you are editing (kept in the log)", max_length=500)


SUSPENSION_PERIODS = [("1", "1 day"), ("3", "3 days"), ("7", "1 week"), ("30", "30 days"), ("365", "1 year")]


class SuspensionForm(forms.Form):
    days = forms.TypedChoiceField(label="For how long", choices=SUSPENSION_PERIODS, coerce=int, initial="7")
    reason = forms.CharField(
        label="Reason (the member sees it)", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

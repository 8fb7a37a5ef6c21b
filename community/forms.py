import uuid

from django import forms
from django.conf import settings
from markdownx.fields import MarkdownxFormField


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

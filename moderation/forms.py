from django import forms

from community.forms import ReflectionForm
from moderation.models import Flag


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
    content_note = None  # the author's own choice (issue 23): a moderator's edit keeps it
    reason = forms.CharField(label="Why you are editing (kept in the log)", max_length=500)


SUSPENSION_PERIODS = [("1", "1 day"), ("3", "3 days"), ("7", "1 week"), ("30", "30 days"), ("365", "1 year")]


class SuspensionForm(forms.Form):
    days = forms.TypedChoiceField(label="For how long", choices=SUSPENSION_PERIODS, coerce=int, initial="7")
    reason = forms.CharField(
        label="Reason (the member sees it)", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

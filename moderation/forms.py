from django import forms
from django.utils.translation import gettext_lazy as _

from community.forms import ReflectionForm
from moderation.models import Flag


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What’s wrong with this post?"), choices=Flag.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything the moderators should know? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Shown to the author when a post is hidden, and kept in the moderation log."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Note for the log (optional)"), required=False, max_length=500)


class ModeratorEditForm(ReflectionForm):
    content_note = None  # the author's own choice (issue 23): a moderator's edit keeps it
    reason = forms.CharField(label=_("Why you are editing (kept in the log)"), max_length=500)


SUSPENSION_PERIODS = [
    ("1", _("1 day")),
    ("3", _("3 days")),
    ("7", _("1 week")),
    ("30", _("30 days")),
    ("365", _("1 year")),
]


class SuspensionForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("For how long"), choices=SUSPENSION_PERIODS, coerce=int, initial="7"
    )
    reason = forms.CharField(
        label=_("Reason (the member sees it)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

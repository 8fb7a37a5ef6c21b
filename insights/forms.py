from django import forms
from django.utils.translation import gettext_lazy as _

from insights.models import Nudge


class CohortFilterForm(forms.Form):
    cohort = forms.TypedChoiceField(label=_("Cohort"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("All cohorts")), *((c.pk, c.label) for c in cohorts)]


class NudgeForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=Nudge.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent as a notice and, by each learner's settings, an email. At most 300 characters."),
        error_messages={"required": _("Write a short message for your learners.")},
    )
    learners = forms.TypedMultipleChoiceField(
        label=_("Learners to remind"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one learner to remind.")},
    )

    def __init__(self, *args, learners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].choices = [(row.user_id, row.name) for row in learners]

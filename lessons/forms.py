from django import forms
from django.utils.translation import gettext_lazy as _

from lessons.models import Cohort


class InvitationUploadForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), empty_label=None, label=_("Cohort"))
    addresses = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One per line (commas and spaces also separate them). Members with one of these "
            "addresses are enrolled now; everyone else receives an invitation email."
        ),
        max_length=50_000,
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts

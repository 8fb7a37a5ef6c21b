from django import forms

from notifications.kinds import Delivery, Group


class PreferencesForm(forms.Form):
    """One choice per group of notices: how to hear about it by email."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for group in Group:
            self.fields[group.value] = forms.ChoiceField(
                label=group.label,
                choices=Delivery.choices,
                initial=current[group.value],
                widget=forms.RadioSelect,
            )

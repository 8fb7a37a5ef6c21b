from django import forms

from learning_records.models import RecordSettings


class ConsentForm(forms.ModelForm):
    class Meta:
        model = RecordSettings
        fields = ["share_reflection_text", "share_like_reasons"]

from django import forms

from search.services import SORTS


class SearchForm(forms.Form):
    """The search page's form (GET). The words are never refused for their length: the view cuts
    them (``clean_query``) and says so. A filter that does not validate is left out of the search
    and shown with its error; the rest still applies."""

    q = forms.CharField(label="Search for", required=False, strip=True)
    course = forms.TypedChoiceField(label="Course", required=False, coerce=int, empty_value=None)
    lesson = forms.TypedChoiceField(label="Lesson", required=False, coerce=int, empty_value=None)
    author = forms.CharField(
        label="Author", required=False, max_length=100, help_text="A name, or an @handle."
    )
    mine = forms.BooleanField(label="Only what I wrote", required=False)
    sort = forms.ChoiceField(label="Order", required=False, choices=list(SORTS.items()))

    def __init__(self, *args, courses=(), lessons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", "Any course"), *courses]
        self.fields["lesson"].choices = [("", "Any lesson"), *lessons]
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        # "from" and "to" are the parameters' names in the address; Python needs them set this way.
        self.fields["from"] = forms.DateField(label="From", required=False, widget=date_input)
        self.fields["to"] = forms.DateField(label="To", required=False, widget=date_input)

    def clean(self):
        data = super().clean()
        since, until = data.get("from"), data.get("to")
        if since and until and since > until:
            self.add_error("to", "The end date is before the start date.")
        return data

    def value(self, name: str):
        """A field's valid value, or None (a field with an error is left out of the search)."""
        return self.cleaned_data.get(name) if name not in self.errors else None

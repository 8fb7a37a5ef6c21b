from django import forms

from core.forms import DateRangeMixin
from search.services import SORTS


class SearchForm(DateRangeMixin, forms.Form):
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
        self.add_date_range()

    def filter_fields(self) -> list:
        return [self[name] for name in ("course", "lesson", "author", "from", "to")]

    def value(self, name: str):
        """A field's valid value, or None (a field with an error is left out of the search)."""
        return self.cleaned_data.get(name) if name not in self.errors else None

import re

from django import forms

from search.services import SORTS


class DateInput(forms.DateInput):
    """``<input type="date">``: the browser's date picker, no JavaScript. A value that is not a
    date is shown as empty (the field's error says why), since a date input may hold no other."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None
        return super().format_value(value)


class DateRangeMixin:
    """The "from" and "to" date filters of a GET form (the search page, the learning log) and the
    check that the range runs forwards. The fields are added by ``add_date_range()`` in
    ``__init__``: "from" is a Python keyword, so it cannot be a class attribute."""

    date_errors: dict = {}

    def add_date_range(self) -> None:
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.DateField(
                label=label, required=False, widget=DateInput(), error_messages=self.date_errors
            )

    def clean(self):
        data = super().clean()
        since, until = data.get("from"), data.get("to")
        if since and until and since > until:
            self.add_error("to", "The end date is before the start date.")
        return data


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

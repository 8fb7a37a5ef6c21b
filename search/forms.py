from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateRangeMixin
from search.services import SORTS


class SearchForm(DateRangeMixin, forms.Form):
    """The search page's form (GET). The words are never refused for their length: the view cuts
    them (``clean_query``) and says so. A filter that does not validate is left out of the search
    and shown with its error; the rest still applies."""

    q = forms.CharField(label=gettext_lazy("Search for"), required=False, strip=True)
    course = forms.TypedChoiceField(
        label=gettext_lazy("Course"), required=False, coerce=int, empty_value=None
    )
    lesson = forms.TypedChoiceField(
        label=gettext_lazy("Lesson"), required=False, coerce=int, empty_value=None
    )
    author = forms.CharField(
        label=gettext_lazy("Author"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("A name, or an @handle."),
    )
    mine = forms.BooleanField(label=gettext_lazy("Only what I wrote"), required=False)
    # Translators: the label of the search results' sort order.
    sort = forms.ChoiceField(label=gettext_lazy("Order"), required=False, choices=list(SORTS.items()))

    def __init__(self, *args, courses=(), lessons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", _("Any course")), *courses]
        self.fields["lesson"].choices = [("", _("Any lesson")), *lessons]
        self.add_date_range()

    def filter_fields(self) -> list:
        return [self[name] for name in ("course", "lesson", "author", "from", "to")]

    def value(self, name: str):
        """A field's valid value, or None (a field with an error is left out of the search)."""
        return self.cleaned_data.get(name) if name not in self.errors else None

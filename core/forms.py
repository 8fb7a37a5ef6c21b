"""Form pieces several apps share (the search page, the learning log). They live in the trunk so
that a leaf never imports another leaf's forms."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


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
        for name, label in (("from", pgettext("date range", "From")), ("to", pgettext("date range", "To"))):
            self.fields[name] = forms.DateField(
                label=label, required=False, widget=DateInput(), error_messages=self.date_errors
            )

    def clean(self):
        data = super().clean()
        since, until = data.get("from"), data.get("to")
        if since and until and since > until:
            self.add_error("to", _("The end date is before the start date."))
        return data

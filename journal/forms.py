from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateRangeMixin
from journal.queries import LogFilters


class LogFilterForm(DateRangeMixin, forms.Form):
    """The learning log's filters (GET): a course the member wrote in, and a range of days. The
    export links and the PDF form carry the same values, so a file holds what the page lists."""

    course = forms.TypedChoiceField(
        label=gettext_lazy("Course"), required=False, coerce=int, empty_value=None
    )
    date_errors = {"invalid": gettext_lazy("Enter a date as year-month-day, e.g. 2026-03-31.")}

    def __init__(self, *args, courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", _("All my courses")), *((c.pk, c.title) for c in courses)]
        self.fields["course"].error_messages["invalid_choice"] = _("Choose one of the courses you wrote in.")
        self.add_date_range()

    def filters(self) -> LogFilters:
        """The valid filters (call after ``is_valid()`` returned True)."""
        data = self.cleaned_data
        return LogFilters(course_id=data.get("course"), since=data.get("from"), until=data.get("to"))

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from facilitation.models import DEFAULT_WINDOW_HOURS

MAX_WINDOW_HOURS = 24 * 14


class HeardForm(forms.Form):
    enabled = forms.BooleanField(label=_("Every reflection gets a response"), required=False)
    window_hours = forms.IntegerField(
        label=_("Response window (hours)"),
        min_value=1,
        max_value=MAX_WINDOW_HOURS,
        initial=DEFAULT_WINDOW_HOURS,
        help_text=_(
            "If nobody has replied within this time, the reflection is offered to another colleague."
        ),
    )


class SummaryForm(forms.Form):
    body = forms.CharField(
        label=_("Summary: what the group learned"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text=_("Markdown. Everyone who reflected here is told when you first publish it."),
    )
    quoted = forms.TypedMultipleChoiceField(
        label=_("Quote reflections"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only reflections shared with the whole course are listed."),
    )

    def __init__(self, *args, quotable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quoted"].choices = [(post.pk, post.quote_label) for post in quotable]


class FromLibraryForm(forms.Form):
    lesson = forms.TypedChoiceField(label=_("Lesson"), coerce=int)

    def __init__(self, *args, lessons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].choices = [
            (
                lesson.pk,
                # Translators: a choice of lesson: the course's title, the lesson's number and title.
                gettext("%(course)s: Lesson %(number)s, %(title)s")
                % {"course": lesson.course.title, "number": lesson.number, "title": lesson.title},
            )
            for lesson in lessons
        ]

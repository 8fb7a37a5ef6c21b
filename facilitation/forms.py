from django import forms

from facilitation.models import DEFAULT_WINDOW_HOURS

MAX_WINDOW_HOURS = 24 * 14


class HeardForm(forms.Form):
    enabled = forms.BooleanField(label="Every reflection gets a response", required=False)
    window_hours = forms.IntegerField(
        label="Response window (hours)",
        min_value=1,
        max_value=MAX_WINDOW_HOURS,
        initial=DEFAULT_WINDOW_HOURS,
        help_text="If nobody has replied within this time, the reflection is offered to another colleague.",
    )


class SummaryForm(forms.Form):
    body = forms.CharField(
        label="Summary: what the group learned",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text="Markdown. Everyone who reflected here is told when you first publish it.",
    )
    quoted = forms.TypedMultipleChoiceField(
        label="Quote reflections",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only reflections shared with the whole course are listed.",
    )

    def __init__(self, *args, quotable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quoted"].choices = [(post.pk, post.quote_label) for post in quotable]


class FromLibraryForm(forms.Form):
    lesson = forms.TypedChoiceField(label="Lesson", coerce=int)

    def __init__(self, *args, lessons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].choices = [
            (lesson.pk, f"{lesson.course.title}: Lesson {lesson.number}, {lesson.title}")
            for lesson in lessons
        ]

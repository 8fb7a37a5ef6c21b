"""The "Come back to this" choice: in the activity's composer (a ``community.composer_fields``
entry) and on the author's own post (``PlanForm``). Without JavaScript: radio buttons and a native
date field; "pick a date" is chosen by filling in the date."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community.composer_fields import ComposerField

WHEN_CHOICES = [
    ("", _("Not now")),
    ("7", _("In 1 week")),
    ("14", _("In 2 weeks")),
    ("30", _("In a month")),
    ("date", _("On the date I pick")),
]
MAX_DAYS_AHEAD = 366
# The section of each scaffold (community.scaffolds) that holds the learner's plan.
ACTION_PLAN_SECTIONS = {
    "gibbs": _("Action plan"),
    "kolb": _("Active experimentation"),
    "rolfe": _("Now what?"),
    "cpd": _("How will I apply it?"),
}


def due_date(when: str, on: date | None, *, today: date) -> date | None:
    """The day chosen: ``when`` days from ``today``, or ``on`` ("date", or a date filled in
    without choosing); None for "Not now"."""
    if on is not None and when in ("", "date"):
        return on
    if when and when.isdigit():
        return today + timedelta(days=int(when))
    return None


def check_choice(when: str, on: date | None, *, today: date) -> date | None:
    """The due day, or ``forms.ValidationError`` in words a member can act on."""
    if when == "date" and on is None:
        raise forms.ValidationError(gettext("Pick the date to come back to this, or choose “Not now”."))
    due = due_date(when, on, today=today)
    if due is not None and due <= today:
        raise forms.ValidationError(gettext("Pick a day after today: that is when Reflect asks how it went."))
    if due is not None and due > today + timedelta(days=MAX_DAYS_AHEAD):
        raise forms.ValidationError(gettext("Pick a day within the next year."))
    return due


def _fields() -> dict[str, forms.Field]:
    return {
        "come_back": forms.ChoiceField(
            label=_("Come back to this"), choices=WHEN_CHOICES, required=False, widget=forms.RadioSelect
        ),
        "come_back_on": forms.DateField(
            label=_("Pick a date"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": _("Enter the date as year-month-day, e.g. 2026-03-14.")},
        ),
    }


def _member_today() -> date:
    from django.utils import timezone

    return timezone.localdate()  # the member's time zone (accounts' middleware activates it)


def come_back_field(prompt) -> ComposerField:
    """Offered in every activity's composer: an action plan (Gibbs, Rolfe's "Now what?", CPD's
    "How will I apply it?") is what it is for, but any reflection may be come back to."""

    def clean(cleaned: dict) -> None:
        check_choice(cleaned.get("come_back") or "", cleaned.get("come_back_on"), today=_member_today())

    plan = ACTION_PLAN_SECTIONS.get(prompt.scaffold, "")
    return ComposerField(
        fields=_fields(),
        template="followthrough/_come_back_field.html",
        clean=clean,
        error_field="come_back_on",
        note=(
            # Translators: the section is the name of a scaffold's section, e.g. "Action plan".
            gettext("Your “%(section)s” section is a plan: choose a day to be asked how it went.")
            % {"section": plan}
            if plan
            else ""
        ),
    )


class PlanForm(forms.Form):
    """Set or change the day on one's own reflection."""

    def __init__(self, *args, post_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_fields())
        self.fields["come_back"].choices = WHEN_CHOICES[1:]
        self.fields["come_back"].required = False
        self.auto_id = f"id_%s_{post_id}"  # one form per own post on the page: unique ids

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        due = check_choice(cleaned.get("come_back") or "", cleaned.get("come_back_on"), today=_member_today())
        if due is None:
            raise forms.ValidationError(gettext("Choose when to come back to this."))
        cleaned["due_on"] = due
        return cleaned

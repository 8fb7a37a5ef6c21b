"""What the follow-through pages read, every post through the one read rule (``visible_to``)."""

from dataclasses import dataclass, field
from statistics import median

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from community.models import Like, Prompt, Reflection
from facilitation.models import HeardSettings, LibraryPrompt, LibraryRun, ResponseOffer, Summary
from lessons.models import Cohort, Enrolment, Lesson


def quotable(user, prompt: Prompt):
    """The reflections a summary may quote: top-level, live, shown, shared with the whole course
    (not private, not for the facilitators only), and readable by the facilitator writing it. A
    quote is shown to each reader through ``visible_to`` again (``space.add_follow_through``)."""
    return (
        Reflection.objects.visible_to(user)
        .counted()
        .filter(prompt=prompt, is_private=False, audience=Reflection.Audience.COURSE, hidden_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "id")
    )


def summary_of(prompt: Prompt) -> Summary | None:
    return Summary.objects.select_related("author").filter(prompt=prompt).first()


def open_offers(user, *, prompt: Prompt | None = None):
    """The member's open offers on posts they may still read, oldest first."""
    offers = ResponseOffer.objects.filter(
        offered_to_id=user.pk,
        state=ResponseOffer.State.OPEN,
        reflection__in=Reflection.objects.visible_to(user).values("pk"),
    )
    if prompt is not None:
        offers = offers.filter(prompt=prompt)
    return offers.select_related("reflection__author", "prompt__lesson__course").order_by("offered_at", "id")


def offer_states(prompt: Prompt) -> list[tuple[str, int]]:
    """How the activity's offers stand: (state's label, how many), in the states' order."""
    counts = dict(
        ResponseOffer.objects.filter(prompt=prompt)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return [(label, counts[state]) for state, label in ResponseOffer.State.choices if counts.get(state)]


def lessons_to_run_in(user):
    """Lessons of the courses ``user`` facilitates a cohort of (every lesson for a superuser)."""
    lessons = Lesson.objects.select_related("course").order_by("course__title", "position", "number")
    if user.is_superuser:
        return lessons
    return lessons.filter(course__in=Cohort.objects.facilitated_by(user).values("course_id"))


def library_of(user):
    return LibraryPrompt.objects.filter(owner_id=user.pk).order_by("title", "id")


# --- Per cohort: who reflected, who was heard, words, likes --------------------------------------------


def _cohort_of_author():
    """The cohort of a post's author in the post's course (a subquery over ``Reflection``)."""
    return Enrolment.objects.filter(
        user_id=OuterRef("author_id"), course_id=OuterRef("prompt__lesson__course_id")
    )


def posts_by_cohort(viewer, prompt_ids: list[int]) -> list[dict]:
    """One row per live top-level reflection the viewer may read in ``prompt_ids``: its prompt,
    the author's cohort, words, likes, likes with a reason, and the minutes to its first reply by
    someone else (None: unheard), and whether the activity asks for every reflection to be heard.
    One query."""
    replies = (
        Reflection.objects.visible_to(viewer)
        .filter(thread_id=OuterRef("pk"), deleted_at__isnull=True)
        .exclude(author_id=OuterRef("author_id"))
    )
    first_reply = replies.order_by().values("thread_id").annotate(first=Min("created_at")).values("first")
    reasons = (
        Like.objects.filter(reflection_id=OuterRef("pk"))
        .exclude(reason="")
        .order_by()
        .values("reflection_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Reflection.objects.visible_to(viewer)
        .counted()
        .filter(prompt_id__in=prompt_ids, is_private=False)
        .annotate(
            cohort_id=Subquery(_cohort_of_author().values("cohort_id")[:1]),
            first_reply_at=Subquery(first_reply[:1]),
            reasons=Coalesce(Subquery(reasons[:1], output_field=IntegerField()), 0),
            heard_on=Exists(HeardSettings.objects.filter(prompt_id=OuterRef("prompt_id"), enabled=True)),
            # Followed up by its author ("Come back to this", issue 25): a live follow-up the viewer reads.
            followed_up=Exists(
                Reflection.objects.visible_to(viewer).filter(follows_up_id=OuterRef("pk"), deleted_at__isnull=True)
            ),
        )
        .order_by()
        .values(
            "prompt_id", "cohort_id", "author_id", "created_at", "word_count", "like_count", "reasons",
            "first_reply_at", "heard_on", "followed_up",
        )
    )  # fmt: skip


@dataclass
class CohortFigures:
    cohort: str
    learners: int = 0
    reflected: int = 0  # distinct learners who reflected
    reflections: int = 0
    heard: int = 0
    minutes: list = field(default_factory=list)
    words: list = field(default_factory=list)
    likes: int = 0
    reasons: int = 0
    follow_ups: int = 0  # reflections their authors followed up

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.reflected / self.learners) if self.learners else None

    @property
    def heard_rate(self) -> int | None:
        return round(100 * self.heard / self.reflections) if self.reflections else None

    @property
    def median_words(self) -> int | None:
        return round(median(self.words)) if self.words else None

    @property
    def median_response(self) -> str:
        """Median time to the first response, in words ("3 h 20 min"); "—" when none was heard."""
        if not self.minutes:
            return "—"
        minutes = round(median(self.minutes))
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        if days:
            # Translators: a median time to the first response, abbreviated: days and hours.
            return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
        if hours:
            # Translators: a median time to the first response, abbreviated: hours and minutes.
            return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": mins}
        # Translators: a median time to the first response, abbreviated: minutes.
        return _("%(minutes)s min") % {"minutes": mins}


def figures(
    rows: list[dict], *, cohort_names: dict[int, str], learners: dict[int, int]
) -> list[CohortFigures]:
    """Rows of ``posts_by_cohort`` (one prompt's) per cohort, in ``cohort_names``' order; posts by
    members in none of them (facilitators) are left out."""
    by_cohort = {
        pk: CohortFigures(cohort=name, learners=learners.get(pk, 0)) for pk, name in cohort_names.items()
    }
    authors: dict[int, set] = {pk: set() for pk in cohort_names}
    for row in rows:
        shown = by_cohort.get(row["cohort_id"])
        if shown is None:
            continue
        authors[row["cohort_id"]].add(row["author_id"])
        shown.reflections += 1
        shown.words.append(row["word_count"])
        shown.likes += row["like_count"]
        shown.reasons += row["reasons"]
        shown.follow_ups += int(row.get("followed_up", False))
        if row["first_reply_at"] is not None:
            shown.heard += 1
            shown.minutes.append((row["first_reply_at"] - row["created_at"]).total_seconds() / 60)
    for pk, shown in by_cohort.items():
        shown.reflected = len(authors[pk])
    return list(by_cohort.values())


def learners_per_cohort(course_ids) -> dict[int, int]:
    """Enrolled active members per cohort who do not facilitate a cohort of the course."""
    facilitating = Cohort.facilitators.through.objects.filter(
        cohort__course_id=OuterRef("course_id"), user_id=OuterRef("user_id")
    )
    return dict(
        Enrolment.objects.filter(course_id__in=course_ids, user__is_active=True)
        .exclude(Exists(facilitating))
        .order_by()
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "n")
    )


@dataclass
class Run:
    prompt: Prompt
    cohorts: list[CohortFigures]


@dataclass
class LibraryEntry:
    entry: LibraryPrompt
    runs: list[Run]


def library_figures(user) -> list[LibraryEntry]:
    """Per library prompt of ``user``, each run (activity) and, in it, each cohort of its course:
    response rate, heard rate, median words, likes with reasons, follow-ups. Five queries whatever
    the size."""
    entries = list(library_of(user))
    if not entries:
        return []
    runs = list(
        LibraryRun.objects.filter(library_prompt__in=entries)
        .select_related("prompt__lesson__course")
        .order_by("prompt__lesson__course__title", "prompt__lesson__number", "created_at")
    )
    course_ids = {run.prompt.lesson.course_id for run in runs}
    cohorts: dict[int, dict[int, str]] = {}
    for cohort in Cohort.objects.filter(course_id__in=course_ids).order_by("-starts_on", "name"):
        cohorts.setdefault(cohort.course_id, {})[cohort.pk] = cohort.label
    learners = learners_per_cohort(course_ids)
    rows = posts_by_cohort(user, [run.prompt_id for run in runs]) if runs else []
    by_prompt: dict[int, list] = {}
    for row in rows:
        by_prompt.setdefault(row["prompt_id"], []).append(row)
    shown = {entry.pk: LibraryEntry(entry=entry, runs=[]) for entry in entries}
    for run in runs:
        names = cohorts.get(run.prompt.lesson.course_id, {})
        shown[run.library_prompt_id].runs.append(
            Run(prompt=run.prompt, cohorts=figures(by_prompt.get(run.prompt_id, []), cohort_names=names,
                                                    learners=learners))
        )  # fmt: skip
    return list(shown.values())

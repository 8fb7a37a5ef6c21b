"""Reads for facilitator insight: one activity's figures, and the worklist across courses.

Every post counted here is read through ``Reflection.objects.visible_to(viewer)``: the insight
never counts what its viewer may not read. A fixed number of queries per page, whatever the size of
the roster: the figures are grouped in PostgreSQL and joined to the roster in Python.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from community.models import ActivityVisit, Like, Prompt, Reflection
from insights.models import Nudge, NudgeRecipient
from lessons.models import Cohort, Enrolment

TREND_DAYS = 60  # the trend shows at most the last 60 days of an activity
UNHEARD_SHOWN = 50
MOST_LIKED_SHOWN = 5
NUDGE_INTERVAL = timedelta(hours=24)


def unheard_after() -> timedelta:
    return timedelta(hours=settings.UNHEARD_AFTER_HOURS)


def is_learner(*, user: str, course: str) -> Q:
    """Rows whose ``user`` (a path to a user id) is an active learner of ``course`` (a path to a
    course id): enrolled in it and not facilitating one of its cohorts."""
    enrolled = Enrolment.objects.filter(
        user_id=OuterRef(user), course_id=OuterRef(course), user__is_active=True
    )
    facilitating = Cohort.facilitators.through.objects.filter(
        user_id=OuterRef(user), cohort__course_id=OuterRef(course)
    )
    return Exists(enrolled) & ~Exists(facilitating)


def roster(course_id: int, cohort_id: int | None = None):
    """The course's learners (in ``cohort_id`` if given): their enrolments."""
    enrolments = Enrolment.objects.filter(is_learner(user="user_id", course="course_id"), course_id=course_id)
    return enrolments.filter(cohort_id=cohort_id) if cohort_id else enrolments


def in_roster(roster_qs) -> Q:
    return Q(author_id__in=roster_qs.values("user_id"))


def unheard(posts):
    """Of ``posts``: live, shown reflections older than UNHEARD_AFTER_HOURS that nobody but their
    author has answered with a live, shown reply; oldest first."""
    answered = Reflection.objects.filter(
        thread_id=OuterRef("pk"), deleted_at__isnull=True, hidden_at__isnull=True
    ).exclude(author_id=OuterRef("author_id"))
    return (
        posts.counted()
        .filter(hidden_at__isnull=True, created_at__lt=timezone.now() - unheard_after())
        .exclude(Exists(answered))
        .order_by("created_at", "id")
    )


@dataclass
class LearnerRow:
    user_id: int
    name: str
    handle: str
    cohort: str
    reflections: int = 0
    replies: int = 0
    likes_given: int = 0
    likes_received: int = 0
    words: int = 0
    first_post: datetime | None = None
    last_post: datetime | None = None
    last_visit: datetime | None = None
    nudged_at: datetime | None = None

    @property
    def has_reflected(self) -> bool:
        return self.reflections > 0

    @property
    def nudged_recently(self) -> bool:
        return self.nudged_at is not None and self.nudged_at > timezone.now() - NUDGE_INTERVAL


@dataclass
class TrendDay:
    day: date
    reflections: int
    replies: int


@dataclass
class ActivityInsight:
    prompt: Prompt
    cohorts: list[Cohort]
    cohort: Cohort | None
    learners: list[LearnerRow]
    trend: list[TrendDay]
    unheard: list[Reflection]
    unheard_count: int
    most_liked: list[Reflection]
    nudges: list[Nudge] = field(default_factory=list)

    @property
    def roster_size(self) -> int:
        return len(self.learners)

    @property
    def reflected_count(self) -> int:
        return sum(1 for row in self.learners if row.has_reflected)

    @property
    def response_rate(self) -> int | None:
        """Per cent of the roster who reflected (None for an empty roster)."""
        if not self.learners:
            return None
        return round(100 * self.reflected_count / self.roster_size)

    @property
    def not_reflected(self) -> list[LearnerRow]:
        return [row for row in self.learners if not row.has_reflected]


def activity_insight(*, prompt: Prompt, viewer, cohort_id: int | None = None) -> ActivityInsight:
    """Everything the Insights page shows about ``prompt``, for ``viewer``, in ten queries."""
    course_id = prompt.lesson.course_id
    cohorts = list(Cohort.objects.filter(course_id=course_id).order_by("-starts_on", "name"))
    cohort = next((c for c in cohorts if c.pk == cohort_id), None)
    roster_qs = roster(course_id, cohort.pk if cohort else None)
    visible = Reflection.objects.visible_to(viewer).filter(prompt=prompt).live()
    by_learner = visible.filter(in_roster(roster_qs))

    learners = {
        enrolment.user_id: LearnerRow(
            user_id=enrolment.user_id,
            name=enrolment.user.display_name,
            handle=enrolment.user.handle,
            cohort=enrolment.cohort.name,
        )
        for enrolment in roster_qs.select_related("user", "cohort").only(
            "user_id", "cohort_id", "user__display_name", "user__handle", "cohort__name"
        )
    }
    posts = (
        by_learner.order_by()
        .values("author_id")
        .annotate(
            reflections=Count("pk", filter=Q(thread__isnull=True)),
            replies=Count("pk", filter=Q(thread__isnull=False)),
            likes_received=Sum("like_count"),
            words=Sum("word_count"),
            first_post=Min("created_at"),
            last_post=Max("created_at"),
        )
    )
    for figures in posts:
        row = learners[figures.pop("author_id")]
        for name, value in figures.items():
            setattr(row, name, value)
    likes_given = (
        Like.objects.filter(user_id__in=roster_qs.values("user_id"), reflection__in=visible.values("pk"))
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    for user_id, count in likes_given:
        learners[user_id].likes_given = count
    visits = ActivityVisit.objects.filter(prompt=prompt, user_id__in=roster_qs.values("user_id"))
    for user_id, visited_at in visits.values_list("user_id", "visited_at"):
        learners[user_id].last_visit = visited_at
    recent_nudges = (
        NudgeRecipient.objects.filter(prompt=prompt, user_id__in=roster_qs.values("user_id"))
        .order_by()
        .values("user_id")
        .annotate(last=Max("sent_at"))
        .values_list("user_id", "last")
    )
    for user_id, sent_at in recent_nudges:
        learners[user_id].nudged_at = sent_at

    unheard_qs = unheard(by_learner)
    return ActivityInsight(
        prompt=prompt,
        cohorts=cohorts,
        cohort=cohort,
        learners=sorted(learners.values(), key=lambda row: row.name.casefold()),
        trend=_trend(by_learner, prompt),
        unheard=list(unheard_qs.select_related("author")[:UNHEARD_SHOWN]),
        unheard_count=unheard_qs.count(),
        most_liked=list(
            by_learner.top_level()
            .filter(like_count__gt=0, hidden_at__isnull=True)
            .select_related("author")
            .order_by("-like_count", "created_at", "id")[:MOST_LIKED_SHOWN]
        ),
        nudges=list(
            Nudge.objects.filter(prompt=prompt)
            .select_related("sender")
            .annotate(recipient_count=Count("recipients"))[:5]
        ),
    )


def _trend(posts, prompt: Prompt) -> list[TrendDay]:
    """Reflections and replies per day (the viewer's time zone) since the activity opened."""
    today = timezone.localdate()
    first = max(timezone.localtime(prompt.created_at).date(), today - timedelta(days=TREND_DAYS - 1))
    rows = (
        posts.filter(created_at__date__gte=first)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(
            reflections=Count("pk", filter=Q(thread__isnull=True)),
            replies=Count("pk", filter=Q(thread__isnull=False)),
        )
        .values_list("day", "reflections", "replies")
    )
    per_day = {day: (reflections, replies) for day, reflections, replies in rows}
    days = (today - first).days + 1
    return [
        TrendDay(day, *per_day.get(day, (0, 0)))
        for day in (first + timedelta(days=offset) for offset in range(max(days, 1)))
    ]


# --- The worklist -----------------------------------------------------------------------------


@dataclass
class WorklistItem:
    prompt: Prompt
    roster_size: int
    reflected: int
    unheard: int

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.reflected / self.roster_size) if self.roster_size else None

    @property
    def urgency(self) -> tuple:
        """Most unheard reflections first, then the lowest response rate."""
        rate = self.response_rate if self.response_rate is not None else 100
        return (-self.unheard, rate, self.prompt.pk)


def facilitated_course_ids(user):
    """The courses whose insight ``user`` reads: all for moderators and staff, else those with a
    cohort they facilitate (``permissions.can_view_insights``)."""
    from accounts.roles import is_moderator
    from lessons.models import Course

    if user.is_staff or is_moderator(user):
        return Course.objects.values("pk")
    return Cohort.objects.filter(facilitators=user.pk).values("course_id")


def worklist(user) -> list[WorklistItem]:
    """Each activity of the viewer's courses with its response rate and unheard count, most
    urgent first, in four queries."""
    prompts = list(
        Prompt.objects.visible_to(user)
        .filter(lesson__course_id__in=facilitated_course_ids(user))
        .select_related("lesson__course")
        .order_by("lesson__course__position", "lesson__position", "pin_position", "created_at")
    )
    course_ids = {prompt.lesson.course_id for prompt in prompts}
    roster_sizes = dict(
        Enrolment.objects.filter(is_learner(user="user_id", course="course_id"), course_id__in=course_ids)
        .order_by()
        .values("course_id")
        .annotate(n=Count("pk"))
        .values_list("course_id", "n")
    )
    by_learners = (
        Reflection.objects.visible_to(user)
        .filter(prompt__in=[prompt.pk for prompt in prompts])
        .filter(is_learner(user="author_id", course="prompt__lesson__course_id"))
    )
    reflected = dict(
        by_learners.counted()
        .order_by()
        .values("prompt_id")
        .annotate(n=Count("author_id", distinct=True))
        .values_list("prompt_id", "n")
    )
    unheard_counts = dict(
        unheard(by_learners)
        .order_by()
        .values("prompt_id")
        .annotate(n=Count("pk"))
        .values_list("prompt_id", "n")
    )
    items = [
        WorklistItem(
            prompt=prompt,
            roster_size=roster_sizes.get(prompt.lesson.course_id, 0),
            reflected=reflected.get(prompt.pk, 0),
            unheard=unheard_counts.get(prompt.pk, 0),
        )
        for prompt in prompts
    ]
    return sorted(items, key=lambda item: item.urgency)

"""Reads for facilitator insight: one activity's figures, and the worklist across courses.

Every post counted here is read through ``Reflection.objects.visible_to(viewer)``: the insight
never counts what its viewer may not read. A fixed number of queries per page, whatever the size of
the roster: the figures are grouped in PostgreSQL and joined to the roster in Python.
"""

import functools
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import profile_url
from community.models import Prompt, Reflection
from core.dates import format_datetime
from core.text import excerpt
from insights.models import Nudge
from lessons.models import Cohort, Enrolment, cohort_label

TREND_DAYS = 60  # the trend shows at most the last 60 days of an activity
UNHEARD_SHOWN = 50
MOST_LIKED_SHOWN = 5
NUDGE_INTERVAL = timedelta(hours=24)


def unheard_after() -> timedelta:
    return timedelta(hours=settings.UNHEARD_AFTER_HOURS)


def roster(course_id: int, cohort_id: int | None = None):
    """The course's learners (in ``cohort_id`` if given): the enrolments of its active members who
    do not facilitate one of its cohorts."""
    facilitating = Cohort.facilitators.through.objects.filter(cohort__course_id=course_id).values("user_id")
    enrolments = Enrolment.objects.filter(course_id=course_id, user__is_active=True).exclude(
        user_id__in=facilitating
    )
    return enrolments.filter(cohort_id=cohort_id) if cohort_id else enrolments


def _answered(threads):
    """A live, shown reply by someone other than the thread's author exists (whoever may read it:
    a reflection is heard when someone answered it, and only the answered post is shown)."""
    return Reflection.objects.filter(
        thread_id__in=threads, deleted_at__isnull=True, hidden_at__isnull=True
    ).exclude(author_id=F("thread__author_id"))


def unheard(posts):
    """Of ``posts``: live, shown reflections older than UNHEARD_AFTER_HOURS that nobody but their
    author has answered with a live, shown reply; oldest first."""
    return (
        posts.counted()
        .filter(hidden_at__isnull=True, created_at__lt=timezone.now() - unheard_after())
        .exclude(Exists(_answered(OuterRef("pk")).values("pk")))
        .order_by("created_at", "id")
    )


@dataclass(slots=True)
class LearnerRow:
    """One learner's figures. Times are kept as epoch seconds, as the figures' statement gives them,
    and become datetimes only for the rows a page shows (a roster of 2,000 has ~5,000 of them)."""

    user_id: int
    name: str
    handle: str
    cohort: str
    reflections: int = 0
    replies: int = 0
    likes_given: int = 0
    likes_received: int = 0
    words: int = 0
    first_post_epoch: float | None = None
    last_post_epoch: float | None = None
    last_visit_epoch: float | None = None
    nudged_epoch: float | None = None

    @property
    def first_post(self) -> datetime | None:
        return _utc(self.first_post_epoch)

    @property
    def last_post(self) -> datetime | None:
        return _utc(self.last_post_epoch)

    @property
    def last_visit(self) -> datetime | None:
        return _utc(self.last_visit_epoch)

    @property
    def nudged_at(self) -> datetime | None:
        return _utc(self.nudged_epoch)

    @property
    def profile_url(self) -> str:
        return profile_url(self.handle)

    @property
    def has_reflected(self) -> bool:
        return self.reflections > 0

    @property
    def nudged_recently(self) -> bool:
        return self.nudged_epoch is not None and self.nudged_at > timezone.now() - NUDGE_INTERVAL


@dataclass
class TrendDay:
    day: date
    reflections: int
    replies: int

    @property
    def label(self) -> str:
        return format_datetime(self.day, "D j M")


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

    @functools.cached_property
    def reflected_count(self) -> int:
        return sum(1 for row in self.learners if row.reflections)

    @property
    def response_rate(self) -> int | None:
        """Per cent of the roster who reflected (None for an empty roster)."""
        if not self.learners:
            return None
        return round(100 * self.reflected_count / self.roster_size)

    @property
    def not_reflected(self) -> list[LearnerRow]:
        """Those who have not reflected, the longest away first (never opened the space, then the
        oldest last visit)."""
        waiting = [row for row in self.learners if not row.has_reflected]
        return sorted(waiting, key=lambda row: (row.last_visit_epoch is not None, row.last_visit_epoch or 0))


def activity_insight(*, prompt: Prompt, viewer, cohort_id: int | None = None) -> ActivityInsight:
    """Everything the Insights page shows about ``prompt``, for ``viewer``, in a fixed number of
    queries, whatever the roster and the number of posts (``_figures``: one statement)."""
    course_id = prompt.lesson.course_id
    cohorts = list(Cohort.objects.filter(course_id=course_id).order_by("-starts_on", "name"))
    cohort = next((c for c in cohorts if c.pk == cohort_id), None)
    roster_qs = roster(course_id, cohort.pk if cohort else None)
    learners = {
        user_id: LearnerRow(user_id=user_id, name=name, handle=handle, cohort=cohort_label(cohort_name))
        for user_id, name, handle, cohort_name in roster_qs.order_by().values_list(
            "user_id", "user__display_name", "user__handle", "cohort__name"
        )
    }
    figures = _figures(prompt=prompt, viewer=viewer, learners=roster_qs)
    # The roster was read just before the figures: a learner who left in between is skipped (and
    # likes given are counted for every member; only the roster's are shown).
    for author_id, reflections, replies, likes_received, words, first_post, last_post in figures.authors:
        if (row := learners.get(author_id)) is None:
            continue
        row.reflections, row.replies, row.likes_received, row.words = (
            reflections,
            replies,
            likes_received,
            words,
        )
        row.first_post_epoch, row.last_post_epoch = first_post, last_post
    for user_id, count in figures.likes_given:
        if user_id in learners:
            learners[user_id].likes_given = count
    for user_id, visited_at in figures.visits:
        if user_id in learners:
            learners[user_id].last_visit_epoch = visited_at
    for user_id, sent_at in figures.nudged:
        if user_id in learners:
            learners[user_id].nudged_epoch = sent_at
    shown = Reflection.objects.select_related("author").in_bulk(figures.unheard + figures.most_liked)
    for post in shown.values():
        # Plain text, as on profiles (the template escapes it); a content note instead (issue 23).
        post.excerpt = (
            _("Content note: %(note)s") % {"note": post.content_note}
            if post.content_note
            else excerpt(post.body_html)
        )
    return ActivityInsight(
        prompt=prompt,
        cohorts=cohorts,
        cohort=cohort,
        learners=sorted(learners.values(), key=lambda row: row.name.casefold()),
        trend=_trend(figures.per_day, prompt),
        unheard=[shown[pk] for pk in figures.unheard],
        unheard_count=figures.unheard_count,
        most_liked=[shown[pk] for pk in figures.most_liked],
        nudges=list(
            Nudge.objects.filter(prompt=prompt)
            .select_related("sender")
            .annotate(recipient_count=Count("recipients"))[:5]
        ),
    )


@dataclass
class _Figures:
    authors: list = field(default_factory=list)  # (author, reflections, replies, likes, words, first, last)
    # (times as epoch seconds)
    likes_given: list = field(default_factory=list)  # (member, likes given on the readable posts), any member
    per_day: dict = field(default_factory=dict)  # {day: [reflections, replies]}
    unheard: list = field(default_factory=list)  # the oldest UNHEARD_SHOWN post ids, oldest first
    unheard_count: int = 0  # all of them
    most_liked: list = field(default_factory=list)  # post ids
    visits: list = field(default_factory=list)  # (learner, last visit to the activity)
    nudged: list = field(default_factory=list)  # (learner, last reminder about it)


# The figures are aggregates over one set of rows, the activity's posts the viewer may read (the
# SQL that ``visible_to`` generates, materialised once as ``readable``): asked figure by figure,
# PostgreSQL evaluated the rule once per figure and a 10,000-post activity took seconds; fetched
# as rows and counted in Python, it took ~0.5 s. Each part of the UNION is tagged by its first column.
# ``repliers`` holds, per thread of the activity, the lowest and highest id among the authors of its
# live, shown replies: a thread is unheard when it has none, or only its own author's (one hash
# join instead of a lookup per reflection). Sums are cast to bigint and epochs to float8: PostgreSQL
# gives both as numeric, which psycopg loads as Decimal, ~20 ms for the 30,000 cells of a large roster.
_FIGURES_SQL = """
WITH readable AS MATERIALIZED ({readable}),
learners AS MATERIALIZED ({learners}),
mine AS MATERIALIZED (SELECT * FROM readable WHERE author_id IN (SELECT user_id FROM learners)),
repliers AS MATERIALIZED (
  SELECT thread_id, MIN(author_id) AS low, MAX(author_id) AS high FROM community_reflection
   WHERE prompt_id = %s AND thread_id IS NOT NULL AND deleted_at IS NULL AND hidden_at IS NULL
   GROUP BY thread_id)
SELECT 'author', author_id, COUNT(*) FILTER (WHERE thread_id IS NULL), COUNT(*) FILTER (WHERE thread_id IS NOT NULL),
       SUM(like_count)::bigint, SUM(word_count)::bigint,
       EXTRACT(EPOCH FROM MIN(created_at))::float8, EXTRACT(EPOCH FROM MAX(created_at))::float8,
       NULL::date
  FROM mine GROUP BY author_id
UNION ALL
SELECT 'likes', l.user_id, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL
  FROM community_like l JOIN readable r ON r.id = l.reflection_id GROUP BY l.user_id
UNION ALL
SELECT 'day', NULL, COUNT(*) FILTER (WHERE thread_id IS NULL), COUNT(*) FILTER (WHERE thread_id IS NOT NULL),
       NULL, NULL, NULL, NULL, (created_at AT TIME ZONE %s)::date
  FROM mine WHERE created_at >= %s GROUP BY 9
UNION ALL
(SELECT 'unheard', m.id, COUNT(*) OVER (), NULL, NULL, NULL, NULL, NULL, NULL
   FROM mine m LEFT JOIN repliers r ON r.thread_id = m.id
  WHERE m.thread_id IS NULL AND m.hidden_at IS NULL AND m.created_at < %s
    AND (r.thread_id IS NULL OR (r.low = m.author_id AND r.high = m.author_id))
  ORDER BY m.created_at, m.id LIMIT %s)
UNION ALL
(SELECT 'liked', id, like_count, NULL, NULL, NULL, NULL, NULL, NULL
   FROM mine WHERE thread_id IS NULL AND hidden_at IS NULL AND like_count > 0
  ORDER BY like_count DESC, created_at, id LIMIT %s)
UNION ALL
SELECT 'visit', user_id, NULL, NULL, NULL, NULL, EXTRACT(EPOCH FROM visited_at)::float8, NULL, NULL
  FROM community_activityvisit WHERE prompt_id = %s AND user_id IN (SELECT user_id FROM learners)
UNION ALL
SELECT 'nudged', user_id, NULL, NULL, NULL, NULL, EXTRACT(EPOCH FROM MAX(sent_at))::float8, NULL, NULL
  FROM insights_nudgerecipient WHERE prompt_id = %s AND user_id IN (SELECT user_id FROM learners)
 GROUP BY user_id
"""


def _figures(*, prompt: Prompt, viewer, learners) -> _Figures:
    """Per-learner figures, likes given, posts per day, unheard and most-liked reflections of
    ``learners`` (a roster of enrolments), over the posts of ``prompt`` that ``viewer`` may read, and
    the learners' last visits and reminders (not posts: no read rule): one query.

    A reflection is heard once someone else answered it with a live, shown reply, whoever may read
    that reply (only the answered post is shown, never the reply)."""
    readable, params = (
        Reflection.objects.visible_to(viewer)
        .filter(prompt=prompt)
        .live()
        .order_by()
        .values("id", "author_id", "thread_id", "created_at", "like_count", "word_count", "hidden_at")
        .query.sql_with_params()
    )
    learners_sql, learners_params = learners.order_by().values("user_id").query.sql_with_params()
    first_day = _first_day(prompt)
    zone = timezone.get_current_timezone_name()
    start = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
    cutoff = timezone.now() - unheard_after()
    figures = _Figures()
    with _without_jit(), connection.cursor() as cursor:
        cursor.execute(
            _FIGURES_SQL.format(readable=readable, learners=learners_sql),
            [
                *params,
                *learners_params,
                prompt.pk,
                zone,
                start,
                cutoff,
                UNHEARD_SHOWN,
                MOST_LIKED_SHOWN,
                prompt.pk,
                prompt.pk,
            ],
        )
        for kind, key, a, b, c, d, first, last, day in cursor.fetchall():
            if (
                kind == "author"
            ):  # first and last post as epoch seconds: cheaper to load than 3,000 timestamps
                figures.authors.append((key, a, b, c or 0, d or 0, first, last))
            elif kind == "likes":
                figures.likes_given.append((key, a))
            elif kind == "day":
                figures.per_day[day] = (a, b)
            elif kind == "visit":
                figures.visits.append((key, first))
            elif kind == "nudged":
                figures.nudged.append((key, first))
            elif kind == "unheard":
                figures.unheard.append(key)
                figures.unheard_count = a
            else:
                figures.most_liked.append(key)
    return figures


@contextmanager
def _without_jit():
    """PostgreSQL overestimates the cost of plans over the read rule (its ORs) and JIT-compiles
    them: ~100 ms of compiling for a statement that runs in ~60 at 10,000 posts. Off for the
    statements inside only (SET LOCAL, so it is safe behind PgBouncer in transaction mode)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _utc(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, tz=UTC)


def _first_day(prompt: Prompt) -> date:
    """The trend's first day: when the activity opened, or TREND_DAYS ago at most."""
    today = timezone.localdate()
    return max(timezone.localtime(prompt.created_at).date(), today - timedelta(days=TREND_DAYS - 1))


def _trend(per_day: dict, prompt: Prompt) -> list[TrendDay]:
    """Reflections and replies per day (the viewer's time zone) since the activity opened."""
    first = _first_day(prompt)
    days = (timezone.localdate() - first).days + 1
    return [
        TrendDay(day, *per_day.get(day, (0, 0))) for day in (first + timedelta(days=n) for n in range(days))
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
    urgent first, in four queries. Posts are grouped per activity and author in PostgreSQL (through
    ``visible_to``) and matched against each course's learners in Python."""
    prompts = list(
        Prompt.objects.visible_to(user)
        .filter(lesson__course_id__in=facilitated_course_ids(user))
        .select_related("lesson__course")
        .order_by("lesson__course__position", "lesson__position", "pin_position", "created_at")
    )
    course_ids = {prompt.lesson.course_id for prompt in prompts}
    learners_of: dict[int, set[int]] = {course_id: set() for course_id in course_ids}
    facilitating = Cohort.facilitators.through.objects.filter(cohort__course_id=OuterRef("course_id"))
    enrolments = Enrolment.objects.filter(course_id__in=course_ids, user__is_active=True).exclude(
        Exists(facilitating.filter(user_id=OuterRef("user_id")))
    )
    for course_id, user_id in enrolments.values_list("course_id", "user_id"):
        learners_of[course_id].add(user_id)
    course_of = {prompt.pk: prompt.lesson.course_id for prompt in prompts}
    posts = Reflection.objects.visible_to(user).filter(prompt__in=list(course_of))

    def per_prompt(qs) -> tuple[dict[int, int], dict[int, int]]:
        """{prompt: learners with such posts}, {prompt: such posts by learners}."""
        authors: dict[int, int] = {}
        total: dict[int, int] = {}
        for prompt_id, author_id, n in (
            qs.order_by()
            .values("prompt_id", "author_id")
            .annotate(n=Count("pk"))
            .values_list("prompt_id", "author_id", "n")
        ):
            if author_id in learners_of[course_of[prompt_id]]:
                authors[prompt_id] = authors.get(prompt_id, 0) + 1
                total[prompt_id] = total.get(prompt_id, 0) + n
        return authors, total

    with _without_jit():
        reflected, _unheard = per_prompt(posts.counted())
        _reflected, unheard_counts = per_prompt(unheard(posts))
    items = [
        WorklistItem(
            prompt=prompt,
            roster_size=len(learners_of[prompt.lesson.course_id]),
            reflected=reflected.get(prompt.pk, 0),
            unheard=unheard_counts.get(prompt.pk, 0),
        )
        for prompt in prompts
    ]
    return sorted(items, key=lambda item: item.urgency)

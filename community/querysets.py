"""Named reads for prompts and posts. ``ReflectionQuerySet.visible_to`` is the one rule for which
posts a member may see: every page, permalink, count, profile and export reads through it."""

import operator
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.fields.tuple_lookups import (  # Django's row comparisons: (a, b) > (%s, %s)
    Tuple,
    TupleGreaterThan,
    TupleGreaterThanOrEqual,
    TupleLessThan,
    TupleLessThanOrEqual,
)

# ``reads_community`` lives in accounts (its profile pages ask it too) and is imported from here
# as well, beside the rule it opens.
from accounts.roles import reads_community  # noqa: F401
from lessons.querysets import cohort_scope, course_access
from lessons.viewers import viewer_of


def arrived_after(moment) -> Q:
    """Posts that reached their readers after ``moment``: written then, or, written privately
    earlier, shared then (a shared reflection keeps its date: ``services.share_reflection``)."""
    return Q(created_at__gt=moment) | Q(shared_at__gt=moment)


def _published_lessons_only(user) -> bool:
    return not user.is_staff


# --- Independent reflection's gate: one clause of the rule, also asked of a whole activity -------
# ``ReflectionQuerySet.visible_to`` filters posts with ``_gate``; ``reads_reflections_in`` asks the
# same question of one activity (the space page: the posts, or the gate); ``visible_to(user,
# as_if_answered=True)`` leaves the clause out (the posts the viewer reads once they have
# answered: the gate's "N colleagues have reflected"). All three read ``_gated`` and ``answered_by``.


def _gated(user) -> bool:
    """Whom the gate may stop: everyone but facilitators, moderators and staff."""
    return not viewer_of(user).sees_everything


def _gate(user, answered, *, within=None) -> Q:
    """Posts past the gate for a gated ``user``: in an activity without independent reflection,
    their own, or in an activity they have answered (``answered``: ``answered_by(user)``).
    ``within`` an activity with independent reflection, only the last two."""
    parts = [] if within is not None else [Q(prompt__independent_reflection=False)]
    if user.is_authenticated:
        parts += [Q(author_id=user.pk), Q(prompt_id__in=answered)]
    return reduce(operator.or_, parts) if parts else Q(pk__in=[])


def _audience(user, course=None) -> Q:
    """Posts shared with the course, or, shared with its facilitators only (a facilitator-only
    reflection, a private reply), those the viewer wrote, answers them (``private_to``) or
    facilitates one of the course's cohorts. ``course``: decided for that course alone (``within``).
    Facilitators, moderators and staff (``sees_everything``) read them all: no clause."""
    from lessons.models import Cohort

    audience = Q(audience="course")
    if user.is_authenticated:
        audience |= Q(author_id=user.pk) | Q(private_to_id=user.pk)
        facilitated = Cohort.objects.filter(facilitators=user.pk)
        if course is None:
            audience |= Q(prompt__lesson__course_id__in=facilitated.values("course_id"))
        else:
            audience |= Q(Exists(facilitated.filter(course_id=course.pk)))
    return audience


def known_authors(user) -> Q:
    """Posts whose author ``user`` may know (``community.bylines.knows_author`` as a clause): all
    but anonymous ones, which only their authors, the facilitators of one of the course's cohorts,
    and facilitators, moderators and staff may tie to a name."""
    viewer = viewer_of(user)
    if viewer.sees_everything or viewer.moderates:
        return Q()
    known = Q(anonymous=False)
    if user.is_authenticated:
        from lessons.models import Cohort

        facilitated = Cohort.objects.filter(facilitators=user.pk).values("course_id")
        known |= Q(author_id=user.pk) | Q(prompt__lesson__course_id__in=facilitated)
    return known


def reads_reflections_in(user, prompt) -> bool:
    """Whether independent reflection's gate is open for ``user`` in ``prompt``: the activity has
    none, or the viewer is never gated, or has a live shared reflection there (``answered_by``).
    When it is closed, ``visible_to`` gives the viewer no one else's post in the activity."""
    if not prompt.independent_reflection or not _gated(user):
        return True
    if not user.is_authenticated:
        return False
    from community.models import Reflection

    return Reflection.objects.answered_by(user).filter(prompt_id=prompt.pk).exists()


class Negated(Func):
    """``-column``: "Most liked" sorts by the negated like count so that its whole key (fewest
    negative likes, then oldest) ascends, one row comparison walks it, and the index
    ``reflection_top_liked`` is built on the same expression."""

    template = "(-%(expressions)s)"
    output_field = IntegerField()


@dataclass(frozen=True)
class ThreadOrder:
    """One order of the space page's threads, as a key that is unique per row (it ends in ``id``)
    and compared as one row, so a page is "the next 20 rows after this key" (keyset pagination)
    rather than "skip N rows" (``OFFSET``, which walks every earlier row through ``visible_to``).

    ``fields`` are the row's columns in the key; those in ``negated`` are compared negated (so
    every part of the key ascends); ``descending`` reads the whole key from the end."""

    fields: tuple[str, ...]
    negated: frozenset[str] = frozenset()
    descending: bool = False

    def key(self) -> Tuple:
        return Tuple(*(Negated(F(name)) if name in self.negated else F(name) for name in self.fields))

    def order_by(self, *, backwards: bool = False) -> list:
        """The ORDER BY of the key, reading forwards, or backwards (from the end)."""
        parts = self.key().source_expressions
        reverse = self.descending != backwards
        return [part.desc() if reverse else part.asc() for part in parts]

    def beyond(self, values: tuple, *, backwards: bool = False, inclusive: bool = False):
        """A filter: the rows after the key ``values`` (raw column values, as ``values_of``
        gives them) in this order, or before them when reading ``backwards``."""
        compared = tuple(
            -value if name in self.negated else value for name, value in zip(self.fields, values, strict=True)
        )
        if self.descending != backwards:
            lookup = TupleLessThanOrEqual if inclusive else TupleLessThan
        else:
            lookup = TupleGreaterThanOrEqual if inclusive else TupleGreaterThan
        return lookup(self.key(), compared)

    def values_of(self, row) -> tuple:
        return tuple(getattr(row, name) for name in self.fields)


# The space page's orders (``ReflectionQuerySet.threads_for``), each served by a partial index of
# top-level reflections (community.models: reflection_top_level, _top_liked, _top_highlighted).
THREAD_ORDERS = {
    "oldest": ThreadOrder(("created_at", "id")),
    "newest": ThreadOrder(("created_at", "id"), descending=True),
    "liked": ThreadOrder(("like_count", "created_at", "id"), negated=frozenset({"like_count"})),
    "highlighted": ThreadOrder(("highlighted_at", "id"), descending=True),
    "mine": ThreadOrder(("created_at", "id")),
}


class PromptQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PromptQuerySet":
        """Prompts of lessons the viewer may open (staff also see drafts)."""
        if not viewer_of(user).reads_community:
            return self.none()
        qs = self
        if _published_lessons_only(user):
            qs = qs.filter(lesson__published=True, lesson__course__published=True)
        access = course_access(user, "lesson__course__")
        return qs if access is None else qs.filter(access)

    def in_space_order(self) -> "PromptQuerySet":
        """Pinned prompts first in the facilitator's order, then the rest oldest first."""
        return self.order_by("-is_pinned", "pin_position", "created_at", "id")


class ReflectionQuerySet(models.QuerySet):
    # Anonymous to colleagues (community.bylines): a queryset handed out by ``visible_to`` masks
    # the authors of the posts it fetches for that viewer (the author of an anonymous post they
    # may not know becomes "Colleague 4"). ``_bylines_course``: the course, when ``within`` one.
    _bylines_for = None
    _bylines_course = None

    def _clone(self):
        clone = super()._clone()
        clone._bylines_for, clone._bylines_course = self._bylines_for, self._bylines_course
        return clone

    def with_bylines_for(self, user, course_id: int | None = None) -> "ReflectionQuerySet":
        clone = self._chain()
        clone._bylines_for, clone._bylines_course = user, course_id
        return clone

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        if (
            fetched
            and self._bylines_for is not None
            and issubclass(self._iterable_class, models.query.ModelIterable)
        ):
            from community import bylines

            bylines.mask(self._result_cache, self._bylines_for, course_id=self._bylines_course)

    def iterator(self, chunk_size=None):
        rows = super().iterator(chunk_size)
        if self._bylines_for is None or not issubclass(self._iterable_class, models.query.ModelIterable):
            yield from rows
            return
        from community import bylines

        for row in rows:
            bylines.mask_post(row, self._bylines_for, course_id=self._bylines_course)
            yield row

    def visible_to(
        self, user, *, as_if_answered: bool = False, within=None, placeholders: bool = False
    ) -> "ReflectionQuerySet":
        """The posts ``user`` may see, as one query-level rule:

        - the lesson and course are published, or the viewer is staff;
        - an invite-only course's posts only to its members (enrolled, or facilitating one of its
          cohorts) and to facilitators, moderators and staff (``lessons.querysets.course_access``);
        - in a course whose learners see their own cohort, a learner sees the posts of their
          cohort's members, their own, and those of the course's facilitators, moderators and
          staff (``lessons.querysets.cohort_scope``); facilitators, moderators and staff see all;
        - independent reflection: learners see others' posts in such an activity only once they
          have a live reflection of their own there (facilitators, moderators and staff always);
        - a hidden post only to its author and moderators; a hidden reflection's replies stay
          visible (under a placeholder, see ``placeholders``) unless the moderator hid the whole
          conversation (``hidden_with_replies``): then they go with it, but to their own authors;
        - a private reflection only to its author: not to facilitators, moderators or staff either
          (private posts are top-level only, so no thread clause is needed);
        - a post shared with the facilitators only (``audience``: a facilitator-only reflection,
          its thread's replies, a private reply) to its author, to ``private_to`` (whom a private
          reply answers), to the facilitators of one of the course's cohorts, and to facilitators,
          moderators and staff (``_audience``);
        - deleted posts stay as text-less placeholders (they exist only while others replied);
        - anonymous visitors see nothing unless COMMUNITY_PUBLIC_READING is on.

        ``as_if_answered``: the posts the viewer will see once they have answered every activity
        (the independent-reflection clause taken as met, every other clause as it is): filtered to
        one activity, what posting there opens, as the gate counts it (``community.space_page
        .colleagues_reflected``). Whether the gate is open now: ``reads_reflections_in``.

        ``within``: a prompt (its lesson and course loaded): the same rule for that activity's
        posts only, with each clause that depends on the activity, its lesson or course alone
        decided here from those rows instead of joined to every post (the space page's reads:
        the common case has no join at all). ``tests/community/test_built_rule.py`` checks that it
        gives exactly the rule's rows.

        ``placeholders``: also the hidden reflections whose replies stay visible, which the
        viewer may not read but whose place the space and thread pages keep ("This reflection is
        hidden while moderators review it", no author, no text: ``post_actions.PostActions
        .placeholder``). Only the pages that list threads ask for them; every other read (search,
        counts, notices, exports) never sees a post the viewer may not read.
        """
        if not viewer_of(user).reads_community:
            return self.none()
        qs = self
        lesson = course = None
        if within is not None:
            lesson, course = within.lesson, within.lesson.course
            qs = qs.filter(prompt_id=within.pk)
        if _published_lessons_only(user):
            if within is None:
                qs = qs.filter(prompt__lesson__published=True, prompt__lesson__course__published=True)
            elif not (lesson.published and course.published):
                return self.none()
        shared = Q(is_private=False)
        qs = qs.filter(shared | Q(author_id=user.pk) if user.is_authenticated else shared)
        if not viewer_of(user).sees_everything:
            qs = qs.filter(_audience(user, course))
        if not viewer_of(user).moderates:
            # A conversation hidden whole takes its replies with it. Those threads are read as a
            # set (a small partial index, hashed once per statement) rather than by joining each
            # reply to its thread: one join fewer to plan and to run.
            unhidden = Q(hidden_at__isnull=True)
            if placeholders:
                unhidden |= Q(thread__isnull=True, hidden_with_replies=False)
            shown = unhidden & (
                Q(thread__isnull=True) | ~Q(thread_id__in=self.model.objects.hidden_conversations())
            )
            qs = qs.filter(shown | Q(author_id=user.pk) if user.is_authenticated else shown)
        if _gated(user) and not as_if_answered and (within is None or within.independent_reflection):
            qs = qs.filter(_gate(user, self.model.objects.answered_by(user), within=within))
        access = course_access(user, "prompt__lesson__course__")
        if access is not None and (within is None or course.joining != course.Joining.OPEN):
            qs = qs.filter(access)  # (an open course is open to everyone)
        scope = cohort_scope(user, course="prompt__lesson__course", author="author")
        if scope is not None and (within is None or course.learners_see != course.LearnersSee.COURSE):
            qs = qs.filter(scope)  # (where learners see the whole course, it admits every post)
        return qs.with_bylines_for(user, course.pk if course is not None else None)

    def attributed_to(self, member, viewer) -> "ReflectionQuerySet":
        """``member``'s posts as ``viewer`` may know them to be theirs: an anonymous post only to
        those who know who wrote it (``community.bylines.knows_author``), so a profile, a count
        or an author filter never ties it to its author for a colleague."""
        posts = self.filter(author_id=member.pk)
        if viewer.is_authenticated and viewer.pk == member.pk:
            return posts
        return posts.filter(known_authors(viewer))

    def answered_by(self, user) -> "models.QuerySet":
        """Ids of the prompts where ``user`` has a live, shared, shown top-level reflection (it
        unlocks reading under independent reflection; a private one does not, nor one a moderator
        hid: a post no colleague reads is no reflection shared)."""
        return (
            self.filter(author_id=user.pk, is_private=False, hidden_at__isnull=True)
            .live()
            .top_level()
            .values("prompt_id")
        )

    def hidden_conversations(self) -> "models.QuerySet":
        """Ids of the reflections hidden with their replies (partial index
        ``reflection_hidden_whole``): those replies are hidden too, for everyone but their authors
        and the moderators."""
        return self.filter(hidden_at__isnull=False, hidden_with_replies=True, thread__isnull=True).values(
            "pk"
        )

    def live(self) -> "ReflectionQuerySet":
        return self.filter(deleted_at__isnull=True)

    def top_level(self) -> "ReflectionQuerySet":
        return self.filter(thread__isnull=True)

    def counted(self) -> "ReflectionQuerySet":
        """What "N reflections" counts everywhere (lesson page, activity list, space heading):
        live top-level reflections, replies not included. Combine with ``visible_to``."""
        return self.live().top_level()

    def for_display(self) -> "ReflectionQuerySet":
        """Everything a post shows about its author, without a query per post."""
        return self.select_related("author", "parent__author").prefetch_related("author__groups")

    def for_page(self) -> "ReflectionQuerySet":
        """The posts of the space page as it reads them: no author (read in one query for the
        page, ``space_page.attach_authors``), the answered post's author id, and none of the
        columns the page never shows (the Markdown source, the search document)."""
        return self.select_related("parent").defer(
            "body", "search_vector", "parent__body", "parent__body_html", "parent__search_vector"
        )

    def threads_for(self, prompt, *, order: str = "oldest", user=None) -> "ReflectionQuerySet":
        """Top-level reflections of ``prompt`` in one of the space's orders (``THREAD_ORDERS``)."""
        threads = self.filter(prompt=prompt).top_level()
        if order == "highlighted":
            threads = threads.filter(highlighted_at__isnull=False)
        elif order == "mine" and user is not None and user.is_authenticated:
            mine = Q(author=user) | Q(pk__in=self.filter(prompt=prompt, author=user).values("thread_id"))
            threads = threads.filter(mine)
        return threads.order_by(*THREAD_ORDERS.get(order, THREAD_ORDERS["oldest"]).order_by())

    def new_for(self, user) -> "ReflectionQuerySet":
        """Posts by others written since ``user`` last opened their activity's space (none on a
        first visit: a space seen for the first time is not a list of unread items)."""
        from community.models import ActivityVisit

        if not user.is_authenticated:
            return self.none()
        last_visit = ActivityVisit.objects.filter(user_id=user.pk, prompt_id=OuterRef("prompt_id")).values(
            "visited_at"
        )
        return self.live().exclude(author_id=user.pk).filter(arrived_after(Subquery(last_visit[:1])))

    def count_by_prompt(self) -> dict[int, int]:
        """{prompt id: number of rows} in one query."""
        rows = self.order_by().values("prompt_id").annotate(n=Count("pk")).values_list("prompt_id", "n")
        return dict(rows)


# --- The read rule, built once per kind of viewer ------------------------------------------------
# Building ``visible_to``'s queryset (its clauses and seven subqueries, resolved by the ORM) costs
# a few milliseconds, and a page asks for it several times. What the rule's SQL depends on in
# Python is only the viewer's id, staff flags, role names and COMMUNITY_PUBLIC_READING (every
# other input is a subquery PostgreSQL evaluates when the query runs), so the built queryset is
# kept per such key and handed out as a clone (``.all()``), as Django's generic views reuse their
# ``queryset``. The key holds no state that a query would read later.

_BUILT_RULES: OrderedDict = OrderedDict()
_BUILT_RULES_LOCK = threading.Lock()
BUILT_RULES_KEPT = 1024


def viewer_key(user) -> tuple:
    """Everything about ``user`` that ``ReflectionQuerySet.visible_to`` reads in Python."""
    if not user.is_authenticated:
        return (None, settings.COMMUNITY_PUBLIC_READING)
    return (user.pk, user.is_staff, user.is_superuser, user.role_names, settings.COMMUNITY_PUBLIC_READING)


class ReflectionManager(models.Manager.from_queryset(ReflectionQuerySet)):
    @staticmethod
    def rule_key(user, *, as_if_answered: bool = False, within=None, placeholders: bool = False) -> tuple:
        """Everything the rule's SQL depends on in Python: the viewer's key, ``as_if_answered``
        and the facts of ``within`` it decides (``core.compiled`` keys a page's reads by it)."""
        activity = None
        if within is not None:
            course = within.lesson.course
            activity = (within.pk, within.independent_reflection, within.lesson.published, course.published,
                        course.joining, course.learners_see, course.pk)  # fmt: skip
        return viewer_key(user), as_if_answered, activity, placeholders

    def visible_to(
        self, user, *, as_if_answered: bool = False, within=None, placeholders: bool = False
    ) -> ReflectionQuerySet:
        """``Reflection.objects.visible_to(user)``: the same rule, built once per viewer key (and
        per ``as_if_answered`` and the facts of ``within`` it decides, the rule's other inputs)."""
        facts = {"as_if_answered": as_if_answered, "within": within, "placeholders": placeholders}
        key = (self.model, self.db, *self.rule_key(user, **facts))
        with _BUILT_RULES_LOCK:
            built = _BUILT_RULES.get(key)
            if built is not None:
                _BUILT_RULES.move_to_end(key)
        if built is None:
            built = self.get_queryset().visible_to(user, **facts)
            with _BUILT_RULES_LOCK:
                _BUILT_RULES[key] = built
                while len(_BUILT_RULES) > BUILT_RULES_KEPT:
                    _BUILT_RULES.popitem(last=False)
        # The kept rule is shared by every request of this kind of viewer: the clone masks
        # authors for this one (community.bylines).
        course = within.lesson.course_id if within is not None else None
        return built.with_bylines_for(user, course)

"""Every write of the follow-through features (issue 25): each in one transaction; notices and
emails through the trunk's signals (notifications answers them), anything slow through
``core.jobs.enqueue`` after the commit.

Offers are shown on the space page (the viewer's own), so their table moves the activity's version
(``space:<id>``, migration 0002) and every write of one takes the space's lock first
(``community.services.lock_space``), as every write in a space does: two workers offering the same
post, a decline, an expiry and a reply ending an offer queue in one order, never deadlock, and
leave at most one open offer per post, chosen from what is really open. Whether anyone can be
offered is worked out before the lock, so a post nobody can be offered moves no version.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from community import bylines, signals
from community.models import ActivityVisit, Prompt, Reflection
from community.services import PROMPT_FIELDS, create_prompt, lock_space
from core.markdown import render_markdown
from facilitation.models import (
    DEFAULT_WINDOW_HOURS,
    HeardSettings,
    LibraryPrompt,
    LibraryRun,
    ResponseOffer,
    Summary,
)
from lessons.models import Cohort, Enrolment, Lesson
from lessons.viewers import viewer_of

State = ResponseOffer.State
# The read rule is asked per candidate, best first, in the worker: at most this many a run (under
# independent reflection few colleagues may read a post yet; ``offer_waiting`` tries again later).
CANDIDATES_ASKED = 50


# --- Every reflection heard ------------------------------------------------------------------------


def active_days() -> int:
    """Members not seen for this many days (no sign-in, no visit to the course's spaces) are skipped."""
    return settings.FACILITATION_ACTIVE_DAYS


def answers_enough() -> int:
    """Members who already answered this many offers in the activity are asked no more there."""
    return settings.FACILITATION_MAX_ANSWERS


@transaction.atomic
def set_heard(*, prompt: Prompt, enabled: bool, window_hours: int) -> HeardSettings:
    heard, _created = HeardSettings.objects.select_for_update().get_or_create(prompt=prompt)
    heard.enabled, heard.window_hours = enabled, window_hours
    heard.save()
    return heard


def _is_heard(post: Reflection) -> bool:
    """Someone other than its author has replied (a live reply)."""
    return (
        Reflection.objects.filter(thread_id=post.pk, deleted_at__isnull=True)
        .exclude(author_id=post.author_id)
        .exists()
    )


def _offerable(post: Reflection | None) -> bool:
    """A live, shown, top-level reflection shared with the course: what colleagues may answer."""
    return (
        post is not None
        and post.thread_id is None
        and post.deleted_at is None
        and post.hidden_at is None
        and not post.is_private
        and post.audience == Reflection.Audience.COURSE
        and not post.prompt.is_locked
    )


def candidates(post: Reflection, *, now: datetime) -> list[int]:
    """Who may be offered ``post``, best first: the author's cohort colleagues (never its author,
    never anyone offered it before), active (signed in or in the course's spaces within
    ``active_days``), who have not yet answered ``answers_enough`` offers in the activity; fewest
    open offers first, then fewest answers in the last 30 days, then the lowest id (deterministic).
    Whether each may read the post is asked after (``offer_reflection``: ``visible_to``)."""
    course_id = post.prompt.lesson.course_id
    cohort_id = (
        Enrolment.objects.filter(course_id=course_id, user_id=post.author_id)
        .values_list("cohort_id", flat=True)
        .first()
    )
    if cohort_id is None:
        return []
    cutoff = now - timedelta(days=active_days())
    visited = ActivityVisit.objects.filter(
        user_id=OuterRef("user_id"), prompt__lesson__course_id=course_id, visited_at__gte=cutoff
    )
    offers = ResponseOffer.objects.filter(offered_to_id=OuterRef("user_id"))
    facilitating = Cohort.facilitators.through.objects.filter(cohort__course_id=course_id).values("user_id")
    rows = (
        Enrolment.objects.filter(cohort_id=cohort_id, user__is_active=True)
        .exclude(user_id=post.author_id)
        .exclude(user_id__in=facilitating)  # colleagues, not those who lead the course
        .exclude(user_id__in=ResponseOffer.objects.filter(reflection_id=post.pk).values("offered_to_id"))
        .filter(Q(user__last_login__gte=cutoff) | Exists(visited))
        .annotate(
            open_offers=_count(offers.filter(state=State.OPEN)),
            recent_answers=_count(
                offers.filter(state=State.ANSWERED, ended_at__gte=now - timedelta(days=30))
            ),
            answered_here=_count(offers.filter(state=State.ANSWERED, prompt_id=post.prompt_id)),
        )
        .filter(answered_here__lt=answers_enough())
        .order_by("open_offers", "recent_answers", "user_id")
        .values_list("user_id", flat=True)
    )
    return list(rows)


def _count(queryset):
    counted = queryset.order_by().values("offered_to_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _choose(post: Reflection, *, now: datetime) -> int | None:
    """The first candidate (best first) who takes part and may read the post (the one read rule)."""
    from accounts.models import User

    for user_id in candidates(post, now=now)[:CANDIDATES_ASKED]:
        member = User.objects.get(pk=user_id)
        if not viewer_of(member).participates:  # suspended
            continue
        if Reflection.objects.visible_to(member).filter(pk=post.pk).exists():
            return user_id
    return None


def _offer(post: Reflection, *, now: datetime, locked: bool = False) -> ResponseOffer | None:
    """Offer ``post`` to the next colleague, if the activity asks and anyone may be offered it;
    its open offer if it has one. Chooses before taking the space's lock (unless the caller holds
    it: ``locked``), then chooses again under it, so what is written is exact."""
    heard = HeardSettings.objects.filter(prompt_id=post.prompt_id).first()
    if heard is None or not heard.enabled or not _offerable(post):
        return None
    current = ResponseOffer.objects.filter(reflection_id=post.pk, state=State.OPEN).first()
    if current is not None or _is_heard(post):
        return current
    if not locked:
        if _choose(post, now=now) is None:
            return None  # nobody yet: no lock, no version moved (``offer_waiting`` tries again)
        lock_space(post.prompt_id)
        current = ResponseOffer.objects.filter(reflection_id=post.pk, state=State.OPEN).first()
        if current is not None or _is_heard(post):
            return current  # another worker, or a reply, came first
    user_id = _choose(post, now=now)
    if user_id is None:
        return None
    from accounts.models import User

    colleague = User.objects.get(pk=user_id)
    offer = ResponseOffer.objects.create(
        reflection=post, prompt_id=post.prompt_id, offered_to_id=user_id, offered_at=now,
        expires_at=now + timedelta(hours=heard.window_hours),
    )  # fmt: skip
    signals.response_requested.send(
        sender=ResponseOffer, reflection_id=post.pk, prompt_id=post.prompt_id, user_id=user_id,
        author_name=bylines.shown_name(colleague, post),
    )  # fmt: skip
    return offer


def _post(reflection_id: int) -> Reflection | None:
    return Reflection.objects.select_related("prompt__lesson", "author").filter(pk=reflection_id).first()


@transaction.atomic
def offer_reflection(*, reflection_id: int, now: datetime | None = None) -> ResponseOffer | None:
    """Offer a new reflection to one colleague, unless it has an open offer already (then that one),
    is heard, or the activity does not ask for it. Idempotent: a job run twice offers once."""
    post = _post(reflection_id)
    return None if post is None else _offer(post, now=now or timezone.now())


@transaction.atomic
def decline_offer(*, offer: ResponseOffer, user, now: datetime | None = None) -> ResponseOffer:
    """The member declines (one click): the post goes to the next colleague at once. Declining
    twice (a double click without JavaScript) changes nothing more."""
    now = now or timezone.now()
    lock_space(offer.prompt_id)
    offer = ResponseOffer.objects.select_for_update().get(pk=offer.pk, offered_to_id=user.pk)
    if offer.state != State.OPEN:
        return offer
    offer.state, offer.ended_at = State.DECLINED, now
    offer.save(update_fields=["state", "ended_at"])
    post = _post(offer.reflection_id)
    if post is not None:
        _offer(post, now=now, locked=True)
    return offer


def reoffer_expired(*, now: datetime | None = None) -> int:
    """The offers whose window has passed with no reply: each ends, and its post goes to the next
    colleague (or ends as heard, when a reply came in meanwhile). Each in its own transaction, rows
    taken with ``skip_locked`` so two workers share the work. Returns how many ended."""
    now = now or timezone.now()
    ended = 0
    for offer_id in ResponseOffer.objects.filter(state=State.OPEN, expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        ended += _reoffer(offer_id, now=now)
    return ended


def offer_waiting(*, now: datetime | None = None) -> int:
    """Recent reflections (within ``active_days``) of activities that ask for every reflection to
    be heard, with no open offer and no reply yet: offered again (nobody could read one when it was
    posted, under independent reflection; the setting was switched on after it; everyone asked had
    declined and new colleagues have come). Returns how many were offered."""
    now = now or timezone.now()
    waiting = (
        Reflection.objects.filter(
            thread__isnull=True,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
            is_private=False,
            audience=Reflection.Audience.COURSE,
            created_at__gte=now - timedelta(days=active_days()),
            prompt__heard_settings__enabled=True,
        )
        .exclude(Exists(ResponseOffer.objects.filter(reflection_id=OuterRef("pk"), state=State.OPEN)))
        .exclude(
            Exists(
                Reflection.objects.filter(thread_id=OuterRef("pk"), deleted_at__isnull=True).exclude(
                    author_id=OuterRef("author_id")
                )
            )
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    return sum(offer_reflection(reflection_id=pk, now=now) is not None for pk in waiting)


@transaction.atomic
def _reoffer(offer_id: int, *, now: datetime) -> int:
    prompt_id = ResponseOffer.objects.filter(pk=offer_id).values_list("prompt_id", flat=True).first()
    if prompt_id is None:
        return 0
    lock_space(prompt_id)
    offer = (
        ResponseOffer.objects.select_for_update()
        .filter(pk=offer_id, state=State.OPEN, expires_at__lte=now)
        .first()
    )
    if offer is None:
        return 0  # another worker took it, or a reply or decline ended it meanwhile
    post = _post(offer.reflection_id)
    offer.state = State.HEARD if post is not None and _is_heard(post) else State.EXPIRED
    offer.ended_at = now
    offer.save(update_fields=["state", "ended_at"])
    if post is not None and offer.state == State.EXPIRED:
        _offer(post, now=now, locked=True)
    return 1


def end_offers_for_reply(*, reply: Reflection, now: datetime | None = None) -> int:
    """A reply by anyone but the post's author ends the post's open offer: "answered" when the
    member offered it replied, "heard" otherwise. Called inside the reply's transaction, which
    holds the space's lock (``create_reflection``); one statement."""
    if reply.thread_id is None or reply.is_private or reply.deleted_at is not None:
        return 0
    return (
        ResponseOffer.objects.filter(reflection_id=reply.thread_id, state=State.OPEN)
        .exclude(reflection__author_id=reply.author_id)
        .update(
            state=Case(
                When(offered_to_id=reply.author_id, then=Value(State.ANSWERED)), default=Value(State.HEARD)
            ),
            ended_at=now or timezone.now(),
        )
    )


# --- The activity's summary ------------------------------------------------------------------------


class SummaryError(ValueError):
    pass


@transaction.atomic
def publish_summary(*, prompt: Prompt, by, body: str, quoted_ids: list[int]) -> Summary:
    """Write (or rewrite) the activity's summary. Only quotable reflections may be quoted
    (``queries.quotable``: shared with the course, live, shown, readable by ``by``). The first
    publication tells everyone who reflected there (notice, and email by their settings)."""
    from facilitation.queries import quotable

    if not body.strip():
        raise SummaryError(_("Write what the group learned."))
    allowed = set(quotable(by, prompt).filter(pk__in=quoted_ids).values_list("pk", flat=True))
    if set(quoted_ids) - allowed:
        raise SummaryError(_("Only reflections shared with the whole course can be quoted."))
    lock_space(prompt.pk)  # shown on the space page: its version moves (trigger), writes queue here
    now = timezone.now()
    summary = Summary.objects.select_for_update().filter(prompt=prompt).first()
    first = summary is None
    if first:
        summary = Summary(prompt=prompt, published_at=now)
    summary.author, summary.body = by, body
    summary.body_html = render_markdown(body)
    summary.quoted_ids = [pk for pk in dict.fromkeys(quoted_ids)]
    summary.save()
    if first:
        reflected = (
            Reflection.objects.filter(prompt=prompt, deleted_at__isnull=True)
            .exclude(author_id=by.pk)
            .order_by()
            .values_list("author_id", flat=True)
            .distinct()
        )
        signals.activity_summarised.send(
            sender=Summary, prompt_id=prompt.pk, facilitator_id=by.pk, user_ids=sorted(reflected)
        )
    return summary


@transaction.atomic
def withdraw_summary(*, prompt: Prompt) -> None:
    lock_space(prompt.pk)
    Summary.objects.filter(prompt=prompt).delete()


# --- The prompt library ----------------------------------------------------------------------------

LIBRARY_FIELDS = ("title", "body", "scaffold", "custom_sections", "suggested_words", "independent_reflection")
# Prompt settings kept in ``LibraryPrompt.extra_settings`` where the prompt has them (anonymous
# posting arrives with the merge of issue 23's "anonymous to colleagues").
EXTRA_SETTINGS = ("anonymous_posting",)


def _extra_settings(prompt: Prompt) -> dict:
    return {name: getattr(prompt, name) for name in EXTRA_SETTINGS if hasattr(prompt, name)}


@dataclass
class Saved:
    library_prompt: LibraryPrompt
    created: bool


@transaction.atomic
def save_to_library(*, prompt: Prompt, by) -> Saved:
    """The activity's question, guidance, scaffold and settings, saved to ``by``'s library (once:
    saving again returns the entry it ran from)."""
    run = LibraryRun.objects.select_related("library_prompt").filter(prompt=prompt).first()
    if run is not None:
        return Saved(run.library_prompt, created=False)
    heard = HeardSettings.objects.filter(prompt=prompt).first()
    entry = LibraryPrompt.objects.create(
        owner=by, **{name: getattr(prompt, name) for name in LIBRARY_FIELDS},
        extra_settings=_extra_settings(prompt),
        heard_enabled=bool(heard and heard.enabled),
        heard_window_hours=heard.window_hours if heard else DEFAULT_WINDOW_HOURS,
    )  # fmt: skip
    LibraryRun.objects.create(library_prompt=entry, prompt=prompt)
    return Saved(entry, created=True)


@transaction.atomic
def create_from_library(*, library_prompt: LibraryPrompt, lesson: Lesson, by) -> Prompt:
    """A new activity in ``lesson`` from a library entry (through community's service), with its
    settings, counted as one more run of the entry."""
    extra = {name: value for name, value in library_prompt.extra_settings.items() if name in PROMPT_FIELDS}
    prompt = create_prompt(
        lesson=lesson, author=by, **{name: getattr(library_prompt, name) for name in LIBRARY_FIELDS}, **extra
    )
    if library_prompt.heard_enabled:
        set_heard(prompt=prompt, enabled=True, window_hours=library_prompt.heard_window_hours)
    LibraryRun.objects.create(library_prompt=library_prompt, prompt=prompt)
    return prompt

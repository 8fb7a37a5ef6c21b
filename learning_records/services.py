"""Learning records: what is written to the outbox (in the transaction of the event it records)
and how the worker delivers it (``send_due``).

Recorded only when ``LRS_URL`` is set. Each ``record_*`` returns whether it wrote a statement; the
receivers then queue a delivery after the commit (``tasks.send_statements``), and a periodic job
drains whatever a failed delivery left (``tasks.drain_outbox``).
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import sees_everything
from community.models import Like, Prompt, Reflection
from learning_records import lrs, statements
from learning_records.models import RecordSettings, Statement
from lessons.models import Cohort, Enrolment

logger = logging.getLogger(__name__)
Verb = Statement.Verb

# "Viewed an activity": one statement per visit, a visit being an opening of the activity's space
# after at least this long without one (the space page records every showing).
VIEW_GAP = timedelta(minutes=30)
# A claimed batch is someone's for this long: a worker that dies mid-send leaves it due again.
LEASE = timedelta(minutes=2)
# Waits after each failed attempt: 30 s, 1 min, 2 min… at most an hour.
FIRST_WAIT_SECONDS, LONGEST_WAIT_SECONDS = 30, 3600


def enabled() -> bool:
    return bool(settings.LRS_URL)


def settings_for(user_id: int) -> RecordSettings:
    """The member's learning-record settings, made (nothing shared, a new opaque id) on first need."""
    return RecordSettings.objects.get_or_create(user_id=user_id)[0]


@transaction.atomic
def set_consent(*, user, share_reflection_text: bool, share_like_reasons: bool) -> RecordSettings:
    """What the member agrees to send from now on (statements already written stay as written)."""
    record = settings_for(user.pk)
    record.share_reflection_text = share_reflection_text
    record.share_like_reasons = share_like_reasons
    record.save(update_fields=["share_reflection_text", "share_like_reasons", "updated_at"])
    return record


def _place(prompt_id: int) -> statements.Place | None:
    row = (
        Prompt.objects.filter(pk=prompt_id)
        .values_list("title", "lesson_id", "lesson__title", "lesson__course_id", "lesson__course__title")
        .first()
    )
    return None if row is None else statements.Place(prompt_id, *row)


def _write(
    *,
    user_id: int,
    verb: str,
    place: statements.Place,
    when: datetime | None = None,
    record: RecordSettings | None = None,
    **parts,
) -> Statement:
    """One statement about ``user_id`` in ``place``, into the outbox. ``parts``: ``object`` (the
    activity when omitted), ``parent``, ``response`` (already cleared without consent), ``completion``.
    ``record``: the member's settings, when the caller has read them."""
    statement_id = uuid.uuid4()
    parts.setdefault("object", statements.activity(place))
    record = record or settings_for(user_id)
    payload = statements.statement(
        id=statement_id, account_name=record.account_name, verb=verb, place=place,
        timestamp=when or timezone.now(), **parts,
    )  # fmt: skip
    return Statement.objects.create(
        id=statement_id, user_id=user_id, verb=verb, prompt_id=place.prompt_id, payload=payload
    )


def _is_learner(user, course_id: int) -> bool:
    """Whom course progress counts (``community.templatetags.community.reflection_progress_for``):
    enrolled in the course, not leading it (facilitators, moderators, staff, its cohorts' facilitators)."""
    if sees_everything(user):
        return False
    leads = Cohort.facilitators.through.objects.filter(user_id=user.pk, cohort__course_id=course_id)
    return Enrolment.objects.filter(user_id=user.pk, course_id=course_id).exists() and not leads.exists()


def record_post(*, reflection: Reflection) -> bool:
    """A reflection or reply was posted (or a private one shared: that is when others may read it).

    "posted" for a reflection, "replied" for a reply (its parent the post it answers), the words in
    ``result.response`` if the author agreed. "completed" the activity for a learner's first live,
    shared, shown reflection there: what course progress counts and independent reflection opens
    on (``Reflection.objects.answered_by``). A private reflection is never recorded.
    """
    if reflection.is_private or reflection.is_deleted:
        return False
    place = _place(reflection.prompt_id)
    if place is None:
        return False
    author = reflection.author
    record = settings_for(author.pk)
    words = reflection.body if record.share_reflection_text else None
    if reflection.is_reply:
        _write(
            user_id=author.pk, verb=Verb.REPLIED, place=place, object=statements.post(reflection.pk),
            parent=statements.post(reflection.parent_id), response=words, when=reflection.created_at,
            record=record,
        )  # fmt: skip
        return True
    _write(
        user_id=author.pk, verb=Verb.POSTED, place=place, object=statements.post(reflection.pk),
        response=words, when=reflection.created_at, record=record,
    )  # fmt: skip
    earlier = (
        Reflection.objects.answered_by(author).filter(prompt_id=place.prompt_id).exclude(pk=reflection.pk)
    )
    recorded = Statement.objects.filter(user_id=author.pk, prompt_id=place.prompt_id, verb=Verb.COMPLETED)
    first = not earlier.exists() and not recorded.exists()
    if first and reflection.hidden_at is None and _is_learner(author, place.course_id):
        _write(
            user_id=author.pk, verb=Verb.COMPLETED, place=place, completion=True,
            when=reflection.created_at, record=record,
        )  # fmt: skip
    return True


def record_like(*, reflection: Reflection, user_id: int) -> bool:
    """A member liked a post: "liked" the post (never its words, nor whose it is)."""
    if reflection.is_private:
        return False
    place = _place(reflection.prompt_id)
    if place is None:
        return False
    _write(user_id=user_id, verb=Verb.LIKED, place=place, object=statements.post(reflection.pk))
    return True


def record_like_reason(*, reflection_id: int, user_id: int) -> bool:
    """A like's reason was given or changed: "liked" the post again with the reason in
    ``result.response``, only if the member agreed to share their reasons. A reason taken back,
    or not shared, writes nothing (the like itself was recorded when it was given)."""
    row = (
        Like.objects.filter(reflection_id=reflection_id, user_id=user_id, reflection__is_private=False)
        .values_list("reason", "reflection__prompt_id")
        .first()
    )
    if row is None or not row[0]:
        return False
    record = settings_for(user_id)
    reason, prompt_id = row
    place = _place(prompt_id)
    if place is None or not record.share_like_reasons:
        return False
    _write(
        user_id=user_id, verb=Verb.LIKED, place=place, object=statements.post(reflection_id),
        response=reason, record=record,
    )  # fmt: skip
    return True


def record_view(*, user_id: int, prompt_id: int) -> bool:
    """A member opened an activity's space: "viewed" it, once per visit (``VIEW_GAP``)."""
    since = timezone.now() - VIEW_GAP
    seen = Statement.objects.filter(
        user_id=user_id, prompt_id=prompt_id, verb=Verb.VIEWED, created_at__gt=since
    )
    if seen.exists():
        return False
    place = _place(prompt_id)
    if place is None:
        return False
    _write(user_id=user_id, verb=Verb.VIEWED, place=place)
    return True


# --- Delivery (the worker) ---------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(LONGEST_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** max(attempts - 1, 0)))


def _claim(now: datetime, size: int) -> list[Statement]:
    """The next due statements, oldest first, taken for ``LEASE`` (another worker skips them)."""
    with transaction.atomic():
        rows = list(
            Statement.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, rejected_at__isnull=True, next_attempt_at__lte=now)
            .order_by("created_at", "id")
            .only("id", "payload", "attempts")[:size]
        )
        if rows:
            Statement.objects.filter(pk__in=[row.pk for row in rows]).update(
                attempts=F("attempts") + 1, next_attempt_at=now + LEASE
            )
    for row in rows:
        row.attempts += 1
    return rows


def _sent(rows: list[Statement]) -> None:
    Statement.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now(), last_error="")


def _rejected(row: Statement, why: str) -> None:
    logger.warning("learning record %s rejected: %s", row.pk, why)
    Statement.objects.filter(pk=row.pk).update(rejected_at=timezone.now(), last_error=why[:500])


def _failed(rows: list[Statement], why: str, now: datetime) -> None:
    for row in rows:
        Statement.objects.filter(pk=row.pk).update(
            next_attempt_at=now + backoff(row.attempts), last_error=why[:500]
        )


def _deliver(rows: list[Statement], now: datetime) -> bool:
    """Send one claimed batch. False when the LRS could not take it (unreachable, refusing us, or
    failing): the batch waits for its next attempt and the caller stops for now."""
    valid = []
    for row in rows:
        problem = statements.validate(row.payload)
        if problem:
            _rejected(row, f"invalid xAPI: {problem}")
        else:
            valid.append(row)
    if not valid:
        return True
    try:
        answer = lrs.post_statements([row.payload for row in valid])
    except lrs.Unreachable as error:
        _failed(valid, f"unreachable: {error}", now)
        return False
    if answer.stored:
        _sent(valid)
        return True
    if answer.status in (400, 409) and len(valid) > 1:
        # One bad statement refuses the whole batch: send them one by one to find it.
        return all([_deliver([row], now) for row in valid])
    if answer.status in (400, 409):
        _rejected(valid[0], f"LRS answered {answer.status}: {answer.body}")
        return True
    _failed(valid, f"LRS answered {answer.status}: {answer.body}", now)
    return False


def send_due(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Send every due statement, a batch at a time, until none is due or the LRS fails (what is
    left waits for its next attempt). Returns how many the LRS stored."""
    if not enabled():
        return 0
    now = now or timezone.now()
    size = batch_size or settings.LRS_BATCH_SIZE
    stored = 0
    while rows := _claim(now, size):
        if not _deliver(rows, now):
            break
        stored += Statement.objects.filter(pk__in=[row.pk for row in rows], sent_at__isnull=False).count()
    return stored


# --- The member's own records ------------------------------------------------------------------


def member_statements(user) -> list[dict]:
    """Every statement recorded about ``user``, oldest first, as sent (or to be sent)."""
    return list(
        Statement.objects.filter(user_id=user.pk)
        .order_by("created_at", "id")
        .values_list("payload", flat=True)
    )


def delete_member_records(user, remove_posts: bool) -> None:
    """Account deletion (``accounts.member_data``): the member's statements and settings go; what
    the LRS already holds is the LRS's (docs/learning-records.md)."""
    Statement.objects.filter(user_id=user.pk).delete()
    RecordSettings.objects.filter(user_id=user.pk).delete()

"""Writes of follow-through: plans ("Come back to this"), follow-ups, the reminders and weekly
summaries the worker sends, and the reader counts. Each in one transaction; what others do about
it (a notice, an email) goes through the trunk's signals (``community.signals.follow_up_due``,
``reflections_landed``), which notifications answers."""

import logging
import uuid
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.locale import as_recipient
from community import services as community_services
from community import signals
from community.models import ActivityVisit, Reflection
from followthrough import queries
from followthrough.forms import due_date
from followthrough.models import Plan, ReadCount

logger = logging.getLogger(__name__)
User = get_user_model()


class FollowUpRefused(PermissionError):
    """Only a reflection's author plans to come back to it or follows it up, and not while a
    moderator has hidden it."""


def _check_own(reflection: Reflection, user) -> None:
    if reflection.author_id != user.pk or reflection.thread_id is not None or reflection.is_deleted:
        raise FollowUpRefused("Only the author of a reflection comes back to it.")


@transaction.atomic
def plan_follow_up(*, reflection: Reflection, user, due_on: date) -> Plan:
    """Set (or change) the day to come back to ``reflection``: a changed day is reminded of again."""
    _check_own(reflection, user)
    plan, created = Plan.objects.select_for_update().get_or_create(
        reflection=reflection, defaults={"user": user, "due_on": due_on}
    )
    if not created and plan.due_on != due_on:
        plan.due_on, plan.reminded_at = due_on, None
        plan.save(update_fields=["due_on", "reminded_at", "updated_at"])
    return plan


@transaction.atomic
def cancel_plan(*, reflection: Reflection, user) -> bool:
    """ "Cancel reminder": no day any more (idempotent). Returns whether there was one."""
    _check_own(reflection, user)
    deleted, _ = Plan.objects.filter(reflection=reflection).delete()
    return bool(deleted)


def plan_from_composer(*, reflection: Reflection, extras: dict) -> Plan | None:
    """The composer's "Come back to this" (``community.signals.reflection_composed``), in the
    post's transaction. The day is counted from the author's today."""
    due = due_date(extras.get("come_back") or "", extras.get("come_back_on"), today=timezone.localdate())
    if due is None or reflection.thread_id is not None:
        return None
    return plan_follow_up(reflection=reflection, user=reflection.author, due_on=due)


@transaction.atomic
def write_follow_up(
    *,
    original: Reflection,
    author,
    body: str,
    submission_key: uuid.UUID | None = None,
    content_note: str = "",
) -> Reflection:
    """The follow-up to ``original`` (the author's own reflection): a reply with its sharing
    (``create_reflection(follows_up=…)``); its plan, if any, is followed up."""
    _check_own(original, author)
    if original.is_hidden:  # its readers are the author and moderators now: wait for the review
        raise FollowUpRefused("A reflection hidden by a moderator takes no follow-up.")
    follow_up = community_services.create_reflection(
        prompt=original.prompt, author=author, body=body, submission_key=submission_key,
        content_note=content_note, follows_up=original,
    )  # fmt: skip
    Plan.objects.filter(reflection=original, followed_up_at__isnull=True).update(
        followed_up_at=follow_up.created_at
    )
    return follow_up


def follow_up_path(reflection_id: int) -> str:
    return reverse("followthrough:follow-up", args=[reflection_id])


# --- The worker's work ----------------------------------------------------------------------------


def member_today(user, now: datetime) -> date:
    """``now`` as a day in the member's own time zone."""
    return timezone.localtime(now, queries.member_zone(user)).date()


def remind_due_plans(*, now: datetime | None = None) -> int:
    """Ask "How did it go?" of every member whose day has come (in their time zone) and who has not
    followed up: each plan once (``reminded_at``), in its own transaction, a plan someone else is
    reminding skipped. A plan whose reflection is gone or removed went with it. Returns how many."""
    now = now or timezone.now()
    # Every time zone's today is at most 14 hours ahead of UTC.
    candidates = (
        Plan.objects.filter(
            reminded_at__isnull=True,
            followed_up_at__isnull=True,
            due_on__lte=(now + timedelta(hours=14)).date(),
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for plan_id in list(candidates):
        with transaction.atomic():
            plan = (
                Plan.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user", "reflection")
                .filter(pk=plan_id, reminded_at__isnull=True, followed_up_at__isnull=True)
                .first()
            )
            if plan is None or plan.due_on > member_today(plan.user, now):
                continue
            plan.reminded_at = now
            plan.save(update_fields=["reminded_at"])
            if plan.reflection.is_deleted or not plan.user.is_active:
                continue
            signals.follow_up_due.send(
                sender=Plan, user_id=plan.user_id, reflection_id=plan.reflection_id,
                prompt_id=plan.reflection.prompt_id, link=follow_up_path(plan.reflection_id),
            )  # fmt: skip
            sent += 1
    return sent


def count_readers(*, prompt_id: int, now: datetime | None = None) -> int:
    """Recount "Read by N colleagues" for the shared, live top-level reflections of one activity:
    for each, the other members whose latest visit to the space (``ActivityVisit``) came after it
    was posted and who may read it now (``Reflection.objects.visible_to(member)``, one query per
    visitor). Private reflections are never counted. Returns how many posts were counted."""
    now = now or timezone.now()
    posts = list(
        Reflection.objects.filter(prompt_id=prompt_id, is_private=False)
        .live()
        .top_level()
        .values_list("pk", "author_id", "created_at")
    )
    if not posts:
        return 0
    visits = dict(ActivityVisit.objects.filter(prompt_id=prompt_id).values_list("user_id", "visited_at"))
    readers = dict.fromkeys((pk for pk, _, _ in posts), 0)
    ids = list(readers)
    for member in User.objects.filter(pk__in=list(visits), is_active=True).order_by("pk"):
        readable = set(Reflection.objects.visible_to(member).filter(pk__in=ids).values_list("pk", flat=True))
        for pk, author_id, created_at in posts:
            if pk in readable and author_id != member.pk and visits[member.pk] > created_at:
                readers[pk] += 1
    with transaction.atomic():
        ReadCount.objects.bulk_create(
            [ReadCount(reflection_id=pk, author_id=author_id, readers=readers[pk], counted_at=now)
             for pk, author_id, _ in posts],
            update_conflicts=True, unique_fields=["reflection"], update_fields=["readers", "counted_at"],
        )  # fmt: skip
    return len(posts)


def activities_visited_since(since: datetime) -> list[int]:
    return sorted(set(ActivityVisit.objects.filter(visited_at__gt=since).values_list("prompt_id", flat=True)))


def send_landed(*, user_id: int, now: datetime | None = None) -> bool:
    """The member's weekly "How my reflections landed", as a notice (and an email by their
    settings: notifications answers ``reflections_landed``); nothing when the week brought
    nothing. Returns whether it was sent."""
    now = now or timezone.now()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    summary = queries.landed(user, now=now)
    if summary.empty:
        return False
    with as_recipient(user):  # the worker has no request: the notice is in the member's language
        text = summary.line()
    with transaction.atomic():
        signals.reflections_landed.send(
            sender=ReadCount, user_id=user.pk, text=text, link=reverse("followthrough:landed")
        )
    return True

"""Writes for notifications: following, notices, preferences, reading. Each in one transaction.

Who is told about what is decided here; the worker (``tasks.py``) calls these for fan-out, and
every notice about a post is checked against ``Reflection.objects.visible_to(recipient)`` first,
so nobody hears about words they may not read.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community import bylines
from community.models import Like, Prompt, Reflection
from core import versions
from core.markdown import mentioned_handles
from core.text import excerpt
from notifications.kinds import DEFAULT_DELIVERY, GROUP_OF, Delivery, Group, Kind
from notifications.models import Notification, Preference, Subscription

User = get_user_model()
Level = Subscription.Level
# When one post is several things to one member, they get one notice, of the first kind that
# applies: the most specific (an answer to them, then a mention of them, then what they follow).
PRIORITY = [Kind.REPLY, Kind.MENTION, Kind.THREAD_REPLY, Kind.NEW_REFLECTION]
POST_KINDS = tuple(PRIORITY)
# The answered post is named in a reply's notice by this much of its text.
ANSWERED_EXCERPT_CHARS = 60
FAN_OUT_CHUNK = 500


# --- Following ------------------------------------------------------------------------------------


def set_thread_level(*, user, thread: Reflection, level: str) -> Subscription:
    thread_id = thread.thread_id or thread.pk
    subscription, _created = Subscription.objects.update_or_create(
        user=user, thread_id=thread_id, defaults={"level": level}
    )
    return subscription


def set_activity_level(*, user, prompt: Prompt, level: str) -> Subscription:
    subscription, _created = Subscription.objects.update_or_create(
        user=user, prompt=prompt, defaults={"level": level}
    )
    return subscription


def follow_automatically(*, reflection: Reflection) -> None:
    """You follow your own reflections and the conversations you reply in (unless you muted them)."""
    Subscription.objects.get_or_create(
        user_id=reflection.author_id, thread_id=reflection.thread_id or reflection.pk,
        defaults={"level": Level.WATCHING},
    )  # fmt: skip


# --- Preferences ----------------------------------------------------------------------------------


def delivery_for(user_id: int, group: str) -> str:
    chosen = (
        Preference.objects.filter(user_id=user_id, group=group).values_list("delivery", flat=True).first()
    )
    return chosen or DEFAULT_DELIVERY[group]


def deliveries(user_id: int) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(user_id=user_id).values_list("group", "delivery"))
    return {group: chosen.get(group, default) for group, default in DEFAULT_DELIVERY.items()}


@transaction.atomic
def set_delivery(*, user, group: str, delivery: str) -> None:
    Group(group), Delivery(delivery)  # ValueError on anything else
    Preference.objects.update_or_create(user=user, group=group, defaults={"delivery": delivery})


# --- Notices --------------------------------------------------------------------------------------


def _may_read(user, reflection: Reflection) -> bool:
    return Reflection.objects.visible_to(user).filter(pk=reflection.pk).exists()


def wants_email_now(user_id: int, kind: str) -> bool:
    return delivery_for(user_id, GROUP_OF[kind]) == Delivery.IMMEDIATELY


def recipients_for_post(reflection: Reflection) -> dict[int, str]:
    """{member id: kind} for a new post: the author of the post it answers, the members it
    mentions, those following its conversation, and (for a new reflection) those watching the
    activity. Never its author; muted conversations and activities stay silent except for a
    direct mention. Visibility is checked later, per recipient."""
    wanted: dict[int, str] = {}

    def add(user_ids: Iterable[int], kind: str) -> None:
        for user_id in user_ids:
            if user_id != reflection.author_id and (
                user_id not in wanted or PRIORITY.index(kind) < PRIORITY.index(wanted[user_id])
            ):
                wanted[user_id] = kind

    handles = mentioned_handles(reflection.body)
    if handles:
        add(
            User.objects.filter(handle__in=handles, is_active=True).values_list("pk", flat=True), Kind.MENTION
        )
    muted = set()
    if reflection.thread_id:
        thread_subs = Subscription.objects.filter(thread_id=reflection.thread_id)
        muted = set(thread_subs.filter(level=Level.MUTED).values_list("user_id", flat=True))
        parent_author = (
            Reflection.objects.filter(pk=reflection.parent_id).values_list("author_id", flat=True).first()
        )
        if parent_author and parent_author not in muted:
            add([parent_author], Kind.REPLY)
        add(
            (
                u
                for u in thread_subs.filter(level=Level.WATCHING).values_list("user_id", flat=True)
                if u not in muted
            ),
            Kind.THREAD_REPLY,
        )
    else:
        activity_subs = Subscription.objects.filter(prompt_id=reflection.prompt_id)
        muted = set(activity_subs.filter(level=Level.MUTED).values_list("user_id", flat=True))
        add(
            (
                u
                for u in activity_subs.filter(level=Level.WATCHING).values_list("user_id", flat=True)
                if u not in muted
            ),
            Kind.NEW_REFLECTION,
        )
    return wanted


def post_excerpt(reflection, chars: int) -> str:
    """A post's excerpt in a notice or an email, or its content note instead (issue 23): the reader
    chooses to read on, on the post itself."""
    if reflection.content_note:
        return _("Content note: %(note)s") % {"note": reflection.content_note}
    return excerpt(reflection.body_html, chars)


def notify_post(reflection_id: int) -> list[int]:
    """Write the notices for a new post, in chunks; returns who should be emailed right away.

    One notice per member and post (``recipients_for_post`` picks its kind; a fan-out run again,
    a retried job, writes none twice). A reply's notice names the post it answers by an excerpt
    of its rendered text, for members who may read that post. A notice carries the time of the
    post, not of the worker's run (a queue that waited; the demo's posts, backdated)."""
    reflection = (
        Reflection.objects.select_related("prompt__lesson", "parent").filter(pk=reflection_id).first()
    )
    if reflection is None or reflection.is_deleted or reflection.is_hidden:
        return []
    course_id = reflection.prompt.lesson.course_id
    wanted = recipients_for_post(reflection)
    answered = reflection.parent if reflection.parent_id and not reflection.parent.is_deleted else None
    answered_excerpt = post_excerpt(answered, ANSWERED_EXCERPT_CHARS) if answered else ""
    email_now: list[int] = []
    ids = sorted(wanted)
    for start in range(0, len(ids), FAN_OUT_CHUNK):
        # Groups prefetched: visible_to reads each member's roles (is_moderator, sees_everything).
        chunk = User.objects.filter(
            pk__in=ids[start : start + FAN_OUT_CHUNK], is_active=True
        ).prefetch_related("groups")
        with transaction.atomic():
            told = set(
                Notification.objects.filter(
                    reflection=reflection,
                    kind__in=POST_KINDS,
                    recipient_id__in=ids[start : start + FAN_OUT_CHUNK],
                ).values_list("recipient_id", flat=True)
            )
            notices = []
            for member in chunk:
                if member.pk in told:
                    continue
                readable = _readable(member, reflection, answered)
                if reflection.pk not in readable:
                    continue
                notices.append(
                    Notification(
                        recipient=member,
                        kind=wanted[member.pk],
                        # An anonymous post's notice names no one to whom may not know
                        # who wrote it: "Colleague 4 replied to you" (community.bylines).
                        actor_id=reflection.author_id
                        if bylines.knows_author(member, reflection, course_id=course_id)
                        else None,
                        reflection=reflection,
                        prompt_id=reflection.prompt_id,
                        text=answered_excerpt if answered and answered.pk in readable else "",
                    )
                )
            Notification.objects.bulk_create(notices)
            _carry_time([n.pk for n in notices], reflection.created_at)
        chosen = _chosen_deliveries([n.recipient_id for n in notices])
        email_now += [
            n.recipient_id
            for n in notices
            if chosen.get((n.recipient_id, GROUP_OF[n.kind]), DEFAULT_DELIVERY[GROUP_OF[n.kind]])
            == Delivery.IMMEDIATELY
        ]
    return email_now


def _readable(member, reflection: Reflection, answered: Reflection | None) -> set[int]:
    """Which of the post and the post it answers ``member`` may read: one query, the read rule."""
    ids = [reflection.pk] + ([answered.pk] if answered else [])
    return set(Reflection.objects.visible_to(member).filter(pk__in=ids).values_list("pk", flat=True))


def _carry_time(notice_ids: list[int], when) -> None:
    """Give notices the time of what they tell of (never later than now): their rows were just
    written with the time of writing (``auto_now``)."""
    if notice_ids and when is not None:
        when = min(when, timezone.now())
        Notification.objects.filter(pk__in=notice_ids).update(created_at=when, updated_at=when)


def _chosen_deliveries(user_ids: list[int]) -> dict[tuple[int, str], str]:
    """{(member id, group): delivery} for the members' own choices, in one query (no row: the default)."""
    rows = Preference.objects.filter(user_id__in=user_ids).values_list("user_id", "group", "delivery")
    return {(user_id, group): delivery for user_id, group, delivery in rows}


def _liked_post_and_author(reflection_id: int, liker_id: int):
    """(post, author) for a like notice, or None: the post is gone, the liker is its author, or
    the author is inactive or may no longer read it."""
    reflection = Reflection.objects.filter(pk=reflection_id).first()
    if reflection is None or reflection.is_deleted or reflection.author_id == liker_id:
        return None
    author = User.objects.filter(pk=reflection.author_id, is_active=True).first()
    if author is None or not _may_read(author, reflection):
        return None
    return reflection, author


@transaction.atomic
def notify_like(reflection_id: int, liker_id: int) -> Notification | None:
    """One notice per liked post while it is unread: "<name> and 3 others liked your reflection"."""
    found = _liked_post_and_author(reflection_id, liker_id)
    if found is None:
        return None
    reflection, author = found
    # The notice carries the time of the like, not of the worker's run (the demo's likes are backdated).
    liked_at = min(
        Like.objects.filter(reflection=reflection, user_id=liker_id)
        .values_list("created_at", flat=True)
        .first()
        or timezone.now(),
        timezone.now(),
    )
    notice = (
        Notification.objects.select_for_update()
        .filter(recipient=author, kind=Kind.LIKES, reflection=reflection, read_at__isnull=True)
        .first()
    )
    if notice is None:
        notice = Notification.objects.create(
            recipient=author,
            kind=Kind.LIKES,
            actor_id=liker_id,
            reflection=reflection,
            prompt_id=reflection.prompt_id,
        )
        _carry_time([notice.pk], liked_at)
        return notice
    if notice.actor_id != liker_id:
        # The notice's text is its actor's reason ("… liked your reflection: “…”"): not this liker's.
        Notification.objects.filter(pk=notice.pk).update(
            actor_id=liker_id, others_count=F("others_count") + 1, updated_at=max(liked_at, notice.updated_at),
            emailed_at=None, text="",
        )  # fmt: skip
    return notice


@transaction.atomic
def notify_like_reason(reflection_id: int, liker_id: int) -> Notification | None:
    """Put a like's reason in the author's like notice: "Ben liked your reflection: “…”".

    The reason usually arrives just after the like, so the post's unread like notice (or a new one,
    when it was read meanwhile) takes it with the liker as its actor; the others who liked stay
    counted. A reason taken back (or its like) leaves the notice when it showed that reason.
    Only the author reads a reason, and only while they may read the post.
    """
    found = _liked_post_and_author(reflection_id, liker_id)
    if found is None:
        return None
    reflection, author = found
    reason = (
        Like.objects.filter(reflection_id=reflection_id, user_id=liker_id)
        .values_list("reason", flat=True)
        .first()
        or ""
    )
    unread = Notification.objects.select_for_update().filter(
        recipient=author, kind=Kind.LIKES, reflection=reflection, read_at__isnull=True
    )
    notice = unread.first()
    if not reason:
        if notice is not None and notice.actor_id == liker_id and notice.text:
            unread.filter(pk=notice.pk).update(text="")
        return notice
    if notice is None:
        return Notification.objects.create(
            recipient=author, kind=Kind.LIKES, actor_id=liker_id, reflection=reflection,
            prompt_id=reflection.prompt_id, text=reason,
        )  # fmt: skip
    # The liker becomes the actor; if they were among the "others", the count is unchanged (the
    # previous actor joins the others as they leave them).
    unread.filter(pk=notice.pk).update(actor_id=liker_id, text=reason, updated_at=timezone.now())
    return notice


MODERATION_KINDS = {
    "hidden": Kind.POST_HIDDEN,
    "pending": Kind.POST_PENDING,
    "restored": Kind.POST_RESTORED,
    "removed": Kind.POST_REMOVED,
    "suspended": Kind.SUSPENDED,
    "reinstated": Kind.REINSTATED,
}


def notify_member(*, user_id: int, kind: str, actor_id: int | None = None, reflection_id: int | None = None,
                  prompt_id: int | None = None, text: str = "", link: str = "") -> Notification | None:  # fmt: skip
    """A notice about the member's own post or account (moderation). Never to the actor."""
    if actor_id == user_id or not User.objects.filter(pk=user_id, is_active=True).exists():
        return None
    return Notification.objects.create(
        recipient_id=user_id, kind=kind, actor_id=actor_id, reflection_id=reflection_id,
        prompt_id=prompt_id, text=text[:300], link=link[:200],
    )  # fmt: skip


# --- Reading --------------------------------------------------------------------------------------


def visible_notifications(user):
    """The member's notices, leaving out any about a post they may no longer read (hidden since)."""
    mine = Notification.objects.filter(recipient=user)
    # Ask visible_to only about the posts these notices point to (not every post on the site).
    readable = Reflection.objects.visible_to(user).filter(pk__in=mine.values("reflection_id")).values("pk")
    return mine.filter(Q(reflection__isnull=True) | Q(reflection__in=readable))


def with_answered_excerpts(notices, user):
    """``notices`` with ``answered_readable``: whether the member may still read the post a reply
    answers, whose excerpt the notice carries (``notice.text``, written when the reply was posted):
    a post hidden since is named no more ("replied to your reflection", no words). In the notice's
    own query, as a subquery through the read rule."""
    answered = Reflection.objects.visible_to(user).filter(pk=OuterRef("reflection__parent_id"))
    return notices.annotate(answered_readable=Exists(answered))


def unread_count_dependencies(user) -> set[str]:
    """What the header's count of unread notices depends on (``core.conditional``): the member's
    notices (``notices:<id>``), and the spaces and courses of the posts they are about, since
    only those the member may still read count. One query, none for visitors."""
    if not user.is_authenticated:
        return set()
    if user.__dict__.get("_no_unread_notices"):  # the header's probe found none (``unread_count``)
        return {versions.notices_scope(user.pk)}
    pairs = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True, reflection__isnull=False)
        .order_by()
        .values_list("reflection__prompt_id", "reflection__prompt__lesson__course_id")
        .distinct()
    )
    return {
        versions.notices_scope(user.pk),
        *(versions.space_scope(prompt_id) for prompt_id, _ in pairs),
        *(versions.course_scope(course_id) for _, course_id in pairs),
    }


def unread_count(user) -> int:
    """The header's count. visible_to is asked only about the posts of this member's unread
    notices: filtered against every post the member may read, PostgreSQL hashed them all and the
    header grew with the site (100-130 ms at 100,000 posts). And only when there are unread notices
    at all: most pages are seen with none, and a probe of the recipient's index is one small query
    where the count with the read rule costs ~5 ms to build and plan (one query more when there
    are some)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if not unread.exists():
        user.__dict__["_no_unread_notices"] = True  # the header depends on nothing more this request
        return 0
    readable = Reflection.objects.visible_to(user).filter(pk__in=unread.values("reflection_id")).values("pk")
    return unread.filter(Q(reflection__isnull=True) | Q(reflection__in=readable)).count()


def mark_read(*, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def mark_emailed(notification_ids: Iterable[int]) -> None:
    Notification.objects.filter(pk__in=list(notification_ids)).update(emailed_at=timezone.now())


def pending_email(user, deliveries_wanted: Iterable[str]):
    """Unread notices not yet emailed whose group the member wants delivered this way, readable now."""
    groups = {group for group, delivery in deliveries(user.pk).items() if delivery in set(deliveries_wanted)}
    kinds = [kind for kind, group in GROUP_OF.items() if group in groups]
    return (
        visible_notifications(user)
        .filter(read_at__isnull=True, emailed_at__isnull=True, kind__in=kinds)
        .select_related("actor", "reflection__prompt__lesson__course", "prompt__lesson__course")
        .order_by("created_at", "id")
    )


def email_delay_seconds() -> int:
    return settings.NOTIFY_EMAIL_DELAY_SECONDS

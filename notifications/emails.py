"""Notification emails: one message for a batch of notices (immediate or a digest), plain text and
HTML, with a signed one-click unsubscribe link (RFC 8058) for the kind of notice it carries."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.locale import as_recipient, recipient_zone
from core.dates import format_timestamp
from core.tasks import send_email
from notifications import services
from notifications.kinds import GROUP_OF, Delivery, Group, Kind
from notifications.models import Notification

User = get_user_model()
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 90  # a link in a three-month-old email still works
EXCERPT_CHARS = 280


def unsubscribe_token(user_id: int, group: str) -> str:
    return signing.dumps({"u": user_id, "g": group}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(member id, group) from a token; raises signing.BadSignature (or SignatureExpired)."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    group = data.get("g")
    if not isinstance(data.get("u"), int) or group not in Group.values:
        raise signing.BadSignature("Not an unsubscribe token.")
    return data["u"], group


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def reminder_subject(notice: Notification) -> str:
    """A reminder's subject names who sent it and the lesson; the facilitator's message, which may
    be long, is in the body ("A reminder from Amara about Lesson 6")."""
    actor = notice.actor.display_name if notice.actor_id and notice.actor else ""
    prompt = notice.prompt if notice.prompt_id else None
    values = {"name": actor, "number": prompt.lesson.number if prompt else ""}  # lessons are "Lesson N"
    if actor and prompt:
        return _("A reminder from %(name)s about Lesson %(number)s") % values
    if actor:
        return _("A reminder from %(name)s") % values
    if prompt:
        return _("A reminder from your facilitator about Lesson %(number)s") % values
    return _("A reminder from your facilitator")


def describe(notice: Notification) -> str:
    """One line for a notice, in words a member reads in a list or an email."""
    from notifications.templatetags.notifications import notice_text

    return notice_text(notice)


def notice_course(notice: Notification):
    """The course a notice is about (its post's or activity's), or None."""
    if notice.reflection_id and notice.reflection is not None:
        return notice.reflection.prompt.lesson.course
    if notice.prompt_id and notice.prompt is not None:
        return notice.prompt.lesson.course
    return None


def send_notices(user, notices, *, digest: str | None) -> int:
    """Email ``notices`` (a queryset) to ``user`` in one message and mark them emailed. Returns how
    many were sent; nothing is sent when there are none (they were read, or hidden, meanwhile).
    Written in the member's language and zone (else their first notice's course's zone)."""
    notices = list(notices)
    if not notices:
        return 0
    with as_recipient(user, notice_course(notices[0])):
        return _send_notices(user, notices, digest=digest)


def _send_notices(user, notices: list[Notification], *, digest: str | None) -> int:
    groups = sorted({GROUP_OF[n.kind] for n in notices})
    group = groups[0] if len(groups) == 1 else ""
    token_group = group or GROUP_OF[notices[0].kind]
    unsubscribe_url = absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk, token_group)])
    )
    items = [
        {
            "text": describe(n),
            "url": absolute(reverse("notifications:open", args=[n.pk])),
            "excerpt": services.post_excerpt(n.reflection, EXCERPT_CHARS) if n.reflection_id else "",
            "at": format_timestamp(n.created_at),
        }
        for n in notices
    ]
    context = {
        "user": user,
        "items": items,
        "digest": digest,
        "site_name": settings.SITE_NAME,
        "settings_url": absolute(reverse("notifications:settings")),
        "unsubscribe_url": unsubscribe_url,
        "unsubscribe_label": Group(token_group).label,
        "notifications_url": absolute(reverse("notifications:list")),
        "language_code": translation.get_language(),
        "time_zone": timezone.get_current_timezone_name(),
    }
    site, count = settings.SITE_NAME, len(items)
    if digest == Delivery.DAILY:
        subject = ngettext(
            "[%(site)s] Your daily summary: %(count)d new",
            "[%(site)s] Your daily summary: %(count)d new",
            count,
        ) % {"site": site, "count": count}
    elif digest:
        subject = ngettext(
            "[%(site)s] Your weekly summary: %(count)d new",
            "[%(site)s] Your weekly summary: %(count)d new",
            count,
        ) % {"site": site, "count": count}
    elif len(items) == 1 and notices[0].kind == Kind.NUDGE:
        subject = f"[{site}] {reminder_subject(notices[0])}"
    elif len(items) == 1:
        subject = f"[{site}] {items[0]['text']}"
    else:
        subject = ngettext(
            "[%(site)s] %(count)d new notification", "[%(site)s] %(count)d new notifications", count
        ) % {"site": site, "count": count}
    send_email(  # in the worker already: send now (a failure makes this job retry)
        subject=subject[:200],
        body=render_to_string("notifications/email/notices.txt", context),
        html=render_to_string("notifications/email/notices.html", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    services.mark_emailed(n.pk for n in notices)
    return len(items)


def in_digest_morning(zone, now: datetime, delivery: str) -> bool:
    """Is ``now`` the morning hour (``DIGEST_LOCAL_HOUR``) in ``zone`` (weekly: on a Monday)?"""
    local = now.astimezone(zone)
    if local.hour != settings.DIGEST_LOCAL_HOUR:
        return False
    return delivery != Delivery.WEEKLY or local.weekday() == 0


def digest_recipients(delivery: str, now: datetime | None = None) -> list[int]:
    """Members with unread, un-emailed notices of a group they take in this summary (their own
    choice, or the default). Reading a notice on the site takes it out of the summary.

    With ``now`` (the hourly digest jobs), only members whose morning it is in their zone (else the
    course's of their first waiting notice, when they have none of their own), and only notices
    from before ``now``: a retry of the same run finds nothing new to send. Without: everyone."""
    waiting = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True, recipient__is_active=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    found = []
    for user in User.objects.filter(pk__in=waiting).order_by("pk"):
        pending = services.pending_email(user, [delivery])
        if now is None:
            if pending.exists():
                found.append(user.pk)
            continue
        pending = pending.filter(created_at__lt=now)
        if user.time_zone_set:
            if in_digest_morning(recipient_zone(user), now, delivery) and pending.exists():
                found.append(user.pk)
            continue
        first = pending.first()
        if first is not None and in_digest_morning(recipient_zone(user, notice_course(first)), now, delivery):
            found.append(user.pk)
    return found

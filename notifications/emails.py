"""Notification emails: one message for a batch of notices (immediate or a digest), plain text and
HTML, with a signed one-click unsubscribe link (RFC 8058) for the kind of notice it carries."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

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
    actor = notice.actor.display_name if notice.actor_id and notice.actor else "your facilitator"
    prompt = notice.prompt if notice.prompt_id else None
    about = f"Lesson {prompt.lesson.number}" if prompt else ""  # lessons are shown as "Lesson N"
    return f"A reminder from {actor} about {about}" if about else f"A reminder from {actor}"


def describe(notice: Notification) -> str:
    """One line for a notice, in words a member reads in a list or an email."""
    from notifications.templatetags.notifications import notice_text

    return notice_text(notice)


def send_notices(user, notices, *, digest: str | None) -> int:
    """Email ``notices`` (a queryset) to ``user`` in one message and mark them emailed. Returns how
    many were sent; nothing is sent when there are none (they were read, or hidden, meanwhile)."""
    notices = list(notices)
    if not notices:
        return 0
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
    }
    if digest:
        subject = f"[{settings.SITE_NAME}] Your {'daily' if digest == Delivery.DAILY else 'weekly'} summary: {len(items)} new"
    elif len(items) == 1 and notices[0].kind == Kind.NUDGE:
        subject = f"[{settings.SITE_NAME}] {reminder_subject(notices[0])}"
    elif len(items) == 1:
        subject = f"[{settings.SITE_NAME}] {items[0]['text']}"
    else:
        subject = f"[{settings.SITE_NAME}] {len(items)} new notifications"
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


def digest_recipients(delivery: str) -> list[int]:
    """Members with unread, un-emailed notices of a group they take in this summary (their own
    choice, or the default). Reading a notice on the site takes it out of the summary."""
    waiting = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True, recipient__is_active=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return [
        user.pk
        for user in User.objects.filter(pk__in=waiting).order_by("pk")
        if services.pending_email(user, [delivery]).exists()
    ]

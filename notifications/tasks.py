"""Worker jobs (Procrastinate): fan-out, emails, digests. Enqueued only through core.jobs.enqueue.

Mail jobs retry with growing waits, so a mail server that is down for a while loses nothing: the
notices stay unread and un-emailed until a send succeeds.
"""

import logging
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core.jobs import enqueue
from core.tasks import MAIL_RETRIES
from notifications import emails, services
from notifications.kinds import Delivery

logger = logging.getLogger(__name__)
User = get_user_model()


@app.task(name="notifications.fan_out_post", retry=RetryStrategy(max_attempts=3, wait=10))
def fan_out_post(reflection_id: int) -> None:
    """Tell everyone who follows, is answered or is mentioned by a new post (in chunks)."""
    for user_id in services.notify_post(reflection_id):
        email_soon(user_id)


@app.task(name="notifications.notify_like", retry=RetryStrategy(max_attempts=3, wait=10))
def notify_like(reflection_id: int, liker_id: int) -> None:
    notice = services.notify_like(reflection_id, liker_id)
    if notice is not None and services.wants_email_now(notice.recipient_id, notice.kind):
        email_soon(notice.recipient_id)


@app.task(name="notifications.notify_like_reason", retry=RetryStrategy(max_attempts=3, wait=10))
def notify_like_reason(reflection_id: int, liker_id: int) -> None:
    """A reason given, changed or taken back: the author's like notice says it (no email of its own)."""
    services.notify_like_reason(reflection_id, liker_id)


def email_soon(user_id: int) -> None:
    """Batch a member's immediate emails: the first notice starts a short wait
    (NOTIFY_EMAIL_DELAY_SECONDS); everything that arrives meanwhile goes in the same email."""
    enqueue(
        send_immediate_email,
        queueing_lock=f"notify-email-{user_id}",
        delay_seconds=services.email_delay_seconds(),
        user_id=user_id,
    )


@app.task(name="notifications.send_immediate_email", retry=MAIL_RETRIES)
def send_immediate_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        emails.send_notices(user, services.pending_email(user, [Delivery.IMMEDIATELY]), digest=None)


# A digest run cut off by a database restart is run again (each member's email is queued once,
# under its queueing lock, and sends only what is still unread).
DIGEST_RETRIES = RetryStrategy(max_attempts=4, exponential_wait=10)


# Every hour, for the members whose morning it is (settings.DIGEST_LOCAL_HOUR in their zone; weekly:
# a Monday): Dubai's 07:00 is 03:00 UTC, Mexico City's 13:00 UTC. A member's local 07:00 comes once a
# day, so each gets one daily digest; a run's retry (same timestamp) sends only notices from before it.
@app.periodic(cron="0 * * * *", periodic_id="daily-digest")
@app.task(name="notifications.daily_digest", queueing_lock="daily-digest", retry=DIGEST_RETRIES)
def daily_digest(timestamp: int) -> None:
    send_digests(Delivery.DAILY, now=datetime.fromtimestamp(timestamp, tz=UTC))


@app.periodic(cron="0 * * * *", periodic_id="weekly-digest")
@app.task(name="notifications.weekly_digest", queueing_lock="weekly-digest", retry=DIGEST_RETRIES)
def weekly_digest(timestamp: int) -> None:
    send_digests(Delivery.WEEKLY, now=datetime.fromtimestamp(timestamp, tz=UTC))


def send_digests(delivery: str, *, now: datetime | None = None) -> None:
    """One job per member with something unread for this summary (each retried on its own): with
    ``now``, those whose morning it is, with the notices from before ``now``; without, everyone."""
    for user_id in emails.digest_recipients(delivery, now):
        enqueue(
            send_digest_email,
            queueing_lock=f"digest-{delivery}-{user_id}",
            user_id=user_id,
            delivery=delivery,
            before=int(now.timestamp()) if now is not None else None,
        )


@app.task(name="notifications.send_digest_email", retry=MAIL_RETRIES)
def send_digest_email(user_id: int, delivery: str, before: int | None = None) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        notices = services.pending_email(user, [delivery])
        if before is not None:
            notices = notices.filter(created_at__lt=datetime.fromtimestamp(before, tz=UTC))
        emails.send_notices(user, notices, digest=delivery)

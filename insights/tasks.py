"""Worker jobs for facilitator insight (Procrastinate), queued through core.jobs.enqueue."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from insights.models import Nudge
from notifications import services as notices
from notifications.kinds import Kind
from notifications.tasks import email_soon


@app.task(name="insights.deliver_nudge", retry=RetryStrategy(max_attempts=3, wait=10))
def deliver_nudge(nudge_id: int) -> None:
    """A notice to each learner of the nudge, and an email by their settings (batched)."""
    nudge = Nudge.objects.filter(pk=nudge_id).first()
    if nudge is None:
        return
    for user_id in nudge.recipients.values_list("user_id", flat=True):
        notice = notices.notify_member(
            user_id=user_id,
            kind=Kind.NUDGE,
            actor_id=nudge.sender_id,
            prompt_id=nudge.prompt_id,
            text=nudge.message,
        )
        if notice is not None and notices.wants_email_now(user_id, Kind.NUDGE):
            email_soon(user_id)

"""Worker jobs for facilitator insight (Procrastinate), queued through core.jobs.enqueue."""

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from community.signals import learners_reminded
from insights.models import Nudge


@app.task(name="insights.deliver_nudge", retry=RetryStrategy(max_attempts=3, wait=10))
def deliver_nudge(nudge_id: int) -> None:
    """Announce a stored nudge to its learners: notifications answers ``learners_reminded`` with a
    notice each and an email by their settings. Run in the worker, after the nudge's commit, so the
    request that sent it never waits for delivery."""
    nudge = Nudge.objects.filter(pk=nudge_id).first()
    if nudge is None:
        return
    learners_reminded.send(
        sender=Nudge,
        prompt_id=nudge.prompt_id,
        facilitator_id=nudge.sender_id,
        user_ids=list(nudge.recipients.values_list("user_id", flat=True)),
        message=nudge.message,
    )

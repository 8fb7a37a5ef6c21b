"""Worker jobs that belong to no feature: sending an already-written email, with retries; queueing
again the jobs a worker that is gone left half-done."""

import logging

from django.core.mail import EmailMultiAlternatives
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.exceptions import ConnectorException

logger = logging.getLogger(__name__)

# A mail server that is down for a while: Procrastinate waits exponential_wait ** attempt seconds
# between tries (2 s, 4 s, 8 s… 34 min), about two and a quarter hours in all before giving up.
MAIL_RETRIES = RetryStrategy(max_attempts=12, exponential_wait=2)


def deliverable(addresses: list[str]) -> list[str]:
    """``addresses`` without those in the ``.invalid`` domain (RFC 6761: reserved, never routed),
    which Reflect gives members it has no address for (a learning platform's launch, lti.services):
    a mail server refuses them, and the job would retry for hours."""
    return [address for address in addresses if not address.rstrip(".").lower().endswith(".invalid")]


@app.task(name="core.send_email", retry=MAIL_RETRIES)
def send_email(subject: str, body: str, to: list[str], html: str = "", from_email: str | None = None,
               headers: dict | None = None, kind: str = "") -> None:  # fmt: skip
    """``kind`` only names the email in the worker's log, where the other arguments are hidden.
    Addresses that can never be delivered are left out (``deliverable``)."""
    to = deliverable(to)
    if not to:
        logger.info("Email %s not sent: no deliverable address", kind or "(unnamed)")
        return
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


# A worker that ends without its goodbye (killed for memory, SIGKILL, a host gone) leaves the jobs it
# was running marked "doing", and nothing else would ever run them: Procrastinate calls them stalled
# jobs (those of workers whose heartbeat is over 30 s old, or gone) and leaves retrying them to the
# project. Every worker defers this job at start and every five minutes (issue 21, item 22).
@app.periodic(cron="*/5 * * * *", periodic_id="retry-stalled-jobs")
@app.task(name="core.retry_stalled_jobs", queueing_lock="retry-stalled-jobs")
async def retry_stalled_jobs(timestamp: int) -> None:
    """A stalled job runs again (so a job may run twice when its worker died between the work and
    writing "done": at least once, rather than never)."""
    manager = app.job_manager
    for job in await manager.get_stalled_jobs():
        try:
            await manager.retry_job(job)
        except ConnectorException:  # it ended meanwhile (its worker was only slow to check in)
            continue
        logger.warning(
            "Queued again job %s[%s], left running by a worker that is gone", job.task_name, job.id
        )

"""Worker jobs of the journal app (Procrastinate), enqueued only through core.jobs.enqueue."""

from django.db import InterfaceError, OperationalError
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from journal import services

# Only a database cut off (a restart, a failover) is tried again: the same posts would fail the
# same way on anything else.
DATABASE_RETRIES = RetryStrategy(
    max_attempts=4, exponential_wait=5, retry_exceptions={OperationalError, InterfaceError}
)


@app.task(name="journal.build_log_pdf", queue="exports", retry=DATABASE_RETRIES)
def build_log_pdf(export_id: int) -> None:
    """Lay out a member's learning log as a PDF: about 6 s for 500 posts, too long for a request
    (docs/performance.md). On the "exports" queue, so a long log never holds up the mail queue
    (core.jobs.QUEUES, docs/deploy.md)."""
    services.build_log_export(export_id=export_id)

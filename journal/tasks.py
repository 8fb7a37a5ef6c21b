"""Worker jobs of the journal app (Procrastinate), enqueued only through core.jobs.enqueue."""

from procrastinate.contrib.django import app

from journal import services


@app.task(name="journal.build_log_pdf", queue="exports")
def build_log_pdf(export_id: int) -> None:
    """Lay out a member's learning log as a PDF: about 6 s for 500 posts, too long for a request
    (docs/performance.md). No retry: the same posts would fail the same way. On the "exports"
    queue, so a long log never holds up the mail queue (core.jobs.QUEUES, docs/deploy.md)."""
    services.build_log_export(export_id=export_id)

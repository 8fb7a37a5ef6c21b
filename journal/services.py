"""Writes of the journal app: asking for a PDF of the learning log, and building it."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.locale import member_language
from core.jobs import enqueue
from journal.exports import build_pdf
from journal.models import LogExport
from journal.queries import LogFilters, log_entries

logger = logging.getLogger(__name__)


class LogTooLongForPdf(Exception):
    """More posts than ``settings.LOG_PDF_MAX_POSTS``: no PDF (the worker would be busy for
    minutes); the member is offered Markdown or CSV, which stream at any length."""

    def __init__(self, posts: int, limit: int):
        self.posts, self.limit = posts, limit
        super().__init__(
            ngettext(
                "Your learning log has %(count)s post in this range: a PDF can hold at most %(limit)s. "
                "Download it as Markdown or CSV instead (any length), or choose a course or shorter "
                "dates for a PDF.",
                "Your learning log has %(count)s posts in this range: a PDF can hold at most %(limit)s. "
                "Download it as Markdown or CSV instead (any length), or choose a course or shorter "
                "dates for a PDF.",
                posts,
            )
            % {"count": posts, "limit": limit}
        )


@transaction.atomic
def request_log_pdf(*, user, filters: LogFilters) -> LogExport:
    """A new PDF export for ``user``, queued for the worker. The member's earlier exports are
    removed: one PDF per member is kept (each holds their whole log, so old ones only take space).
    Raises ``LogTooLongForPdf`` past ``settings.LOG_PDF_MAX_POSTS`` posts."""
    from journal.tasks import build_log_pdf

    posts = log_entries(user, filters).count()
    if posts > settings.LOG_PDF_MAX_POSTS:
        raise LogTooLongForPdf(posts, settings.LOG_PDF_MAX_POSTS)

    LogExport.objects.filter(user=user).delete()
    export = LogExport.objects.create(
        user=user, course_id=filters.course_id, since=filters.since, until=filters.until
    )
    enqueue(build_log_pdf, export_id=export.pk)
    return export


def export_filters(export: LogExport) -> LogFilters:
    return LogFilters(course_id=export.course_id, since=export.since, until=export.until)


def build_log_export(*, export_id: int) -> LogExport | None:
    """Build the PDF of an export (in the worker). Gone (replaced meanwhile): nothing to do. A
    failure marks the export failed, so the member's page says so instead of waiting forever."""
    export = (
        LogExport.objects.select_related("user").filter(pk=export_id, status=LogExport.Status.PENDING).first()
    )
    if export is None:
        return None
    try:
        with translation.override(member_language(export.user)):  # the worker has no request to ask
            result = build_pdf(export.user, export_filters(export))
    except (OperationalError, InterfaceError):
        raise  # the database was cut off: the job is tried again (journal.tasks), still pending
    except Exception:
        logger.exception("learning log PDF %s failed", export_id)
        LogExport.objects.filter(pk=export_id).update(
            status=LogExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    LogExport.objects.filter(pk=export_id).update(
        status=LogExport.Status.READY,
        content=result.content,
        size=len(result.content),
        post_count=result.posts,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


def delete_exports(user, remove_posts: bool = False) -> None:
    """Account deletion (``accounts.member_data``): the PDFs hold the member's words; remove them."""
    LogExport.objects.filter(user=user).delete()

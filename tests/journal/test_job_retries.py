"""Jobs that a database restart can cut off are tried again (issue 21, item 22): the learning-log
PDF only then (the same posts would fail the same way otherwise), the digests always."""

from django.db import OperationalError

from journal.tasks import build_log_pdf
from notifications.tasks import daily_digest, weekly_digest


def _retried(task, error) -> bool:
    class Job:
        attempts = 0

    return task.retry_strategy.get_retry_decision(exception=error, job=Job()) is not None


def test_a_pdf_cut_off_by_the_database_is_tried_again_and_nothing_else_is():
    assert _retried(build_log_pdf, OperationalError("the database system is shutting down"))
    assert not _retried(build_log_pdf, ValueError("a post the layout cannot fit"))


def test_a_digest_run_is_tried_again():
    assert all(
        _retried(task, OperationalError("server closed the connection"))
        for task in (daily_digest, weekly_digest)
    )

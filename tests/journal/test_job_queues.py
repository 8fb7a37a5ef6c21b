"""Issue 21, item 24: email has its own queue, which a long job (the learning-log PDF, on
"exports") cannot hold up; the dev runner's workers serve both queues, two jobs at a time each; a
log too long for a PDF is offered as Markdown or CSV instead."""

import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from core import jobs
from core.mail import send_later
from journal.models import LogExport
from journal.queries import LogFilters
from journal.services import request_log_pdf
from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def deferred(settings, monkeypatch):
    """Jobs deferred for real (not run inline): each one's task name and queue."""
    settings.JOBS_INLINE = False
    seen = []

    class Configured:
        def __init__(self, task, options):
            self.task, self.options = task, options

        def defer(self, **kwargs):
            seen.append((self.task.name, self.options["queue"]))

    from core.tasks import send_email
    from journal.tasks import build_log_pdf
    from notifications import tasks as notification_tasks

    for task in (
        send_email,
        build_log_pdf,
        notification_tasks.send_immediate_email,
        notification_tasks.send_digest_email,
    ):
        monkeypatch.setattr(task, "configure", lambda task=task, **options: Configured(task, options))
    return seen


def test_account_email_and_the_pdf_go_to_different_queues(deferred, django_capture_on_commit_callbacks):
    member = make_user()
    make_reflection(author=member)
    with django_capture_on_commit_callbacks(execute=True):
        send_later(EmailMessage("Confirm your address", "…", to=["a@example.org"]), kind="confirm")
        request_log_pdf(user=member, filters=LogFilters())
    assert ("core.send_email", "mail") in deferred
    assert ("journal.build_log_pdf", "exports") in deferred


def test_notification_email_goes_to_the_mail_queue():
    from notifications import tasks as notification_tasks

    assert jobs.queue_for(notification_tasks.send_immediate_email) == "mail"
    assert jobs.queue_for(notification_tasks.send_digest_email) == "mail"
    assert jobs.queue_for(notification_tasks.fan_out_post) == "default"


def test_the_dev_runner_serves_both_queues_two_jobs_at_a_time():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    try:
        import dev
    finally:
        sys.path.pop(0)
    served = {}
    for options in dev.WORKERS.values():
        queues = options[options.index("--queues") + 1].split(",")
        concurrency = int(options[options.index("--concurrency") + 1])
        assert concurrency >= 2
        for queue in queues:
            served[queue] = concurrency
    assert {"mail", "default", "exports"} <= set(served)
    mail_worker = next(o for o in dev.WORKERS.values() if "mail" in o[o.index("--queues") + 1])
    assert "exports" not in mail_worker[mail_worker.index("--queues") + 1]


def test_a_log_too_long_for_a_pdf_is_offered_as_markdown_or_csv(client, settings):
    settings.LOG_PDF_MAX_POSTS = 2
    member = make_user()
    for _ in range(3):
        make_reflection(author=member)
    client.force_login(member)
    response = client.post(reverse("journal:export-pdf"), follow=True)
    page = response.content.decode()
    assert "a PDF can hold at most 2" in page and "Markdown or CSV" in page
    assert not LogExport.objects.filter(user=member).exists()
    assert not mail.outbox

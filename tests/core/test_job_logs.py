"""No secret in a log: a real worker runs each kind of email job (sign-up confirmation, password
reset, invitation, a notification with its unsubscribe link) under the production LOGGING, and no
record, at any level, holds a link path, key or token from those emails. The job stays identified
(task, job id, kind)."""

import logging
import logging.config
import re

import pytest
from django.core import mail
from django.urls import reverse

from lessons import services as lessons
from tests.accounts.test_accounts import SIGNUP
from tests.factories import make_course, make_user
from tests.notifications.test_worker_integration import queue, reflect_and_reply, run_worker  # noqa: F401 (queue is a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def production_logging(settings, caplog):
    logging.config.dictConfig(settings.LOGGING)
    caplog.set_level(logging.DEBUG)
    for name in ("procrastinate", "core", "accounts", "lessons", "notifications"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog
    logging.config.dictConfig(settings.LOGGING)


def _secrets(message) -> set[str]:
    """Every link path in an email, and each segment of it long enough to be a key or token."""
    found = set()
    for url in re.findall(r"https?://[^\s\"'<>]+", message.body):
        path = re.sub(r"^https?://[^/]+", "", url)
        if path.strip("/"):
            found.add(path)
        found.update(part for part in re.split(r"[/?=&]", path) if len(part) >= 16)
    return found


@pytest.mark.usefixtures("queue")  # jobs go to procrastinate_jobs, as in production
def test_the_worker_logs_no_link_key_or_token_of_any_email(client, production_logging):
    facilitator = make_user(display_name="Fran Okafor", email="fran@example.com")
    client.post(reverse("account_signup"), SIGNUP)
    client.post(reverse("account_reset_password"), {"email": facilitator.email})
    cohort = make_course().cohorts.get()
    lessons.invite_addresses(cohort=cohort, text="new.person@example.com", by=facilitator)
    author, *_ = reflect_and_reply()

    run_worker()

    kinds = {
        "confirmation": [m for m in mail.outbox if "/confirm-email/" in m.body],
        "reset": [m for m in mail.outbox if "/password/reset/key/" in m.body],
        "invitation": [m for m in mail.outbox if m.to == ["new.person@example.com"]],
        "notification": [m for m in mail.outbox if m.to == [author.email] and "/unsubscribe/" in m.body],
    }
    assert all(len(messages) == 1 for messages in kinds.values()), kinds
    secrets = set().union(*(_secrets(m) for messages in kinds.values() for m in messages))
    assert any("/confirm-email/" in s for s in secrets) and any("/unsubscribe/" in s for s in secrets)

    records = production_logging.records
    logged = "\n".join(f"{r.getMessage()} {r.__dict__!r}" for r in records)
    leaked = sorted(s for s in secrets if s in logged)
    assert leaked == []
    # The worker did log its jobs, by task, id and kind.
    assert re.search(r"core\.send_email\[\d+\]\(kind='email_confirmation_signup'", logged)
    assert re.search(r"notifications\.\w+\[\d+\]\(\w+_id=", logged)


def test_a_named_worker_logs_through_the_console_without_arguments(settings):
    """`procrastinate worker --name mail` logs on procrastinate.worker.mail, a logger LOGGING does
    not list: the console handler's filter redacts what reaches the process's output."""
    import io

    from procrastinate.jobs import Job

    logging.config.dictConfig(settings.LOGGING)
    [console] = logging.getLogger().handlers
    stream = io.StringIO()
    console.setStream(stream)
    try:
        link = "/password/reset/key/1-c7r2a9-0f3e5a1c2b4d6e8f/"
        job = Job(id=9, queue="mail", lock=None, queueing_lock=None, task_name="core.send_email",
                  task_kwargs={"body": f"Reset: https://reflect.example.org{link}", "kind": "password_reset_key"})  # fmt: skip
        logging.getLogger("procrastinate.worker.mail").info(
            f"Starting job {job.call_string}", extra={"job": job.log_context()}
        )
    finally:
        logging.config.dictConfig(settings.LOGGING)
    output = stream.getvalue()
    assert "core.send_email[9](kind='password_reset_key', 1 more hidden)" in output
    assert link not in output

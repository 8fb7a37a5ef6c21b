"""The real thing: posts enqueue jobs into PostgreSQL (procrastinate_jobs) after the commit, and a
real Procrastinate worker, run in this process until the queue is empty, writes the notices and
sends the email. Also: a mail outage loses no notification (the send is retried, the notice waits).

Transactional tests (the worker's own connections must see committed rows). Procrastinate's tables
are unmanaged, so Django's flush leaves them alone: the ``queue`` fixture empties them before and
after each test, and checks that the worker left no thread or database connection behind.
"""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob

from community import services as community
from notifications.kinds import Kind
from notifications.models import Notification
from tests.factories import make_prompt, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PROCRASTINATE_TABLES = (
    "procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"
)


def _empty_queue() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {PROCRASTINATE_TABLES} RESTART IDENTITY CASCADE")


def _other_connections() -> int:
    """Sessions on this test database besides this thread's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _close_django_connections(call_next, context, worker):
    """Sync task middleware (runs in the worker's thread): close that thread's Django connection
    after every job. The contrib app's own cleanup keeps it open when CONN_MAX_AGE > 0 (60 here)."""
    try:
        return call_next()
    finally:
        connections.close_all()


def run_worker() -> None:
    """A real worker on its own psycopg pool, as `manage.py procrastinate worker` runs it, until no
    job is due; then it stops (wait=False) and its pool and threads are closed.

    It runs in a thread of its own, with its own event loop: in a full run the browser tests'
    Playwright keeps an event loop running in this thread, where asyncio.run() is refused."""
    errors: list[BaseException] = []

    def work(worker_app) -> None:
        try:
            worker_app.run_worker(
                wait=False,
                install_signal_handlers=False,
                listen_notify=False,
                task_middleware=[_close_django_connections],
            )
        except BaseException as exc:  # handed to the test below
            errors.append(exc)

    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        thread = threading.Thread(target=work, args=[worker_app], name="test-procrastinate-worker")
        thread.start()
        thread.join(timeout=120)
    assert not thread.is_alive(), "the worker did not stop within 2 minutes"
    if errors:
        raise errors[0]


@pytest.fixture
def queue(settings):
    settings.JOBS_INLINE = False  # enqueue into procrastinate_jobs, as production does
    settings.NOTIFY_EMAIL_DELAY_SECONDS = 0
    _empty_queue()
    threads_before = set(threading.enumerate())
    # Others already connected (a live server's thread, in a full run) are not the worker's.
    connections_before = _other_connections()
    yield
    _empty_queue()
    # Nothing the worker started outlives it: no thread, no database session (a closed session
    # may take a moment to leave pg_stat_activity).
    leaked = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    assert leaked == [], f"threads left running: {leaked}"
    deadline = time.monotonic() + 5
    while _other_connections() > connections_before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _other_connections() <= connections_before, "the worker left a database connection open"


def jobs(task_name: str) -> list[ProcrastinateJob]:
    return list(ProcrastinateJob.objects.filter(task_name=task_name).order_by("id"))


def to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def reflect_and_reply():
    """Learner A reflects and learner B replies, each through the service a request calls."""
    prompt = make_prompt()
    a = make_user(display_name="Ada Author", email="ada@example.com")
    b = make_user(display_name="Bo Replier", email="bo@example.com")
    top = community.create_reflection(prompt=prompt, author=a, body="My reflection")
    reply = community.create_reflection(prompt=prompt, author=b, body="I see it differently", parent=top)
    return a, b, top, reply


def test_a_reply_is_queued_in_postgres_and_a_real_worker_notifies_and_emails_the_author(queue):
    a, b, top, reply = reflect_and_reply()

    # Committed, so each post's fan-out is a row in procrastinate_jobs; nothing has run yet.
    fan_outs = jobs("notifications.fan_out_post")
    assert [(j.args, j.status, j.attempts) for j in fan_outs] == [
        ({"reflection_id": top.pk}, "todo", 0),
        ({"reflection_id": reply.pk}, "todo", 0),
    ]
    assert not Notification.objects.filter(recipient=a).exists() and mail.outbox == []

    run_worker()

    [notice] = Notification.objects.filter(recipient=a)
    assert (notice.kind, notice.reflection_id, notice.actor_id) == (Kind.REPLY, reply.pk, b.pk)
    [message] = to(a)
    assert "Bo Replier replied to your reflection" in message.subject
    assert f"/notifications/{notice.pk}/" in message.body
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert not Notification.objects.filter(recipient=b).exists()  # never the actor
    # The worker emptied the queue: both fan-outs and the one email job succeeded. (Filtered by
    # name: a worker started at 07:00-07:10 UTC also defers the periodic digest jobs.)
    fan_out_and_email = ["notifications.fan_out_post", "notifications.send_immediate_email"]
    assert sorted(
        ProcrastinateJob.objects.filter(task_name__in=fan_out_and_email).values_list("task_name", "status")
    ) == [
        ("notifications.fan_out_post", "succeeded"),
        ("notifications.fan_out_post", "succeeded"),
        ("notifications.send_immediate_email", "succeeded"),
    ]


def test_a_mail_outage_loses_no_notification(queue, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2
    a, b, top, reply = reflect_and_reply()

    run_worker()

    # The notice is written; the send failed and waits for its retry (back-off 5 s).
    [notice] = Notification.objects.filter(recipient=a)
    assert notice.kind == Kind.REPLY and notice.emailed_at is None
    [send] = jobs("notifications.send_immediate_email")
    assert send.args == {"user_id": a.pk}
    assert send.status == "todo" and send.attempts == 1
    events = list(
        ProcrastinateEvent.objects.filter(job_id=send.pk).order_by("id").values_list("type", flat=True)
    )
    assert events[:2] == ["deferred", "started"] and "deferred_for_retry" in events and "failed" not in events
    assert mail.outbox == []

    # The mail server is back. Make the retry due now (the models are read-only) and work the queue.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s", [send.pk])
    run_worker()

    send = ProcrastinateJob.objects.get(pk=send.pk)
    assert send.status == "succeeded" and send.attempts == 2  # the failed try and this one
    [message] = to(a)
    assert "Bo Replier replied to your reflection" in message.subject
    notice.refresh_from_db()
    assert notice.emailed_at is not None

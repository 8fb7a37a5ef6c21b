"""A job left "doing" by a worker that is gone is queued again (core.retry_stalled_jobs, issue 21,
item 22): a worker killed outright never writes its jobs' end, and without this they would wait
for ever. A job of a worker that still checks in is left alone.

Real Procrastinate rows in the test database, through the Django connector the app servers use;
transactional, since Procrastinate's own queries run outside the test's transaction.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, connections
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from core.tasks import retry_stalled_jobs

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = "procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"


@pytest.fixture(autouse=True)
def empty_queue():
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")


def run(coroutine):
    """Run Procrastinate's async calls; the Django connector runs them in a thread of asgiref's,
    whose database connection is closed afterwards (the test database is dropped at the end)."""

    async def and_close():
        try:
            return await coroutine
        finally:
            await sync_to_async(connections.close_all)()

    # In a thread of its own: the browser tests' event loop may still run in this one (Playwright).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, and_close()).result()


def _take_job(subject: str) -> tuple[int, int]:
    """Queue an email and let a (pretend) worker take it: the job is "doing"; (job id, worker id)."""
    job_id = app.configure_task("core.send_email", queue="mail").defer(
        subject=subject, body="…", to=["learner@example.com"]
    )

    async def take() -> int:
        worker_id = await app.job_manager.register_worker()
        job = await app.job_manager.fetch_job(queues=["mail"], worker_id=worker_id)
        assert job.id == job_id
        return worker_id

    return job_id, run(take())


def test_a_job_left_doing_by_a_worker_that_is_gone_is_queued_again():
    stranded, gone = _take_job("stranded")
    run(app.job_manager.unregister_worker(gone))  # as after its process was killed
    running, alive = _take_job("running")  # a live worker's job (its heartbeat is fresh)

    run(retry_stalled_jobs(timestamp=0))

    assert ProcrastinateJob.objects.get(pk=stranded).status == "todo"  # a worker runs it again
    assert ProcrastinateJob.objects.get(pk=running).status == "doing"


def test_a_worker_that_stopped_checking_in_counts_as_gone():
    stranded, silent = _take_job("stranded")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '5 minutes' WHERE id = %s",
            [silent],
        )

    run(retry_stalled_jobs(timestamp=0))

    assert ProcrastinateJob.objects.get(pk=stranded).status == "todo"

"""Background jobs: the one place the project enqueues work for the worker.

Jobs run in Procrastinate workers (a PostgreSQL-backed queue, so nothing but the database is
needed). Everything goes through ``enqueue``: it waits for the current transaction to commit (a job
never sees, or acts on, a write that was rolled back), and moving to another queue later (Django's
own tasks framework, say) means changing this module only.
"""

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from procrastinate.exceptions import AlreadyEnqueued

logger = logging.getLogger(__name__)


def enqueue(
    task: Any, *, queueing_lock: str | None = None, delay_seconds: int | None = None, **kwargs: Any
) -> None:
    """Run ``task(**kwargs)`` in a worker once the current transaction commits.

    ``queueing_lock``: while a job with this lock is waiting, another is not added (used to batch
    a member's emails and to keep one digest per period). ``delay_seconds``: run no sooner.
    """

    if settings.JOBS_INLINE:
        transaction.on_commit(lambda: _run_inline(task, kwargs), robust=True)
        return

    def defer() -> None:
        options: dict[str, Any] = {}
        if queueing_lock:
            options["queueing_lock"] = queueing_lock
        if delay_seconds:
            options["schedule_in"] = {"seconds": delay_seconds}
        try:
            task.configure(**options).defer(**kwargs)
        except AlreadyEnqueued:
            logger.debug("job %s already waiting (lock %s)", task.name, queueing_lock)

    transaction.on_commit(defer, robust=True)


def _run_inline(task: Any, kwargs: dict) -> None:
    """JOBS_INLINE (the test suite's default): run the job right after the commit, in this process.
    A failure is logged, as a worker would, and never reaches the request."""
    try:
        task(**kwargs)
    except Exception:
        logger.exception("inline job %s failed", task.name)

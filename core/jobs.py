"""Background jobs: the one place the project enqueues work for the worker.

Jobs run in Procrastinate workers (a PostgreSQL-backed queue, so nothing but the database is
needed). Everything goes through ``enqueue``: it waits for the current transaction to commit (a job
never sees, or acts on, a write that was rolled back), and moving to another queue later (Django's
own tasks framework, say) means changing this module only.
"""

import logging
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from procrastinate.exceptions import AlreadyEnqueued

logger = logging.getLogger(__name__)

# Email has a queue of its own that the workers always serve, so a long job (a learning-log PDF on
# "exports") can never hold up a sign-up confirmation, a password reset or a notice (issue 21,
# item 24; the worker commands in scripts/dev.py and docs/deploy.md). Other jobs: their task's queue.
MAIL_QUEUE = "mail"
QUEUES = {
    "core.send_email": MAIL_QUEUE,
    "notifications.send_immediate_email": MAIL_QUEUE,
    "notifications.send_digest_email": MAIL_QUEUE,
}


def queue_for(task: Any) -> str:
    return QUEUES.get(task.name, task.queue)


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
        options: dict[str, Any] = {"queue": queue_for(task)}
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


class HideJobArguments(logging.Filter):
    """Procrastinate logs each job with its arguments (``task[id](subject=…, body=…)``, and the
    arguments again in the record's ``job``/``jobs`` extras). An email job's body holds sign-in,
    password-reset and invitation links, and unsubscribe tokens: a log is no place for them.

    This filter keeps what identifies a job (task name, job id, and arguments that are ids or a
    kind, e.g. ``reflection_id=7``) and drops every other value, in the message and in the extras.
    It changes the record itself, so every handler (and any log shipper) sees the redacted one.
    """

    SAFE = re.compile(r"(_id|_ids|^kind|^group|^digest|^timestamp)$")
    CALL = re.compile(r"(?P<label>[\w.:-]+\[\d*\])\((?P<args>.*)\)", re.DOTALL)

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("procrastinate") or getattr(record, "job_arguments_hidden", False):
            return True
        record.job_arguments_hidden = True  # a logger's and then a handler's filter see one record
        jobs = [getattr(record, "job", None), *(getattr(record, "jobs", None) or [])]
        jobs = [job for job in jobs if isinstance(job, dict)]
        message = record.getMessage()
        for job in jobs:
            kwargs = job.get("task_kwargs") or {}
            safe = {key: value for key, value in kwargs.items() if self.SAFE.search(key)}
            label = f"{job.get('task_name')}[{job.get('id')}]({self._arguments(safe, kwargs)})"
            if job.get("call_string"):
                message = message.replace(job["call_string"], label)
                job["call_string"] = label
            job["task_kwargs"] = safe
        if not jobs:  # a message that names a call without the job's extras
            message = self.CALL.sub(lambda m: f"{m['label']}(…)", message)
        record.msg, record.args = message, ()
        return True

    @staticmethod
    def _arguments(safe: dict, kwargs: dict) -> str:
        shown = [f"{key}={value!r}" for key, value in safe.items()]
        hidden = len(kwargs) - len(safe)
        return ", ".join(shown + ([f"{hidden} more hidden"] if hidden else []))


# A Procrastinate worker records a heartbeat every few seconds (table procrastinate_workers).
WORKER_SILENCE_SECONDS = 60


def workers_alive() -> int:
    """Background workers that have checked in within ``WORKER_SILENCE_SECONDS`` (``/readyz``
    reports it; ``manage.py check_workers`` exits 1 when there is none)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - make_interval(secs => %s)",
            [WORKER_SILENCE_SECONDS],
        )
        return cursor.fetchone()[0]

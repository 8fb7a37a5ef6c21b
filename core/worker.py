"""The background worker that outlives a PostgreSQL restart (``manage.py worker``; issue 21, item 22).

Procrastinate's worker (3.10, the newest 3.x) stops as soon as one of its side tasks fails, and a
restart of PostgreSQL fails its listener: the listener reconnects once, at once, while the server is
still "shutting down" or "starting up", and that refused connection stops the worker ("Side task
listener failed … stopping worker"). Its pooled connections are not the problem: the pool tests a
connection before lending it (psycopg_pool's ``check``, which Procrastinate sets), so a dead one is
replaced, and while the server is down a query waits for the pool to reconnect (up to 30 s). Here:

- the listener (LISTEN for new jobs) listens again after a lost connection, with a back-off;
- a statement cut off by the restart is run again once the pool has a live connection, when running
  it twice is harmless: these are the ones without a result (a job's end, its retry, the heartbeat,
  the worker's goodbye, old jobs' deletion). Without this, a job whose end was being written when
  the server went away stays "doing" for ever, though it ran (and its email went);
- anything else that still stops the worker (fetching a job cut off mid-flight, an outage longer than
  the pool waits) starts it again here, with a back-off, and says so in one log line. Jobs never wait
  on it: they are rows in PostgreSQL, and the worker takes them up when it runs again. A fetch cut
  off may still have marked its job "doing" on the server; the run that follows queues
  ``core.retry_stalled_jobs`` at once, which queues such a job again.

A worker asked to stop (SIGTERM, Ctrl-C) finishes its running jobs and exits, as before.
"""

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Iterable
from typing import Any

import psycopg
import psycopg_pool
from procrastinate import exceptions
from procrastinate.psycopg_connector import PsycopgConnector

logger = logging.getLogger(__name__)

# Back-off between attempts (the listener's and the worker's): 0.5 s, 1 s, 2 s … at most 30 s, back
# to the start once a run has lasted a minute.
FIRST_DELAY = 0.5
MAX_DELAY = 30.0
HEALTHY_SECONDS = 60.0

# A cut-off statement's next attempts (each then waits up to 30 s for the pool to reconnect).
RETRY_DELAYS = (0.5, 2.0, 5.0)

# What a database going away raises through Procrastinate (its own wrapper, psycopg's errors, the
# pool's timeout): the worker is started again after these without a traceback in the log.
DATABASE_ERRORS = (exceptions.ConnectorException, psycopg.OperationalError, psycopg_pool.PoolTimeout)


class Backoff:
    def __init__(self) -> None:
        self.delay = FIRST_DELAY
        self.started = time.monotonic()

    def next(self) -> float:
        """The wait before the next attempt; back to the first once the last attempt ran long enough."""
        if time.monotonic() - self.started >= HEALTHY_SECONDS:
            self.delay = FIRST_DELAY
        delay, self.delay = self.delay, min(self.delay * 2, MAX_DELAY)
        return delay

    def attempt(self) -> None:
        self.started = time.monotonic()


class ReconnectingConnector(PsycopgConnector):
    """Procrastinate's psycopg connector, whose listener listens again after the database went away
    and whose statements without a result are run again after a lost connection."""

    async def execute_query_async(self, query: Any, **arguments: Any) -> None:
        # Procrastinate runs these through here: procrastinate_finish_job, procrastinate_retry_job
        # (both refuse a job that is no longer "doing", so a second run changes nothing),
        # update_heartbeat, unregister_worker and delete_old_jobs. Those with a result (fetching a
        # job, deferring one) are not repeated: a lost answer could hide a change that was made.
        for delay in (*RETRY_DELAYS, None):
            try:
                return await super().execute_query_async(query, **arguments)
            except exceptions.ConnectorException as exc:
                if delay is None or not isinstance(exc.__cause__, psycopg.OperationalError):
                    raise
                logger.warning(
                    "Worker: a statement was cut off (%s); running it again in %.1f s", _reason(exc), delay
                )
                await asyncio.sleep(delay)  # then the pool hands out a live connection, or waits for one

    async def listen_notify(self, on_notification: Any, channels: Iterable[str]) -> None:
        channels = list(channels)
        backoff = Backoff()
        while True:
            backoff.attempt()
            try:
                # Returns only by an exception: it reconnects by itself after a lost connection, once.
                await super().listen_notify(on_notification=on_notification, channels=channels)
            except DATABASE_ERRORS as exc:
                delay = backoff.next()
                logger.warning(
                    "Worker: listening for new jobs failed (%s); listening again in %.1f s (until then "
                    "the worker polls for jobs)",
                    _reason(exc),
                    delay,
                )
                await asyncio.sleep(delay)


def worker_connector() -> ReconnectingConnector:
    """A connector to the Django database (``PROCRASTINATE_DATABASE_ALIAS``), as the contrib app's
    ``get_worker_connector()`` makes one, with the reconnecting behaviour above."""
    from procrastinate.contrib.django import utils
    from procrastinate.contrib.django.settings import settings

    return ReconnectingConnector(kwargs=utils.connector_params(settings.DATABASE_ALIAS))


async def run_worker(**worker_options: Any) -> None:
    """Run the Procrastinate worker until SIGTERM or SIGINT, starting it again whenever it stops by
    itself. ``worker_options``: ``App.run_worker_async``'s (queues, concurrency, name…)."""
    from procrastinate.contrib.django import app

    stopping = asyncio.Event()
    current: asyncio.Task | None = None
    loop = asyncio.get_running_loop()

    def stop() -> None:
        # A second signal gets the default behaviour (exit at once), as with Procrastinate's own.
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        stopping.set()
        if current is not None:
            current.cancel()  # the worker finishes its running jobs, then returns

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)

    backoff = Backoff()
    options = {**worker_options, "install_signal_handlers": False, "wait": True}
    again = False
    while not stopping.is_set():
        backoff.attempt()
        failure: BaseException | None = None
        with app.replace_connector(worker_connector()) as worker_app:
            current = asyncio.create_task(_run_once(worker_app, options, again=again))
            try:
                await current
            except asyncio.CancelledError:
                if not stopping.is_set():
                    raise
            except Exception as exc:
                failure = exc
            current = None
        if stopping.is_set():
            break
        again = True
        delay = backoff.next()
        logger.warning(
            "Worker stopped by itself (%s); starting it again in %.1f s. Jobs wait in PostgreSQL meanwhile.",
            _reason(failure) if failure else "one of its tasks failed, see above",
            delay,
            exc_info=failure if failure and not isinstance(failure, DATABASE_ERRORS) else None,
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=delay)
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(sig)


async def _run_once(worker_app: Any, options: dict, *, again: bool) -> None:
    # A fresh pool for each run: one whose reconnections timed out during a long outage is not reused.
    async with worker_app.open_async():
        if again:
            await _retry_stalled_jobs_soon(worker_app)
        await worker_app.run_worker_async(**options)


async def _retry_stalled_jobs_soon(worker_app: Any) -> None:
    """After a run that stopped by itself: a job fetch cut off by the restart may have been written
    (the job is "doing") though its answer never came, so no worker runs it. The previous run said
    goodbye once the database was back, which makes such a job stalled: queue core.retry_stalled_jobs
    now rather than at its next five-minute turn."""
    try:
        await worker_app.configure_task(
            "core.retry_stalled_jobs", queueing_lock="retry-stalled-jobs"
        ).defer_async(timestamp=int(time.time()))
    except exceptions.AlreadyEnqueued:
        pass
    except DATABASE_ERRORS as exc:  # the run that follows meets the same and stops: logged there
        logger.debug("could not queue core.retry_stalled_jobs: %s", _reason(exc))


def _reason(exc: BaseException) -> str:
    """The innermost cause, on one line (Procrastinate wraps psycopg's error in "Database error.")."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

"""The background worker carries on through a PostgreSQL restart (issue 21, item 22).

A real ``manage.py worker`` process against a real, throwaway PostgreSQL (pgserver's binaries, as
the drills use; never the test database): emails are queued, PostgreSQL is restarted with
``pg_ctl restart -m fast`` and then ``-m immediate`` while the worker is sending them, more are
queued after each restart, and every email must arrive exactly once, every job must end
``succeeded``, and the worker must be the same process, still checking in. Before the fix the
worker exited at the first restart ("Side task listener failed … stopping worker").

About 25 s (15 s on an idle machine); marked ``drill`` (deselect with -m "not drill").
"""

import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import procrastinate
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from harness import PYTHON, Postgres, app_environment, manage, stop_group  # noqa: E402

pytestmark = pytest.mark.drill

PER_BATCH = 15
DEADLINE = 30  # seconds for the last emails to arrive after the last restart


def _wait_for(condition, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_the_worker_sends_every_email_once_through_fast_and_immediate_restarts():
    work = Path(tempfile.mkdtemp(prefix="reflect-worker-restart-"))
    work.chmod(0o755)  # under root, PostgreSQL runs as pgserver's own system user
    mail_dir = work / "mail"
    mail_dir.mkdir()
    postgres = Postgres(work / "pg", "reflect_worker_restart")
    worker = None
    queue = None
    try:
        env = app_environment(
            postgres.url,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail_dir),
            LOG_LEVEL="INFO",
        )
        manage(env, "migrate", "procrastinate", "--no-input")  # the queue's tables are all it needs
        log_path = work / "worker.log"
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "worker", "--queues", "mail,default", "--concurrency", "2"],
            cwd=PROJECT_DIR, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

        def worker_log() -> str:
            return log_path.read_text(errors="replace")

        def checked_in() -> bool:
            return bool(
                postgres.query(
                    "SELECT 1 FROM procrastinate_workers WHERE last_heartbeat > now() - interval '15 seconds'"
                )
            )

        _wait_for(checked_in, 30, "the worker to check in")

        # The app queues email through Procrastinate (core.mail.send_later → core.send_email on
        # the mail queue); here a plain Procrastinate client queues the same job directly.
        conninfo = f"host={postgres.socket_dir} user=postgres dbname={postgres.database}"
        queued: list[str] = []

        def queue_emails(batch: str) -> None:
            nonlocal queue
            if queue is None:
                queue = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=conninfo))
                queue.open()
            send_email = queue.configure_task("core.send_email", queue="mail")
            for n in range(PER_BATCH):
                subject = f"restart-drill {batch} {n}"
                send_email.defer(subject=subject, body="Sent through a restart.", to=["learner@example.com"])
                queued.append(subject)

        def close_queue() -> None:  # its connection dies with the restart
            nonlocal queue
            if queue is not None:
                queue.close()
                queue = None

        def delivered() -> Counter:
            subjects = Counter()
            for path in mail_dir.iterdir():
                subjects.update(re.findall(r"^Subject: (.+)$", path.read_text(errors="replace"), re.M))
            return subjects

        queue_emails("before")
        for mode in ("fast", "immediate"):
            close_queue()
            postgres.restart(mode)  # while the worker is busy with the batch just queued
            queue_emails(f"after-{mode}")

        _wait_for(
            lambda: set(queued) <= set(delivered()) or worker.poll() is not None,
            DEADLINE,
            "every email to arrive",
        )
        assert worker.poll() is None, f"the worker exited:\n{worker_log()}"
        time.sleep(1)  # a second copy would have arrived by now
        counts = delivered()
        assert sorted(subject for subject, n in counts.items() if n != 1) == [], worker_log()
        assert set(counts) == set(queued)
        statuses = dict(
            postgres.query("SELECT status || ' ' || task_name, count(*) FROM procrastinate_jobs GROUP BY 1")
        )
        assert statuses.pop("succeeded core.send_email") == len(queued), worker_log()
        # Besides, periodic jobs the worker queues at its start (core.retry_stalled_jobs; other apps'
        # fail here, on a database with only the queue's tables): no email waits, none of ours failed.
        assert not [s for s in statuses if s.endswith(" core.send_email") or s.startswith("failed core.")]
        assert checked_in(), "the worker no longer checks in (/readyz would count it dead)"
        assert "Side task listener failed" not in worker_log()

        # SIGTERM (a supervisor's stop, a deploy) still ends it, cleanly: it says goodbye.
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0, worker_log()
        assert postgres.query("SELECT count(*) FROM procrastinate_workers") == [(0,)]
    finally:
        if queue is not None:
            queue.close()
        stop_group(worker)
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)

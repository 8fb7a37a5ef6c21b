"""Fault drills: a production-like Reflect on 127.0.0.1 while Redis, PostgreSQL or the mail server fails.

    python scripts/fault_drill.py [redis] [postgres] [smtp] [worker]      (all four when none is named)
    make fault-drill

Everything runs on this machine and is thrown away afterwards; no other server is touched:

- PostgreSQL: a private server (the pgserver package's binaries, as scripts/localdb.py uses) with
  its data in $REFLECT_DRILL_PGDATA (default /tmp/reflect-drill-pg), on a Unix socket only. It is
  the only PostgreSQL the drill restarts.
- Redis: a private ``redis-server`` on a free port, started and stopped by the drill. Without the
  binary, the Redis drill restarts the app with REDIS_URL at a dead port instead.
- The app: gunicorn with the production settings (DEBUG off, a random SECRET_KEY, plain http
  because it listens on 127.0.0.1 only), 2 workers, on a free port; its log goes to
  /tmp/reflect-drill/gunicorn-*.log.

It seeds a learner, a moderator and an activity, then, in bounded request loops (never more than
``MAX_REQUESTS`` per phase, one at a time, only to 127.0.0.1):

a. redis: a learner posts and signs in while Redis is stopped, then started again.
b. postgres: a learner posts while PostgreSQL restarts, in "fast" and then "immediate" mode.
c. smtp: people sign up and a moderator hides posts while the mail server is unreachable; then a
   small SMTP sink starts on that port and the background worker's retries deliver the emails.
d. worker: a learner posts and people sign up (each sign-up queues an email) while PostgreSQL
   restarts under the background worker, "fast" and then "immediate"; the same worker process must
   still run afterwards and every sign-up email must reach the SMTP sink exactly once.

For each it prints: requests sent, responses during the fault by status, the recovery time (from
the service being back to the first success), posts lost (acknowledged with a redirect but not in
the database; must be 0) and 500s (must be 0), and a PASS or FAIL line per check (the worker
drill's). The exit status is 1 if either is not 0 or a check failed.
"""

import json
import os
import socket
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness import PASSWORD, App, Browser, Postgres, Redis, Worker, app_environment, free_port, log, manage

PGDATA = Path(os.environ.get("REFLECT_DRILL_PGDATA", "/tmp/reflect-drill-pg"))
WORK = Path(os.environ.get("REFLECT_DRILL_DIR", "/tmp/reflect-drill"))
DATABASE = "reflect_drill"
MAX_REQUESTS = 400  # per phase: the loops are bounded whatever happens


SEED = """
import json
from tests.factories import enrol, make_prompt, make_user
from accounts import roles
learner = make_user(email="drill-learner@example.com", handle="drill_learner", password=PASSWORD)
moderator = make_user(role=roles.MODERATOR, email="drill-moderator@example.com", handle="drill_mod", password=PASSWORD)
prompt = make_prompt(title="Fault drill")
enrol(learner, course=prompt.lesson.course)  # only members of the course may post in its spaces
print(json.dumps({"prompt": prompt.pk, "learner": learner.email, "moderator": moderator.email}))
"""


# --- Measuring -----------------------------------------------------------------------------------


@dataclass
class Report:
    name: str
    sent: int = 0
    during_fault: Counter = field(default_factory=Counter)
    all_statuses: Counter = field(default_factory=Counter)
    recovery_seconds: float | None = None
    acknowledged: list[str] = field(default_factory=list)
    lost: int = 0
    notes: list[str] = field(default_factory=list)
    checks: list[tuple[bool, str]] = field(default_factory=list)

    def check(self, passed: bool, what: str) -> None:
        self.checks.append((passed, what))

    @property
    def server_errors(self) -> int:
        return self.all_statuses[500]

    def record(self, status: int, *, faulty: bool) -> None:
        self.sent += 1
        self.all_statuses[status] += 1
        if faulty:
            self.during_fault[status] += 1

    def print(self) -> None:
        def statuses(counter: Counter) -> str:
            return ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(counter.items())) or "none"

        recovery = "n/a" if self.recovery_seconds is None else f"{self.recovery_seconds:.2f} s"
        print(f"\n== {self.name}")
        print(f"   requests sent:              {self.sent}")
        print(f"   all responses by status:    {statuses(self.all_statuses)}")
        print(f"   during the fault by status: {statuses(self.during_fault)}")
        print(f"   recovery time:              {recovery}")
        print(f"   posts acknowledged:         {len(self.acknowledged)}")
        print(f"   posts lost:                 {self.lost}")
        print(f"   500s:                       {self.server_errors}")
        for note in self.notes:
            print(f"   note: {note}")
        for passed, what in self.checks:
            print(f"{'PASS' if passed else 'FAIL'}  {what}")


class Poster:
    """One learner posting reflections with unique markers, one request at a time."""

    def __init__(self, app: App, prompt: int, email: str, drill: str):
        self.browser = Browser(app.port)
        assert self.browser.sign_in(email) == 302, "the learner could not sign in before the drill"
        self.path = f"/activities/{prompt}/reflect/"
        self.drill = drill
        self.count = 0

    def post(self, report: Report, *, faulty: bool) -> int:
        self.count += 1
        marker = f"drill-{self.drill}-{self.count}-{uuid.uuid4().hex[:8]}"
        status, location, _ = self.browser.post(
            self.path,
            {"body": f"{marker} A reflection written during a drill.", "submission_key": str(uuid.uuid4())},
        )
        report.record(status, faulty=faulty)
        if status == 302 and "/accounts/login/" not in location:
            report.acknowledged.append(marker)
        return status


def count_lost(postgres: Postgres, report: Report) -> None:
    rows = postgres.query(
        "SELECT body FROM community_reflection WHERE body LIKE %s", f"drill-{report.name}-%"
    )
    stored = {body.split(" ", 1)[0] for (body,) in rows}
    report.lost = sum(1 for marker in report.acknowledged if marker not in stored)


def post_for(
    poster: Poster, report: Report, seconds: float, *, faulty: bool, budget: int = MAX_REQUESTS
) -> None:
    end = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < end and sent < budget:
        poster.post(report, faulty=faulty)
        sent += 1
        time.sleep(0.02)


def post_until_recovered(poster: Poster, report: Report, since: float, *, extra: float = 2.0) -> None:
    """Post until a post succeeds (recording the time from ``since``), then a little longer."""
    for _ in range(MAX_REQUESTS):
        if poster.post(report, faulty=report.recovery_seconds is None) == 302:
            report.recovery_seconds = time.monotonic() - since
            break
        time.sleep(0.05)
    post_for(poster, report, extra, faulty=False)


# --- The drills ----------------------------------------------------------------------------------


def drill_redis(postgres: Postgres, seed: dict) -> Report:
    report = Report("redis")
    redis = Redis()
    if redis.binary is None:
        return drill_redis_dead_port(postgres, seed, report)
    redis.start()
    app = App(app_environment(postgres.url, REDIS_URL=redis.url), "redis", log_dir=WORK)
    app.start()
    try:
        poster = Poster(app, seed["prompt"], seed["learner"], "redis")
        health = Browser(app.port)
        assert json.loads(health.get("/healthz")[2])["cache"] == "ok"
        post_for(poster, report, 2, faulty=False)
        log("redis: stopping Redis")
        redis.stop()
        end = time.monotonic() + 5
        while time.monotonic() < end and report.sent < 2 * MAX_REQUESTS:
            poster.post(report, faulty=True)
            report.record(Browser(app.port).sign_in(seed["learner"]), faulty=True)  # a fresh sign-in
        status, _, body = health.get("/healthz")
        report.notes.append(f"/healthz with Redis down: {status} {body.strip()}")
        log("redis: starting Redis again")
        redis.start()
        back = time.monotonic()
        post_until_recovered(poster, report, back, extra=0.5)
        # Recovered = the cache is in use again (the fail-open breaker retries after 5 s).
        for _ in range(MAX_REQUESTS):
            if json.loads(health.get("/healthz")[2] or "{}").get("cache") == "ok":
                report.recovery_seconds = time.monotonic() - back
                break
            poster.post(report, faulty=False)
            time.sleep(0.1)
        report.notes.append(
            "recovery = Redis back until /healthz reports the cache ok (rate limits counted again)"
        )
        post_for(poster, report, 1, faulty=False)
    finally:
        app.stop()
        redis.stop()
    count_lost(postgres, report)
    report.notes.append(app.log_note())
    return report


def drill_redis_dead_port(postgres: Postgres, seed: dict, report: Report) -> Report:
    report.notes.append(
        "no redis-server binary: the app ran with REDIS_URL at a dead port for the whole drill"
    )
    app = App(
        app_environment(postgres.url, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"), "redis", log_dir=WORK
    )
    app.start()
    try:
        poster = Poster(app, seed["prompt"], seed["learner"], "redis")
        post_for(poster, report, 5, faulty=True)
    finally:
        app.stop()
    count_lost(postgres, report)
    return report


def drill_postgres(postgres: Postgres, seed: dict, mode: str) -> Report:
    report = Report(f"postgres-{mode}")
    app = App(app_environment(postgres.url), f"postgres-{mode}", log_dir=WORK)
    app.start()
    try:
        poster = Poster(app, seed["prompt"], seed["learner"], report.name)
        post_for(poster, report, 2, faulty=False)
        log(f"postgres: restarting PostgreSQL ({mode})")
        # Restart in a thread (pg_ctl waits for the server) and keep posting while it is down.
        restarter = threading.Thread(target=postgres.restart, args=(mode,))
        started = time.monotonic()
        restarter.start()
        while restarter.is_alive() and report.sent < 3 * MAX_REQUESTS:
            poster.post(report, faulty=True)
            time.sleep(0.02)
        restarter.join()
        report.notes.append(f"pg_ctl -m {mode} restart took {time.monotonic() - started:.2f} s")
        post_until_recovered(poster, report, time.monotonic())
        report.notes.append("recovery = restart finished until the next post succeeded")
    finally:
        app.stop()
    count_lost(postgres, report)
    report.notes.append(app.log_note())
    return report


class SmtpSink:
    """A minimal SMTP server that accepts every message and remembers its recipients."""

    def __init__(self, port: int):
        import socketserver

        self.recipients: list[str] = []
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(f"{line}\r\n".encode())

            def handle(self) -> None:
                self.reply("220 drill-smtp ready")
                to: list[str] = []
                while line := self.rfile.readline():
                    command = line.decode("utf-8", "replace").strip()
                    verb = command[:4].upper()
                    if verb in {"HELO", "EHLO"}:
                        self.reply("250 drill-smtp")
                    elif verb == "MAIL":
                        to = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        to.append(command.split(":", 1)[1].strip().strip("<>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        while (data := self.rfile.readline()) and data not in {b".\r\n", b".\n"}:
                            pass
                        sink.recipients.extend(to)
                        self.reply("250 OK: queued")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:  # RSET, NOOP, …
                        self.reply("250 OK")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


MAIL_WAIT_SECONDS = 200  # the worker's retries back off (5 s, then 25 s, …): wait that long at most


def drill_smtp(postgres: Postgres, seed: dict) -> Report:
    report = Report("smtp")
    port = free_port()  # nothing listens here until the drill starts the sink
    env = app_environment(
        postgres.url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT="5",
        NOTIFY_EMAIL_DELAY_SECONDS="0",
        LOG_LEVEL="INFO",
    )
    app, worker, sink = App(env, "smtp", log_dir=WORK), Worker(env, log_path=WORK / "worker-smtp.log"), None
    app.start()
    worker.start()
    signed_up: list[str] = []
    hidden_ok: list[int] = []
    try:
        poster = Poster(app, seed["prompt"], seed["learner"], "smtp")
        for _ in range(10):
            poster.post(report, faulty=False)
        signups = Browser(app.port)
        for n in range(15):
            email = f"drill-signup-{n}-{uuid.uuid4().hex[:6]}@example.com"
            signups.get("/accounts/signup/")
            status, _, _ = signups.post(
                "/accounts/signup/",
                {"display_name": f"Drill {n}", "email": email, "username": f"drill_{uuid.uuid4().hex[:10]}",
                 "password1": PASSWORD, "password2": PASSWORD},
            )  # fmt: skip
            report.record(status, faulty=True)
            if status == 302:
                signed_up.append(email)
        moderator = Browser(app.port)
        assert moderator.sign_in(seed["moderator"]) == 302
        ids = {body.split(" ", 1)[0]: pk for pk, body in postgres.query(
            "SELECT id, body FROM community_reflection WHERE body LIKE %s", "drill-smtp-%")}  # fmt: skip
        for marker in report.acknowledged[:10]:
            status, _, _ = moderator.post(f"/moderation/posts/{ids[marker]}/hide/", {"reason": "Fault drill"})
            report.record(status, faulty=True)
            if status == 302:
                hidden_ok.append(ids[marker])
        time.sleep(3)  # the worker meets the dead server and schedules its retries
        waiting = postgres.query(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name LIKE %s AND status = 'todo' AND attempts > 0",
            "%email%",
        )[0][0]
        report.notes.append(f"email jobs failed once and waiting to retry while SMTP was down: {waiting}")
        log("smtp: starting the mail server")
        sink = SmtpSink(port)
        back = time.monotonic()
        learner_mail = False
        while time.monotonic() - back < MAIL_WAIT_SECONDS:
            delivered = set(sink.recipients)
            learner_mail = seed["learner"] in delivered
            if set(signed_up) <= delivered and learner_mail:
                report.recovery_seconds = time.monotonic() - back
                break
            time.sleep(0.5)
        missing = set(signed_up) - set(sink.recipients)
        report.notes.append(
            f"emails delivered once SMTP was back: {len(sink.recipients)}; sign-up emails missing after "
            f"{MAIL_WAIT_SECONDS} s: {len(missing)}; hide notice to the author delivered: {learner_mail}"
        )
        report.notes.append(
            "recovery = mail server back until every sign-up email and the hide notice arrived"
        )
    finally:
        app.stop()
        worker.stop()
        if sink:
            sink.stop()
    count_lost(postgres, report)
    users = postgres.query("SELECT count(*) FROM accounts_user WHERE email = ANY(%s)", signed_up)[0][0]
    hidden = postgres.query(
        "SELECT count(*) FROM community_reflection WHERE id = ANY(%s) AND hidden_at IS NOT NULL", hidden_ok
    )[0][0]
    report.notes.append(f"sign-ups acknowledged {len(signed_up)}, accounts in the database {users}")
    report.notes.append(f"hides acknowledged {len(hidden_ok)}, hidden in the database {hidden}")
    report.lost += abs(len(signed_up) - users) + abs(len(hidden_ok) - hidden)
    report.notes.append(app.log_note())
    worker_log = worker.log_path.read_text(errors="replace")
    report.notes.append(
        f"worker log {worker.log_path}: {worker_log.count('ConnectionRefusedError')} refused connection(s) logged"
    )
    return report


WORKER_MAIL_WAIT_SECONDS = 90  # after the last restart, for every sign-up email to arrive


def drill_worker(postgres: Postgres, seed: dict) -> Report:
    """PostgreSQL restarts under the worker (issue 21, item 22): before the fix the worker exited at
    the first restart ("Side task listener failed … stopping worker") and email stopped."""
    report = Report("worker")
    sink = SmtpSink(free_port())
    env = app_environment(
        postgres.url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.server.server_address[1]),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT="5",
        NOTIFY_EMAIL_DELAY_SECONDS="0",
        LOG_LEVEL="INFO",
    )
    app, worker = App(env, "worker", log_dir=WORK), Worker(env, log_path=WORK / "worker-worker.log")
    app.start()
    worker.start()
    signups = Browser(app.port)
    signed_up: list[str] = []
    accounts: list[str] = []

    def sign_up(*, faulty: bool) -> None:
        email = f"drill-worker-{uuid.uuid4().hex[:12]}@example.com"
        signups.cookies.clear()
        signups.get("/accounts/signup/")
        status, _, _ = signups.post(
            "/accounts/signup/",
            {"display_name": "Drill", "email": email, "username": f"drill_{uuid.uuid4().hex[:10]}",
             "password1": PASSWORD, "password2": PASSWORD},
        )  # fmt: skip
        report.record(status, faulty=faulty)
        if status == 302:
            signed_up.append(email)

    first_job = postgres.query("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")[0][0]  # earlier drills'
    try:
        poster = Poster(app, seed["prompt"], seed["learner"], "worker")
        for _ in range(20):  # a backlog of email for the worker when the first restart comes
            sign_up(faulty=False)
            poster.post(report, faulty=False)
        pid = worker.process.pid
        for mode in ("fast", "immediate"):
            log(f"worker: restarting PostgreSQL ({mode}) while members post and sign up")
            restarter = threading.Thread(target=postgres.restart, args=(mode,))
            started = time.monotonic()
            restarter.start()
            while restarter.is_alive() and report.sent < 3 * MAX_REQUESTS:
                sign_up(faulty=True)
                poster.post(report, faulty=True)
            restarter.join()
            back = time.monotonic()
            report.notes.append(f"pg_ctl -m {mode} restart took {back - started:.2f} s")
            for _ in range(10):  # and more email once it is back
                sign_up(faulty=False)
                poster.post(report, faulty=False)
        while time.monotonic() - back < WORKER_MAIL_WAIT_SECONDS and worker.process.poll() is None:
            if set(signed_up) <= set(sink.recipients):
                report.recovery_seconds = time.monotonic() - back
                break
            time.sleep(0.5)
        # A job whose own queries the restart cut off is retried by its task's strategy (the
        # fan-out: 10 s later): wait for every job of the drill to end.
        while (
            time.monotonic() - back < WORKER_MAIL_WAIT_SECONDS
            and postgres.query(
                "SELECT count(*) FROM procrastinate_jobs WHERE id > %s AND status IN ('todo', 'doing')",
                first_job,
            )[0][0]
        ):
            time.sleep(0.5)
        time.sleep(2)  # a second copy of any email would arrive meanwhile
        alive = worker.process.poll() is None and worker.process.pid == pid
        report.check(alive, f"the worker process (pid {pid}) still runs after both restarts")
        accounts = [email for (email,) in postgres.query(
            "SELECT email FROM accounts_user WHERE email LIKE %s", "drill-worker-%")]  # fmt: skip
        received = Counter(sink.recipients)
        report.check(
            set(signed_up) <= set(accounts),
            f"every sign-up acknowledged is an account ({len(signed_up)} acknowledged, {len(accounts)} accounts)",
        )
        once = [email for email in accounts if received[email] == 1]
        report.check(
            len(once) == len(accounts),
            f"every account's sign-up email arrived exactly once ({len(once)} of {len(accounts)}; "
            f"missing {sum(1 for e in accounts if not received[e])}, "
            f"doubled {sum(1 for e in accounts if received[e] > 1)})",
        )
        jobs = dict(postgres.query(
            "SELECT status || ' ' || task_name, count(*) FROM procrastinate_jobs WHERE id > %s GROUP BY 1",
            first_job))  # fmt: skip
        report.check(
            all(status.startswith("succeeded ") for status in jobs),
            f"every job of this drill succeeded, none waits or failed ({sum(jobs.values())} jobs: {jobs})",
        )
        heartbeat = postgres.query(
            "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - interval '60 seconds'"
        )[0][0]
        report.check(heartbeat >= 1, f"the worker still checks in (/readyz counts {heartbeat})")
        report.notes.append(
            "recovery = last restart finished until every sign-up email had arrived (the worker's "
            "listener listens again within seconds; jobs queued meanwhile are polled every 5 s)"
        )
    finally:
        app.stop()
        worker.stop()
        sink.stop()
    report.lost += len(set(signed_up) - set(accounts))  # sign-ups acknowledged without an account
    count_lost(postgres, report)
    report.notes.append(app.log_note())
    worker_log = worker.log_path.read_text(errors="replace")
    report.notes.append(
        f"worker log {worker.log_path}: {worker_log.count('listening again')} × 'listening again', "
        f"{worker_log.count('running it again')} × 'running it again' (a cut-off statement), "
        f"{worker_log.count('starting it again')} × 'starting it again' (the worker run restarted in-process), "
        f"{worker_log.count('Side task listener failed')} × 'Side task listener failed'"
    )
    return report


def main(argv: list[str]) -> int:
    drills = argv or ["redis", "postgres", "smtp", "worker"]
    unknown = set(drills) - {"redis", "postgres", "smtp", "worker"}
    if unknown:
        print(__doc__, file=sys.stderr)
        return 2
    WORK.mkdir(parents=True, exist_ok=True)
    log(f"starting a private PostgreSQL in {PGDATA}")
    postgres = Postgres(PGDATA, DATABASE)
    reports: list[Report] = []
    try:
        env = app_environment(postgres.url)
        log("migrating and seeding")
        manage(env, "migrate", "--no-input")
        seed = json.loads(
            manage(env, "shell", "-c", SEED.replace("PASSWORD", repr(PASSWORD))).strip().splitlines()[-1]
        )
        if "redis" in drills:
            log("drill a: Redis down while posting and signing in")
            reports.append(drill_redis(postgres, seed))
        if "postgres" in drills:
            for mode in ("fast", "immediate"):
                log(f"drill b: PostgreSQL restart ({mode}) while posting")
                reports.append(drill_postgres(postgres, seed, mode))
        if "smtp" in drills:
            log("drill c: mail server down while signing up and hiding")
            reports.append(drill_smtp(postgres, seed))
        if "worker" in drills:
            log("drill d: PostgreSQL restarts (fast, immediate) under the worker while emails are queued")
            reports.append(drill_worker(postgres, seed))
    finally:
        log("stopping the private PostgreSQL and deleting its data")
        postgres.stop()
    print(
        f"\nFault drill on {socket.gethostname()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M %Z')}"
    )
    for report in reports:
        report.print()
    failed = [r.name for r in reports if r.lost or r.server_errors or not all(p for p, _ in r.checks)]
    print(
        "\nRESULT:",
        "FAIL (" + ", ".join(failed) + ")" if failed else "PASS: 0 posts lost, 0 500s, every check",
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

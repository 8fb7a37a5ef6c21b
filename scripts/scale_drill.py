"""Scale-out drill: two app servers behind no load balancer at all, one site.

    python scripts/scale_drill.py [--quick]            (make scale-drill)

On this machine, thrown away afterwards (scripts/harness.py): a private PostgreSQL (data in
$REFLECT_SCALE_PGDATA, default /tmp/reflect-scale-pg), a private Redis (Debian's ``redis-server``;
required), PgBouncer in transaction mode in front of PostgreSQL when Debian's ``pgbouncer`` is
installed, two gunicorn app servers A and B (production settings, 2 sync workers each, their own
ports) that reach PostgreSQL through PgBouncer (``DATABASE_POOLER=pgbouncer``), one background
worker (Procrastinate) that connects to PostgreSQL directly, for LISTEN/NOTIFY, and the live news
ASGI worker (uvicorn config.asgi) that holds the server-sent streams, nudged through Redis.

Requests alternate between A and B. It checks, printing one PASS or FAIL line each:

1. both servers are ready (/readyz: database, migrations, Redis);
2. a sign-in made on A is valid on B, and signing out on B ends it on A;
3. a rate limit counts across both (markdown previews limited to 6 an hour: three on each server
   pass, the seventh is refused with 429 whichever server gets it);
4. a job enqueued by one is done by the worker: a reply on B notifies the post's author (the worker
   writes the notice and sends the email) within a few seconds;
5. a like made on A shows on B at once (the page B serves straight after says "1 like" and the
   button is pressed): whatever B caches must be invalidated by a write on A; a reflection posted
   on A nudges a stream the ASGI worker holds (through Redis) and is "1 new reflection" in the live
   news check B answers, each within 2 s (live/, issue 24);
6. with PgBouncer, its admin console counted the app servers' transactions; neither server logged
   a 500;

then the throughput of one server against both (wrk when installed, else a small threaded client;
both servers share this machine's cores, so two on one machine is not twice one: the figure shows
the site works as one, the scaling needs more machines). Exit status 1 if any check failed.
``--quick`` measures throughput for 2 s instead of 10 (the automated test uses it).
"""

import http.client
import json
import os
import pwd
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from harness import (
    PASSWORD,
    PROJECT_DIR,
    App,
    Browser,
    Postgres,
    Redis,
    Worker,
    app_environment,
    free_port,
    log,
    manage,
    stop_group,
)

PGDATA = Path(os.environ.get("REFLECT_SCALE_PGDATA", "/tmp/reflect-scale-pg"))
WORK = Path(os.environ.get("REFLECT_SCALE_DIR", "/tmp/reflect-scale"))
DATABASE = "reflect_scale"
PREVIEW_LIMIT = 6
JOB_WAIT_SECONDS = 30

SEED = """
import json
from tests.factories import enrol, make_prompt, make_reflection, make_user
author = make_user(email="scale-author@example.com", handle="scale_author", password=PASSWORD)
reader = make_user(email="scale-reader@example.com", handle="scale_reader", password=PASSWORD)
prompt = make_prompt(title="Scale drill")
enrol(author, reader, course=prompt.lesson.course)
post = make_reflection(prompt=prompt, author=author, body="A reflection both servers show.")
print(json.dumps({"author": author.email, "author_id": author.pk, "reader": reader.email,
                  "post": post.pk, "space": prompt.get_absolute_url(), "prompt": prompt.pk}))
"""


class PgBouncer:
    """PgBouncer in transaction mode on a free port of 127.0.0.1, in front of the private PostgreSQL
    (its Unix socket). It refuses to run as root, so under root it runs as pgserver's system user."""

    def __init__(self, postgres: Postgres):
        self.binary = shutil.which("pgbouncer") or (
            "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
        )
        self.postgres = postgres
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.postgres.database}"

    def start(self) -> None:
        directory = WORK / "pgbouncer"
        directory.mkdir(parents=True, exist_ok=True)
        config = directory / "pgbouncer.ini"
        config.write_text(
            f"[databases]\n{self.postgres.database} = host={self.postgres.socket_dir} "
            f"dbname={self.postgres.database} user=postgres\n\n"
            f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            "auth_type = any\nadmin_users = postgres\npool_mode = transaction\nmax_client_conn = 200\n"
            "default_pool_size = 10\n"
            f"logfile = {directory / 'pgbouncer.log'}\nignore_startup_parameters = extra_float_digits,options\n"
        )
        command = [self.binary, str(config)]
        if os.getuid() == 0:
            user = self.postgres.server.system_user or "nobody"
            entry = pwd.getpwnam(user)
            for path in (directory, config):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            command[1:1] = ["-u", user]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import psycopg

        for _ in range(100):
            try:
                with psycopg.connect(
                    self.url.replace("postgres://", "postgresql://"), connect_timeout=1
                ) as conn:
                    conn.execute("SELECT 1")
                    return
            except psycopg.Error:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError(f"pgbouncer did not start; see {directory / 'pgbouncer.log'}")

    def transactions(self) -> int:
        """Transactions PgBouncer has carried to the drill's database (its admin console's SHOW STATS,
        which speaks only the simple query protocol: psycopg's ClientCursor)."""
        import psycopg

        url = f"postgresql://postgres@127.0.0.1:{self.port}/pgbouncer"
        with psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor) as connection:
            cursor = connection.execute("SHOW STATS")
            columns = [column.name for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return sum(int(row["total_xact_count"]) for row in rows if row["database"] == self.postgres.database)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class StreamWorker:
    """Live news: the ASGI worker that holds the server-sent streams (uvicorn config.asgi, one
    process), beside the gunicorn app servers (docs/deploy.md). Its own version watcher is slowed to
    a minute here, so a nudge that arrives within seconds came from an app server through Redis."""

    def __init__(self, env: dict, *, log_dir: Path):
        self.env = {**env, "LIVE_STREAM_WATCH_SECONDS": "60"}
        self.port = free_port()
        self.log_path = log_dir / "uvicorn-streams.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                   "--port", str(self.port), "--log-level", "warning"]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=self.env, stdout=self.log_path.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        for _ in range(200):
            if Browser(self.port).get("/healthz")[0] == 200:
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited; see {self.log_path}")
            time.sleep(0.1)
        raise RuntimeError(f"uvicorn did not answer /healthz; see {self.log_path}")

    def listen(self, path: str, cookies: dict) -> list[str]:
        """Open a stream and collect its lines in a thread; returns the (growing) list."""
        lines: list[str] = []
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection.request(
            "GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie, "Accept": "text/event-stream"}
        )

        def read() -> None:
            try:
                response = connection.getresponse()
                lines.append(f"status {response.status}")
                while line := response.fp.readline():
                    lines.append(line.decode("utf-8", "replace").rstrip("\n"))
            except (OSError, http.client.HTTPException):
                pass

        threading.Thread(target=read, daemon=True).start()
        return lines

    def stop(self) -> None:
        stop_group(self.process)
        self.process = None


class Checks:
    def __init__(self):
        self.failed: list[str] = []

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        print(f"{'PASS' if ok else 'FAIL'}  {name}{f' ({detail})' if detail else ''}", flush=True)
        if not ok:
            self.failed.append(name)
        return ok


def sign_in(browser: Browser, email: str) -> int:
    browser.get("/accounts/login/")
    return browser.post("/accounts/login/", {"login": email, "password": PASSWORD})[0]


def throughput(ports: list[int], path: str, cookies: dict, seconds: int) -> float:
    """Requests per second over ``seconds``, 4 connections per server, all servers at once."""
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if shutil.which("wrk"):
        processes = [
            subprocess.Popen(
                [
                    "wrk",
                    "-t1",
                    "-c4",
                    f"-d{seconds}s",
                    "-H",
                    f"Cookie: {cookie}",
                    f"http://127.0.0.1:{port}{path}",
                ],
                stdout=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for port in ports
        ]
        total = 0.0
        for process in processes:
            out, _ = process.communicate()
            line = next(line for line in out.splitlines() if line.startswith("Requests/sec:"))
            total += float(line.split(":", 1)[1])
        return total
    counts = [0] * (4 * len(ports))
    end = time.monotonic() + seconds

    def client(slot: int, port: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < end:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            counts[slot] += response.status == 200

    threads = [threading.Thread(target=client, args=(i, ports[i % len(ports)])) for i in range(len(counts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def run_checks(
    checks: Checks, a: App, b: App, seed: dict, postgres: Postgres, mail_dir: Path, seconds: int,
    streams: "StreamWorker | None" = None,
) -> None:  # fmt: skip
    for app, name in ((a, "A"), (b, "B")):
        status, _, body = Browser(app.port).get("/readyz")
        checks.check(
            f"server {name} is ready (/readyz)",
            status == 200 and '"cache": "ok"' in body,
            f"{status} {body.strip()}",
        )

    # 2. A sign-in made on A is valid on B; signing out on B ends it on A.
    on_a = Browser(a.port)
    signed_in = sign_in(on_a, seed["reader"]) == 302
    on_b = Browser(b.port)
    on_b.cookies = dict(on_a.cookies)
    answer = on_b.get("/bench/trivial")[2].strip()
    checks.check("a sign-in on A is valid on B", signed_in and answer == "ok member", f"B says {answer!r}")
    on_b.post("/accounts/logout/", {})
    on_a.cookies.update({k: v for k, v in on_b.cookies.items() if k == "csrftoken"})
    answer = on_a.get("/bench/trivial")[2].strip()
    checks.check("signing out on B ends the session on A", answer == "ok visitor", f"A says {answer!r}")

    # 3. One rate limit across both servers.
    browsers = [Browser(a.port), Browser(b.port)]
    sign_in(browsers[0], seed["author"])
    browsers[1].cookies = dict(browsers[0].cookies)
    statuses = [
        browsers[n % 2].post("/markdownx/markdownify/", {"content": f"Preview {n}"})[0]
        for n in range(PREVIEW_LIMIT + 2)
    ]
    expected = [200] * PREVIEW_LIMIT + [429, 429]
    checks.check(
        f"a rate limit counts across both servers ({PREVIEW_LIMIT} previews an hour, alternating A, B)",
        statuses == expected,
        f"statuses {statuses}",
    )

    # 4. A job enqueued by B is done by the worker: the author hears about the reply.
    replier = Browser(b.port)
    sign_in(replier, seed["reader"])
    status, _, _ = replier.post(
        f"/posts/{seed['post']}/reply/",
        {"reply-body": "A reply written on server B.", "reply-submission_key": str(uuid.uuid4())},
    )
    started = time.monotonic()
    notices = 0
    while time.monotonic() - started < JOB_WAIT_SECONDS:
        notices = postgres.query(
            "SELECT count(*) FROM notifications_notification WHERE recipient_id = %s", seed["author_id"]
        )[0][0]
        mailed = any(seed["author"] in p.read_text(errors="replace") for p in mail_dir.glob("*.log"))
        if notices and mailed:
            break
        time.sleep(0.2)
    checks.check(
        "a job enqueued on B is done by the worker (the author's notice and email)",
        status == 302 and notices > 0 and mailed,
        f"reply {status}, notices {notices}, email {'sent' if mailed else 'not sent'}, "
        f"{time.monotonic() - started:.1f} s",
    )

    # 5. A like made on A shows on B at once.
    liker_a, reader_b = Browser(a.port), Browser(b.port)
    sign_in(liker_a, seed["reader"])
    reader_b.cookies = dict(liker_a.cookies)
    reader_b.get(seed["space"])  # B builds the page (showing the "signed in" message)…
    before = reader_b.get(seed["space"])[2]  # …then again, as it stands
    status, _, _ = liker_a.post(f"/posts/{seed['post']}/like/", {})
    after = reader_b.get(seed["space"])[2]
    checks.check(
        "a like made on A shows on B at once",
        "0 likes" in before and status == 302 and ">1 like<" in after and 'aria-pressed="true"' in after,
        f"like {status}",
    )

    # 5b. Live news across servers (live/, issue 24): a reflection posted on A is "1 new reflection"
    # for a reader whose news check B answers, within 2 s. (Each check here is a page's first check:
    # posts of the last seconds are news unless the page shows them, hence ``seen``.)
    author_a, reader_b = Browser(a.port), Browser(b.port)
    sign_in(author_a, seed["author"])
    sign_in(reader_b, seed["reader"])
    news = f"/live/spaces/{seed['prompt']}/news?seen={seed['post']}"
    before = reader_b.get(news)
    stream = (
        streams.listen(f"/live/events/?channel=space-{seed['prompt']}", reader_b.cookies) if streams else []
    )
    for _ in range(50):  # the stream is open before the post
        if "event: stream-open" in stream:
            break
        time.sleep(0.1)
    status, _, _ = author_a.post(
        f"/activities/{seed['prompt']}/reflect/",
        {"body": "Posted on server A.", "submission_key": str(uuid.uuid4())},
    )
    posted = time.monotonic()
    seen_after, answer = None, ""
    while time.monotonic() - posted < 5:
        answer = reader_b.get(news)[2]
        if "1 new reflection" in answer:
            seen_after = time.monotonic() - posted
            break
        time.sleep(0.1)
    nudged_after = None
    while streams and time.monotonic() - posted < 5:
        if "event: space" in stream:
            nudged_after = time.monotonic() - posted
            break
        time.sleep(0.05)
    if streams:
        checks.check(
            "a reflection posted on A nudges a stream held by the ASGI worker within 2 s (through Redis)",
            nudged_after is not None and nudged_after <= 2 and f"data: {seed['prompt']}" in stream,
            f"nudged after {nudged_after if nudged_after is None else f'{nudged_after:.2f} s'}; "
            f"stream said {[line for line in stream if line.startswith(('status', 'event: s'))]}",
        )
    checks.check(
        "a reflection posted on A is news on B within 2 s (live news check)",
        before[0] == 200 and "new reflection" not in before[2] and status == 302
        and seen_after is not None and seen_after <= 2,
        f"post {status}, seen after {seen_after if seen_after is None else f'{seen_after:.2f} s'}",
    )  # fmt: skip

    # Throughput: one server, then both at once.
    viewer = Browser(a.port)
    sign_in(viewer, seed["author"])
    viewer.get(seed["space"])  # shows (and clears) the "signed in" message, as a browser would
    one = throughput([a.port], seed["space"], viewer.cookies, seconds)
    both = throughput([a.port, b.port], seed["space"], viewer.cookies, seconds)
    tool = "wrk" if shutil.which("wrk") else "threaded Python client"
    print(
        f"\nthroughput of the signed-in space page ({tool}, 4 connections per server, {seconds} s): "
        f"one server {one:.1f} req/s, both servers {both:.1f} req/s ({both / one if one else 0:.2f}×) "
        f"on {os.cpu_count()} cores shared by both"
    )


def main(argv: list[str]) -> int:
    seconds = 2 if "--quick" in argv else 10
    redis = Redis()
    if redis.binary is None:
        print("scale-drill needs Debian's redis-server (make scale-drill installs it).", file=sys.stderr)
        return 2
    WORK.mkdir(parents=True, exist_ok=True)
    mail_dir = WORK / "mail"
    shutil.rmtree(mail_dir, ignore_errors=True)
    mail_dir.mkdir()
    log(f"starting a private PostgreSQL in {PGDATA} and Redis")
    postgres = Postgres(PGDATA, DATABASE)
    bouncer = PgBouncer(postgres)
    apps: list[App] = []
    worker = None
    streams = None
    checks = Checks()
    try:
        redis.start()
        common = dict(
            REDIS_URL=redis.url,
            BENCH_TRIVIAL_VIEW="true",
            RATE_LIMIT_PREVIEW=f"{PREVIEW_LIMIT}/h",
            NEW_ACCOUNT_RATE_LIMIT_PREVIEW=f"{PREVIEW_LIMIT}/h",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail_dir),
            NOTIFY_EMAIL_DELAY_SECONDS="0",
            LIVE_STREAMS="true",  # live news: the app servers publish nudges to Redis (live/streams.py)
        )
        direct = app_environment(postgres.url, **common)
        log("migrating and seeding")
        manage(direct, "migrate", "--no-input")
        seed = json.loads(
            manage(direct, "shell", "-c", SEED.replace("PASSWORD", repr(PASSWORD))).strip().splitlines()[-1]
        )
        if bouncer.binary:
            bouncer.start()
            app_env = app_environment(bouncer.url, DATABASE_POOLER="pgbouncer", **common)
            log(f"PgBouncer (transaction mode) on port {bouncer.port}: the app servers connect through it")
        else:
            app_env = direct
            log("no pgbouncer binary: the app servers connect to PostgreSQL directly")
        apps = [App(app_env, "A", log_dir=WORK), App(app_env, "B", log_dir=WORK)]
        for app in apps:
            app.start()
        worker = Worker(direct, log_path=WORK / "worker.log")  # directly: LISTEN/NOTIFY needs a session
        worker.start()
        streams = StreamWorker(app_env, log_dir=WORK)  # live news: the ASGI worker beside A and B
        streams.start()
        log(f"servers A on port {apps[0].port}, B on port {apps[1].port}; worker started")
        run_checks(checks, apps[0], apps[1], seed, postgres, mail_dir, seconds, streams)
        if bouncer.process:
            carried = bouncer.transactions()
            checks.check(
                "the app servers' transactions went through PgBouncer", carried > 0, f"{carried} transactions"
            )
        for app, name in zip(apps, "AB", strict=True):
            errors = app.log_path.read_text(errors="replace").count("Internal Server Error")
            checks.check(f"server {name} logged no 500", errors == 0, str(app.log_path))
    finally:
        for app in apps:
            app.stop()
        if worker:
            worker.stop()
        if streams:
            streams.stop()
        bouncer.stop()
        redis.stop()
        postgres.stop()
    via = "through PgBouncer (transaction mode)" if bouncer.binary else "directly (no PgBouncer installed)"
    print(f"\napp servers reached PostgreSQL {via}; the worker directly")
    print("RESULT:", f"FAIL ({', '.join(checks.failed)})" if checks.failed else "PASS")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""HTTP benchmark: the signed-in space page against a trivial view, through gunicorn, measured by wrk.

    python scripts/bench_http.py            (make bench-http; BENCH_SECONDS=20 per view by default)

Everything runs on this machine and is thrown away afterwards (scripts/harness.py):

- a private PostgreSQL (data in $REFLECT_BENCH_PGDATA, default /tmp/reflect-bench-pg), migrated and
  seeded with the space of benchmarks/seed.py: one prompt, 1,000 reflections, 3,000 replies, 20,000
  likes from 300 members;
- a private Redis when Debian's ``redis-server`` is installed (the production layout: cache and
  sessions in Redis), else the per-process memory cache;
- gunicorn with the production settings (DEBUG off, 2 sync workers, plain http on 127.0.0.1) and
  BENCH_TRIVIAL_VIEW=true, which turns on /bench/trivial: the same middleware as every page
  (session, user, CSRF, CSP, time zone…) and a two-word body;

and measures three views on it: the trivial view; the space page as a member's browser asks for
it again (``If-None-Match`` with the page's ``ETag``: 304 while nothing on it changed,
``core.conditional``); and the space page built (no tag sent: what a member gets after a change).

It signs the seeded viewer in, then drives each view with wrk (Debian's package: one thread, 4
connections, so both gunicorn workers are always busy) after a short warm-up, for BENCH_SECONDS
per view in BENCH_ROUNDS alternating rounds (trivial, page, trivial, page, …): this machine is
shared, and alternating lets both views meet the same background load. It prints requests per
second and p50/p95/p99 latency over all rounds (wrk's distributions merged) and the ratio page ÷
trivial (the median of the rounds' ratios, and overall), and fails (exit 1) only if a response was
not 2xx or a connection failed: timings are printed, never asserted (docs/performance.md).
"""

import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import PROJECT_DIR, App, Browser, Postgres, Redis, app_environment, log, manage

PGDATA = Path(os.environ.get("REFLECT_BENCH_PGDATA", "/tmp/reflect-bench-pg"))
WORK = Path(os.environ.get("REFLECT_BENCH_DIR", "/tmp/reflect-bench"))
DATABASE = "reflect_bench"
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
WARM_UP_SECONDS = 3
CONNECTIONS = 4
GUNICORN_WORKERS = 2
FACTORIES_PASSWORD = "a-long-test-password-42"  # tests.factories.PASSWORD, the seeded viewer's
LUA = Path(__file__).with_name("wrk_report.lua")

SEED = """
import http.client
import json
from benchmarks.seed import seed_space
seeded = seed_space()
print(json.dumps({"url": seeded["prompt"].get_absolute_url(), "viewer": seeded["viewer"].email}))
"""


def wrk(port: int, path: str, cookies: dict, seconds: float, headers: dict | None = None) -> dict:
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    extra = [part for name, value in (headers or {}).items() for part in ("-H", f"{name}: {value}")]
    result = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(LUA),
         "-H", f"Cookie: {cookie}", *extra, f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK-JSON "))
    return json.loads(line.removeprefix("WRK-JSON "))


def combine(runs: list[dict]) -> dict:
    """One view's rounds as one: requests/s over the summed time, percentiles of the merged
    distribution (each run's 1,000 quantiles weighted by its number of requests)."""
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["duration_us"] for r in runs) / 1_000_000
    points = sorted((q, r["requests"] / len(r["quantiles"])) for r in runs for q in r["quantiles"])

    def percentile(p: float) -> float:
        target, seen = p / 100 * sum(w for _, w in points), 0.0
        for value, weight in points:
            seen += weight
            if seen >= target:
                return value / 1000  # ms
        return points[-1][0] / 1000

    return {
        "rps": requests / seconds,
        "p50": percentile(50),
        "p95": percentile(95),
        "p99": percentile(99),
        "requests": requests,
        "errors": sum(r["non2xx"] + r["socket_errors"] for r in runs),
    }


def fetch(port: int, path: str, cookies: dict, headers: dict | None = None) -> tuple[int, dict]:
    """(status, headers) of one GET."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie, **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.headers)
    finally:
        connection.close()


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, commit {commit or '?'}, load average before the run {load}"
    )


def main() -> int:
    if not shutil.which("wrk"):
        print(
            "bench-http needs wrk (Debian: apt-get install wrk; `make bench-http` installs it).",
            file=sys.stderr,
        )
        return 2
    WORK.mkdir(parents=True, exist_ok=True)
    about = machine()
    log(f"starting a private PostgreSQL in {PGDATA}")
    postgres = Postgres(PGDATA, DATABASE)
    redis = Redis()
    app = None
    try:
        extra = {"BENCH_TRIVIAL_VIEW": "true"}
        if redis.binary:
            redis.start()
            extra["REDIS_URL"] = redis.url
        env = app_environment(postgres.url, **extra)
        log("migrating and seeding the space (1,000 reflections, 3,000 replies, 20,000 likes)")
        manage(env, "migrate", "--no-input")
        seeded = json.loads(manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
        app = App(env, "bench", log_dir=WORK, workers=GUNICORN_WORKERS)
        app.start()
        browser = Browser(app.port)
        browser.get("/accounts/login/")
        status, _, _ = browser.post(
            "/accounts/login/", {"login": seeded["viewer"], "password": FACTORIES_PASSWORD}
        )
        assert status == 302 and "sessionid" in browser.cookies, f"the viewer could not sign in ({status})"
        browser.get(seeded["url"])  # shows (and so clears) the "signed in" message, as a browser would
        status, headers = fetch(app.port, seeded["url"], browser.cookies)
        tag = headers.get("ETag", "")
        assert status == 200 and tag, f"the space page answered {status} with no ETag"
        assert fetch(app.port, seeded["url"], browser.cookies, {"If-None-Match": tag})[0] == 304
        views = [
            ("trivial view", app.port, "/bench/trivial", {}),
            ("space page, page 1, as the browser asks again (304)", app.port, seeded["url"], {"If-None-Match": tag}),
            ("space page, page 1, built (after a change)", app.port, seeded["url"], {}),
        ]  # fmt: skip
        assert "ok member" in browser.get("/bench/trivial")[2]
        for label, port, path, headers in views:
            log(f"wrk: {label}, {WARM_UP_SECONDS} s warm-up")
            wrk(port, path, browser.cookies, WARM_UP_SECONDS, headers)
        runs: dict[str, list[dict]] = {label: [] for label, *_ in views}
        ratios: dict[str, list[float]] = {label: [] for label, *_ in views[1:]}
        for round_ in range(1, ROUNDS + 1):
            log(f"round {round_} of {ROUNDS}: {SECONDS / ROUNDS:.0f} s per view")
            for label, port, path, headers in views:
                runs[label].append(wrk(port, path, browser.cookies, SECONDS / ROUNDS, headers))
            trivial_run = runs[views[0][0]][-1]
            for label in ratios:
                page_run = runs[label][-1]
                ratios[label].append(
                    (page_run["requests"] / page_run["duration_us"])
                    / (trivial_run["requests"] / trivial_run["duration_us"])
                )
        results = [(label, combine(runs[label])) for label, *_ in views]
    finally:
        if app:
            app.stop()
        redis.stop()
        postgres.stop()

    print(f"\nbench-http: {about}")
    print(
        f"gunicorn {GUNICORN_WORKERS} sync workers, production settings, cache: "
        f"{'Redis' if redis.binary else 'per-process memory'}; wrk 1 thread, {CONNECTIONS} connections, "
        f"{SECONDS} s per view in {ROUNDS} alternating rounds after {WARM_UP_SECONDS} s warm-up; "
        "signed in as a learner"
    )
    print(
        f"trivial view: /bench/trivial; space page: {views[1][2]} (20 threads and their replies), as "
        "asked again by a browser that kept it (If-None-Match: core.conditional answers 304) and "
        "built (no tag sent: what a member gets after a change)\n"
    )
    print("| view | requests/s | p50 ms | p95 ms | p99 ms | requests | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, r in results:
        print(
            f"| {label} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} "
            f"| {r['requests']} | {r['errors']} |"
        )
    print()
    for index, (label, rounds) in enumerate(ratios.items(), start=1):
        overall = results[index][1]["rps"] / results[0][1]["rps"]
        print(
            f"ratio {label} ÷ trivial (requests/s): {statistics.median(rounds):.3f} median of the "
            f"rounds ({', '.join(f'{r:.3f}' for r in rounds)}); {overall:.3f} overall"
            + ("  (goal ≥ 0.35)" if index == 1 else "  (goal ≥ 0.10)")
        )
    failed = sum(r["errors"] for _, r in results)
    if failed:
        print(f"FAIL: {failed} response(s) were not 2xx or failed; see {WORK}/gunicorn-*.log")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

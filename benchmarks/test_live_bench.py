"""The news checks (live/) against the trivial view, in process, on the benchmark's large space.

Run with `make bench`. Prints a Markdown table (docs/performance.md, "Live news"): the trivial view
(everything every request pays: session, member, CSRF, CSP), the space's news check answering 304
(nothing moved: one version read), the same check counting (something moved: the read rule over
the posts since the token), "Show" bringing five new posts, and the header's count (304 and
counting). Asserts statuses and that each answer makes the same number of queries every time,
never timings.
"""

import math
import statistics
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.seed import seed_space
from benchmarks.test_space_bench import _measure
from live.tokens import load_space
from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.skipif("live" not in django_settings.INSTALLED_APPS, reason="live not installed yet")


def _row(name: str, figures: dict) -> str:
    return (
        f"| {name} | {figures['queries']} | {figures['min']:.2f} | {figures['median']:.2f} "
        f"| {figures['p95']:.2f} |"
    )


@pytest.mark.django_db
def test_news_check_benchmark(client, settings):
    settings.BENCH_TRIVIAL_VIEW = True
    started = time.perf_counter()
    seeded = seed_space(top_level=1_000, replies=3_000, replies_to_replies=1_000, likes=5_000)
    seed_seconds = time.perf_counter() - started
    prompt, viewer = seeded["prompt"], seeded["viewer"]
    client.force_login(viewer)
    news = reverse("live:space-news", args=[prompt.pk])
    first = client.get(news)
    assert first.status_code == 200
    since = first.headers["X-Live-Since"]
    rows = [
        _row("trivial view (`/bench/trivial`)", _measure(client, "/bench/trivial")),
        _row("news check, nothing moved (304)", _measure_status(client, f"{news}?since={since}", 304)),
    ]
    for _ in range(5):
        make_reflection(prompt=prompt, author=make_user(), body="Something new")
    counting = load_space(since, viewer)
    counting.numbers = None  # as after a change: the check counts again
    rows.append(_row("news check, counting (5 new)", _measure(client, f"{news}?since={counting.dumps()}")))
    show = reverse("live:space-new-posts", args=[prompt.pk])
    rows.append(_row('"Show" (5 new posts)', _measure(client, f"{show}?since={since}")))
    notices = reverse("live:notices")
    header = client.get(notices)
    rows.append(_row("header count, counting", _measure(client, notices)))
    rows.append(
        _row(
            "header count, nothing moved (304)",
            _measure_status(client, f"{notices}?since={header.headers['X-Live-Since']}", 304),
        )
    )
    print(f"\nseeded in {seed_seconds:.1f} s; median of 50 requests each, in process (ms)\n")
    print("| answer | queries | min | median | p95 |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


def _measure_status(client, url: str, status: int) -> dict:
    """``_measure`` for an answer that is not a 200 (a 304 from the token alone)."""
    client.get(url)
    times, counts = [], []
    for _ in range(50):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == status, (url, response.status_code)
        counts.append(len(queries.captured_queries))
    assert len(set(counts)) == 1, counts
    times.sort()
    return {"queries": counts[0], "min": times[0], "median": statistics.median(times),
            "p95": times[math.ceil(0.95 * len(times)) - 1]}  # fmt: skip

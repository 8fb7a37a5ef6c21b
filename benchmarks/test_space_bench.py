"""Space-page benchmark: one prompt with a large discussion, timed and query-counted.

Run with `make bench`. Prints the seed sizes and a Markdown table; asserts only that every page
answers 200 and that each view makes the same number of queries on every request (never timings).
"""

import math
import os
import re
import statistics
import time
from html import unescape
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from accounts.roles import ALL_ROLES
from benchmarks.seed import LIKES, REPLIES, REPLIES_TO_REPLIES, TOP_LEVEL, seed_space
from community import keyset
from community.models import Like, Reflection
from community.querysets import THREAD_ORDERS

REQUESTS = 50


def _measure(
    client, url: str, *, follow: bool = False, requests: int = REQUESTS, again: bool = False
) -> dict:
    """``requests`` timed GETs of ``url`` (following redirects if asked) after one warm-up; the
    query count must be the same every time. ``again``: as the member's browser asks for a page
    it kept (``If-None-Match`` with the warm-up's ``ETag``: 304, core.conditional)."""
    warm = client.get(
        url, follow=follow
    )  # warm-up: first-request caches (URL resolver, templates, content types)
    headers = {"If-None-Match": warm.headers["ETag"]} if again else {}
    times, counts = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, follow=follow, headers=headers)
            elapsed = time.perf_counter() - started
        assert response.status_code == (304 if again else 200), (url, response.status_code)
        times.append(elapsed * 1000)
        counts.append(len(queries.captured_queries))
    assert len(set(counts)) == 1, f"{url}: query count varies between requests: {sorted(set(counts))}"
    times.sort()
    return {
        "queries": counts[0],
        "min": times[0],
        "median": statistics.median(times),
        "p95": times[math.ceil(0.95 * len(times)) - 1],
        "bytes": len(response.content),
        "posts": response.content.count(b'<article class="post'),
    }


@pytest.mark.django_db
def test_space_page_benchmark(client):
    started = time.perf_counter()
    seeded = seed_space()
    seed_seconds = time.perf_counter() - started
    prompt = seeded["prompt"]

    top = Reflection.objects.filter(prompt=prompt, thread__isnull=True)
    replies = Reflection.objects.filter(prompt=prompt, thread__isnull=False)
    nested = replies.exclude(parent=F("thread"))
    likes = Like.objects.filter(reflection__prompt=prompt)
    assert (top.count(), replies.count(), likes.count()) == (TOP_LEVEL, REPLIES, LIKES)
    assert nested.count() == REPLIES_TO_REPLIES
    assert not likes.filter(user=F("reflection__author")).exists()
    # The counters are exact after resync_counts().
    assert sum(top.values_list("reply_count", flat=True)) == REPLIES
    assert sum(Reflection.objects.filter(prompt=prompt).values_list("like_count", flat=True)) == LIKES

    per_page = settings.REFLECTIONS_PER_PAGE
    pages = math.ceil(TOP_LEVEL / per_page)
    middle = (pages + 1) // 2
    url = prompt.get_absolute_url()
    client.force_login(seeded["viewer"])
    views = [
        (f"page 1 of {pages} (oldest)", url),
        (f"page {middle} of {pages} (oldest)", _middle_page(prompt, url, middle)),
        ("page 1, ?order=liked", f"{url}?order=liked"),
    ]
    results = [(label, _measure(client, view_url)) for label, view_url in views]
    for _, result in results:
        # Each page shows per_page threads plus their replies.
        assert result["posts"] > per_page

    print()
    print(
        f"Seeded in {seed_seconds:.1f} s: 1 prompt, {TOP_LEVEL:,} top-level reflections, "
        f"{REPLIES:,} replies ({REPLIES_TO_REPLIES:,} of them replies to replies), "
        f"{LIKES:,} likes from {seeded['members']} members; "
        f"{per_page} threads per page, {pages} pages; {REQUESTS} requests per view after one warm-up."
    )
    print()
    print("| view | queries/request | min ms | median ms | p95 ms | posts on page |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in results:
        print(
            f"| {label} | {r['queries']} | {r['min']:.1f} | {r['median']:.1f} | {r['p95']:.1f} | {r['posts']} |"
        )


def _link(html: str, name: str) -> str:
    """The query string of the space page's pagination link ``name`` (First, Previous, Next, Last)."""
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.DOTALL).group(0)
    return unescape(re.search(rf'<a href="([^"]+)"[^>]*>{name}</a>', nav).group(1))


def _middle_page(prompt, url: str, number: int) -> str:
    """The address of page ``number`` as its Next link reaches it: the cursor of the last thread of
    the page before (in the default order) and the position hint."""
    per_page = settings.REFLECTIONS_PER_PAGE
    threads = Reflection.objects.filter(prompt=prompt, thread__isnull=True).order_by("created_at", "id")
    before = threads[(number - 1) * per_page - 1]
    return f"{url}?{urlencode({'order': 'oldest', 'after': keyset.encode(THREAD_ORDERS['oldest'], before), 'n': number})}"


SCALE_SIZES = [int(n) for n in os.environ.get("BENCH_SPACE_SIZES", "1000,10000,100000").split(",") if n]


# Committed (transaction=True), so the seed's rows can be vacuumed: the seed writes every post and
# then re-dates it, and inside one open transaction the dead index entries it leaves (all at the
# insert time, the end of the created_at index) would be read by every backward scan (the Last
# page: 33 ms at 100,000) as no vacuumed table makes anyone read them.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("top_level", SCALE_SIZES)
def test_space_page_at_scale(client, settings, top_level):
    """Issue 13: the page costs the same at 1,000, 10,000 and 100,000 reflections in one space, on
    page 1, a middle page, the last page, "Most liked" and a permalink to a reply (redirect and
    page): as a member's browser asks again for a page it kept (If-None-Match: 304,
    core.conditional) and built (as after a change). Prints a table and, with BENCH_EXPLAIN=1, the plans of page 1's reflection queries."""
    for role in ALL_ROLES:  # a data migration makes them; the flush after a committed test does not
        Group.objects.get_or_create(name=role)
    started = time.perf_counter()
    seeded = seed_space(
        top_level=top_level, replies=min(3 * top_level, 30_000), replies_to_replies=min(top_level, 10_000),
        likes=min(20 * top_level, 60_000),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE community_reflection, community_like, accounts_user")
    seed_seconds = time.perf_counter() - started
    prompt = seeded["prompt"]
    per_page = settings.REFLECTIONS_PER_PAGE
    pages = math.ceil(top_level / per_page)
    url = prompt.get_absolute_url()
    reply = Reflection.objects.filter(prompt=prompt, thread__isnull=False).order_by("id")[REPLIES // 2]
    client.force_login(seeded["viewer"])
    middle = (pages + 1) // 2
    views = [
        ("page 1", url),
        (f"page {middle} (middle, a Next link's cursor)", _middle_page(prompt, url, middle)),
        (f"page {pages} (last, the Last link)", url + _link(client.get(url).text, "Last")),
        ("Most liked", f"{url}?order=liked"),
    ]
    results = [
        (f"{label}, asked again (304)", _measure(client, view_url, again=True)) for label, view_url in views
    ]
    permalink = reply.get_absolute_url()
    results.append(("permalink to a reply (redirect + page)", _measure(client, permalink, follow=True)))
    target = client.get(permalink).url.split("#")[0]
    kind = "a `from=` cursor" if "?from=" in target else "the thread page"
    results.append((f"the page it leads to ({kind}), alone", _measure(client, target)))
    # The same pages built on every request (no tag sent: what a member gets after a change).
    for label, view_url in views:
        results.append((f"{label}, built every time", _measure(client, view_url)))
    print()
    print(
        f"{top_level:,} reflections in one space (seeded in {seed_seconds:.0f} s), {REQUESTS} requests per view:"
    )
    print("| view | queries/request | min ms | median ms | p95 ms | posts on page |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in results:
        print(
            f"| {label} | {r['queries']} | {r['min']:.1f} | {r['median']:.1f} | {r['p95']:.1f} | {r['posts']} |"
        )
    if os.environ.get("BENCH_EXPLAIN"):
        # Page 1's reflection queries; then the keyset read of the threads of each other page (the
        # rest of their queries are page 1's), the permalink's redirect and the page it leads to.
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        explained = [("page 1", q["sql"]) for q in queries.captured_queries]
        with CaptureQueriesContext(connection) as queries:
            target = client.get(permalink).url
        explained += [
            ("permalink (redirect)", q["sql"]) for q in queries.captured_queries if "LIMIT" in q["sql"]
        ]
        for label, view_url in [*views[1:], ("permalink's page", target.split("#")[0])]:
            with CaptureQueriesContext(connection) as queries:
                client.get(view_url)
            explained += [
                (label, q["sql"])
                for q in queries.captured_queries
                if '"thread_id" IS NULL' in q["sql"] and f"LIMIT {per_page + 1}" in q["sql"]
            ]
        with connection.cursor() as cursor:
            for label, sql in explained:
                if "community_reflection" not in sql or sql.startswith("INSERT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                print(f"\n{label}:\n```\n{sql[:160]}…\n{plan}\n```")

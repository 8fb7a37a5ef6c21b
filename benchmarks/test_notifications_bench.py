"""Notifications benchmark: an activity with 2,000 followers, and the header's unread count.

Run with `make bench`. Prints Markdown tables; asserts only what must hold whatever the machine
(the fan-out is deferred, every follower gets one notice, query counts are the same on every run,
the header is one query), never timings.

1. The author's posting time: ``community.services.create_reflection`` with JOBS_INLINE=False (as
   production: the fan-out is a row in procrastinate_jobs, written after the commit), in an
   activity nobody follows and in one that 2,000 members follow. Timed with the after-commit
   callbacks (the enqueue) included.
2. The worker's part: ``notifications.services.notify_post(reflection_id)`` for those 2,000
   followers, called in-process as the ``notifications.fan_out_post`` job calls it.
3. The header: ``notifications.services.unread_count(member)`` for a member with 5,000 notices, on
   a site with 1,000 and then 100,000 posts.
"""

import random
import statistics
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts import roles
from accounts.models import User
from community import services as community
from community.models import Reflection
from core.markdown import render_markdown
from notifications import services
from notifications.kinds import Kind
from notifications.models import Notification, Subscription
from tests.factories import make_course, make_lesson, make_prompt, make_user

FOLLOWERS = 2_000
POSTS = 15  # timed posts per activity, after one warm-up each
FAN_OUTS = 3  # timed notify_post runs, after one run that counts the queries
NOTICES = 5_000
FEW_UNREAD = 50
OTHER_NOTICES = 20_000
SMALL_SITE, LARGE_SITE = 1_000, 100_000  # posts on the whole site, for the header's count
HEADER_CALLS = 50
SEED = 20261126
BODY = "Trying the huddle tomorrow: **what nearly went wrong** is the question I'll start with."


def _learners(count: int, prefix: str) -> list[int]:
    """``count`` learners, written with bulk_create (no password hashing)."""
    User.objects.bulk_create(
        (
            User(email=f"{prefix}{i}@example.com", handle=f"{prefix}{i}", display_name=f"{prefix} {i}",
                 password="!unusable")
            for i in range(count)
        ),
        batch_size=1_000,
    )  # fmt: skip
    ids = list(User.objects.filter(handle__startswith=prefix).values_list("pk", flat=True))
    learner = Group.objects.get(name=roles.LEARNER)
    Membership = User.groups.through
    Membership.objects.bulk_create(
        (Membership(user_id=pk, group_id=learner.pk) for pk in ids), batch_size=1_000
    )
    return ids


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.1f}"


def _table_of(sql: str) -> str:
    """The first table a query reads or writes, for a breakdown of the fan-out's queries."""
    for keyword in ('INSERT INTO "', 'UPDATE "', 'FROM "'):
        if keyword in sql:
            return sql.split(keyword, 1)[1].split('"', 1)[0]
    return sql.split(" ", 1)[0]


def _post(prompt, author, capture_on_commit) -> tuple[Reflection, float, int]:
    """What the author's request does to post: the service, its commit, and the enqueue after it."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with capture_on_commit(execute=True):
            reflection = community.create_reflection(prompt=prompt, author=author, body=BODY)
        elapsed = time.perf_counter() - started
    return reflection, elapsed, len(queries.captured_queries)


@pytest.mark.django_db
def test_fan_out_benchmark(settings, django_capture_on_commit_callbacks):
    settings.JOBS_INLINE = False  # production: the fan-out is deferred to the worker
    started = time.perf_counter()
    lesson = make_lesson(course=make_course())
    quiet = make_prompt(lesson=lesson, title="Nobody follows this one")
    busy = make_prompt(lesson=lesson, title="Everyone follows this one")
    # Facilitators watch their own activities: take that away, so the counts are exactly 0 and 2,000.
    Subscription.objects.filter(prompt__in=[quiet, busy]).delete()
    followers = _learners(FOLLOWERS, "follower")
    Subscription.objects.bulk_create(
        (Subscription(user_id=pk, prompt=busy, level=Subscription.Level.WATCHING) for pk in followers),
        batch_size=1_000,
    )
    author = make_user(display_name="Ada Author")
    seed_seconds = time.perf_counter() - started
    assert Subscription.objects.filter(prompt=quiet).count() == 0
    assert Subscription.objects.filter(prompt=busy, level=Subscription.Level.WATCHING).count() == FOLLOWERS

    # 1. The author's posting time, alternating between the two activities.
    for prompt in (quiet, busy):
        _post(prompt, author, django_capture_on_commit_callbacks)  # warm-up
    timings = {quiet.pk: [], busy.pk: []}
    query_counts = {quiet.pk: set(), busy.pk: set()}
    posted = []
    for _ in range(POSTS):
        for prompt in (quiet, busy):
            reflection, elapsed, queries = _post(prompt, author, django_capture_on_commit_callbacks)
            timings[prompt.pk].append(elapsed)
            query_counts[prompt.pk].add(queries)
            if prompt is busy:
                posted.append(reflection)
    # Deferred, not done: one fan-out job per post is waiting, and nobody has a notice yet.
    waiting = ProcrastinateJob.objects.filter(task_name="notifications.fan_out_post", status="todo")
    assert waiting.count() == 2 * (POSTS + 1)
    assert not Notification.objects.exists()
    assert len(query_counts[quiet.pk]) == 1 and query_counts[quiet.pk] == query_counts[busy.pk]

    # 2. The worker's part, for the 2,000 followers: first a run that counts the queries, then timed runs.
    with CaptureQueriesContext(connection) as queries:
        email_now = services.notify_post(posted[0].pk)
    fan_out_queries = len(queries.captured_queries)
    breakdown = Counter(_table_of(q["sql"]) for q in queries.captured_queries)
    fan_out_seconds = []
    for reflection in posted[1 : 1 + FAN_OUTS]:
        started = time.perf_counter()
        services.notify_post(reflection.pk)
        fan_out_seconds.append(time.perf_counter() - started)
    notices_per_post = [
        Notification.objects.filter(reflection=reflection).count() for reflection in posted[: 1 + FAN_OUTS]
    ]
    assert notices_per_post == [FOLLOWERS] * (1 + FAN_OUTS)
    assert set(Notification.objects.filter(reflection=posted[0]).values_list("kind", flat=True)) == {
        Kind.NEW_REFLECTION
    }

    print()
    print(
        f"Seeded in {seed_seconds:.1f} s: two activities, one with no followers and one with {FOLLOWERS:,} "
        f"learners watching it (Subscription level watching, bulk_create). JOBS_INLINE=False."
    )
    print()
    print(f"Author's posting time, community.services.create_reflection + commit + enqueue "
          f"({POSTS} posts each, alternating, after one warm-up):")  # fmt: skip
    print()
    print("| activity | queries | min ms | median ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for label, prompt in (("no followers", quiet), (f"{FOLLOWERS:,} followers", busy)):
        t = sorted(timings[prompt.pk])
        [count] = query_counts[prompt.pk]
        print(f"| {label} | {count} | {t[0] * 1000:.1f} | {_ms(t)} | {t[-1] * 1000:.1f} |")
    print()
    print(f"Worker: notifications.services.notify_post for {FOLLOWERS:,} followers "
          f"(median of {FAN_OUTS} runs after one counted run):")  # fmt: skip
    print()
    median = statistics.median(fan_out_seconds)
    print(
        "| median s | min s | max s | ms per notice | notices created | to email now | queries | queries per notice |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {median:.2f} | {min(fan_out_seconds):.2f} | {max(fan_out_seconds):.2f} | "
        f"{median * 1000 / notices_per_post[0]:.1f} | {notices_per_post[0]:,} | {len(email_now)} | "
        f"{fan_out_queries:,} | {fan_out_queries / notices_per_post[0]:.2f} |"
    )
    print()
    print("Queries by table: " + ", ".join(f"{table} {n:,}" for table, n in breakdown.most_common()))


@pytest.mark.django_db
def test_header_unread_count_benchmark():
    """The count's one query checks each notice's post against visible_to, so it is measured on a
    small site (1,000 posts) and again after the site has grown to 100,000 posts (the member's
    notices unchanged)."""
    rng = random.Random(SEED)
    lesson = make_lesson(course=make_course())
    prompt = make_prompt(lesson=lesson)
    others = _learners(200, "actor")
    html = render_markdown(BODY)

    def add_posts(count: int) -> list[Reflection]:
        return Reflection.objects.bulk_create(
            (
                Reflection(prompt=prompt, author_id=rng.choice(others), body=BODY, body_html=html)
                for _ in range(count)
            ),
            batch_size=5_000,
        )

    posts = add_posts(SMALL_SITE)
    kinds = [Kind.REPLY, Kind.THREAD_REPLY, Kind.MENTION, Kind.NEW_REFLECTION, Kind.LIKES]
    now = timezone.now()

    def member_with_notices(handle: str, unread: int) -> User:
        member = make_user(handle=handle)
        Notification.objects.bulk_create(
            (
                Notification(
                    recipient=member,
                    kind=rng.choice(kinds),
                    actor_id=rng.choice(others),
                    reflection=rng.choice(posts),
                    prompt=prompt,
                    read_at=None if i < unread else now - timedelta(hours=i),
                )  # fmt: skip
                for i in range(NOTICES)
            ),
            batch_size=1_000,
        )
        return member

    members = [
        (f"{NOTICES:,} notices, all unread", member_with_notices("never_reads", NOTICES), NOTICES),
        (f"{NOTICES:,} notices, {FEW_UNREAD} unread", member_with_notices("reads_often", FEW_UNREAD), FEW_UNREAD),
    ]  # fmt: skip
    # Everyone else's notices are in the table too (as on a live site).
    Notification.objects.bulk_create(
        (
            Notification(recipient_id=rng.choice(others), kind=Kind.REPLY, actor_id=rng.choice(others),
                         reflection=rng.choice(posts), prompt=prompt)
            for _ in range(OTHER_NOTICES)
        ),
        batch_size=5_000,
    )  # fmt: skip

    rows = []
    for site_posts in (SMALL_SITE, LARGE_SITE):
        add_posts(site_posts - Reflection.objects.count())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE community_reflection")
            cursor.execute("ANALYZE notifications_notification")
        for label, member, unread in members:
            # Cold: a member object whose roles are not loaded yet (visible_to asks for them).
            # Warm: roles already loaded by the page (is_moderator, the role badge), as on the space page.
            for state in ("cold", "warm"):
                times, counts = [], set()
                for _ in range(HEADER_CALLS + 1):
                    user = User.objects.get(pk=member.pk)
                    if state == "warm":
                        user.role_names  # noqa: B018
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        count = services.unread_count(user)
                        times.append(time.perf_counter() - started)
                    counts.add(len(queries.captured_queries))
                    assert count == unread
                times = sorted(times[1:])  # the first call warms up
                assert len(counts) == 1
                rows.append((site_posts, label, state, counts.pop(), times))
    # Warm: one query to see that something is unread, one to count it through the read rule
    # (a member with nothing unread pays only the first: services.unread_count).
    assert {count for _, _, state, count, _ in rows if state == "warm"} == {2}

    print()
    print(f"Header: notifications.services.unread_count(member), {HEADER_CALLS} calls after one warm-up; "
          f"{OTHER_NOTICES:,} other members' notices in the table:")  # fmt: skip
    print()
    print("| posts on the site | member | roles | queries | min ms | median ms | max ms |")
    print("|---:|---|---|---:|---:|---:|---:|")
    for site_posts, label, state, count, times in rows:
        print(
            f"| {site_posts:,} | {label} | {state} | {count} | {times[0] * 1000:.1f} | {_ms(times)} | "
            f"{times[-1] * 1000:.1f} |"
        )

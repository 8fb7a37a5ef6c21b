"""Search benchmark: 200,000 posts, searched by a learner for a common word, a rare word and a
phrase.

Run with `make bench`. The corpus is written in SQL (INSERT … SELECT generate_series, words drawn
from a skewed vocabulary so that a few words are common and most are rare), not through the
services: minutes, not hours. Prints the seed sizes, a Markdown table (queries per search, in-process
median and p95 of ``search.services.search``) and EXPLAIN (ANALYZE, BUFFERS) of the main queries.
Asserts only that each search finds what it should and runs the same number of queries every time
(never timings).
"""

import math
import random
import statistics
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.indexes import GinIndex
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from accounts.models import User
from community import services as community
from community.models import Prompt, Reflection
from lessons.models import Lesson
from search.services import Filters, matching_posts, search, text_query
from tests.factories import make_course, make_lesson, make_user

TOP_LEVEL = 150_000
REPLIES = 50_000
MEMBERS = 2_000
COURSES, LESSONS_PER_COURSE, PROMPTS_PER_LESSON = 4, 10, 3
VOCABULARY = 6_000
SKEW = 2.5  # word i of N is drawn with u ** SKEW: a few very common words, a long tail of rare ones
RARE_EVERY = 10_000  # one post in this many has the rare word
PHRASE_EVERY = 100  # one post in this many has the phrase
HIDDEN_EVERY, DELETED_EVERY = 100, 200
RUNS = 40
SEED = 20261126

COMMON = "practice"  # the vocabulary's third word: in about a quarter of the posts
RARE = "quillwort"
PHRASE = '"blame free review"'
REAL_WORDS = [
    "team", "manager", "practice", "feedback", "mistake", "trust", "learn", "shift", "patient", "meeting",
    "blame", "free", "review", "speak", "listen", "change", "question", "colleague", "ward", "report",
    "honest", "safety", "culture", "process", "example", "story", "decision", "risk", "customer", "care",
]  # fmt: skip
SYLLABLES = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "vo", "pe", "da", "zu", "fi", "go", "be", "wa", "xe"]


def _vocabulary(rng: random.Random) -> list[str]:
    words = list(REAL_WORDS)
    seen = set(words)
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _insert_posts(cursor, *, count: int, replies: bool, vocabulary: list[str], start) -> None:
    """``count`` posts (or replies to random top-level posts of the same activity), 12-59 words each,
    one in five with a link, a minute apart from ``start``. The LATERAL subquery refers to the outer
    row, so PostgreSQL draws new words for every post."""
    source = (
        "(SELECT id AS n, id AS thread_id, prompt_id FROM community_reflection WHERE thread_id IS NULL "
        "ORDER BY random() LIMIT %(count)s) s"
        if replies
        else "(SELECT n, NULL::bigint AS thread_id, (SELECT array_agg(id ORDER BY id) FROM community_prompt)"
        "[1 + n %% %(prompts)s] AS prompt_id FROM generate_series(1, %(count)s) n) s"
    )
    cursor.execute(
        f"""
        INSERT INTO community_reflection (prompt_id, author_id, parent_id, thread_id, body, body_html,
            like_count, reply_count, created_at, hidden_reason, open_flag_count, is_private,
            hidden_with_replies, anonymous, audience, content_note)
        SELECT s.prompt_id, (%(authors)s::bigint[])[1 + floor(random() * %(members)s)::int], s.thread_id,
               s.thread_id, t.body,
               '<p>' || t.body || CASE WHEN s.n %% 5 = 0
                   THEN ' <a href="https://example.com/' || s.n || '" rel="nofollow ugc noopener">see this</a>'
                   ELSE '' END || '</p>',
               0, 0, %(start)s::timestamptz + row_number() OVER () * interval '1 minute', '', 0, false,
               false, false, 'course', ''
        FROM {source}
        CROSS JOIN LATERAL (
            SELECT array_to_string(ARRAY(
                SELECT (%(words)s::text[])[1 + floor(%(size)s * power(random(), %(skew)s))::int]
                FROM generate_series(1, 12 + (s.n %% 48))
            ), ' ') ||
            CASE WHEN s.n %% %(rare_every)s = 7 THEN ' %(rare)s' ELSE '' END ||
            CASE WHEN s.n %% %(phrase_every)s = 3 THEN ' a blame free review helped' ELSE '' END AS body
        ) t
        """.replace("%(rare)s", RARE),
        {
            "authors": list(User.objects.filter(handle__startswith="bench").values_list("pk", flat=True)),
            "members": MEMBERS,
            "count": count,
            "prompts": Prompt.objects.count(),
            "start": start,
            "words": vocabulary,
            "size": len(vocabulary),
            "skew": SKEW,
            "rare_every": RARE_EVERY,
            "phrase_every": PHRASE_EVERY,
        },
    )


def _seed() -> dict:
    rng = random.Random(SEED)
    vocabulary = _vocabulary(rng)
    assert vocabulary[2] == COMMON
    facilitator = make_user(role=roles.FACILITATOR, handle="fay_bench", display_name="Fay Bench")
    for c in range(COURSES):
        course = make_course(title=f"Course {c}")
        for n in range(LESSONS_PER_COURSE):
            lesson = make_lesson(
                course=course, title=f"Lesson {c}.{n}", published=n != LESSONS_PER_COURSE - 1
            )
            for p in range(PROMPTS_PER_LESSON):
                community.create_prompt(
                    lesson=lesson, author=facilitator, title=f"Activity {p} about {vocabulary[10 + p]}",
                    body=f"Think about {vocabulary[20 + n]} and {vocabulary[40 + p]}.",
                    independent_reflection=p == 2,
                )  # fmt: skip
    User.objects.bulk_create(
        User(email=f"bench{i}@example.com", handle=f"bench{i}", display_name=f"Bench Member {i}",
             password="!unusable")
        for i in range(MEMBERS)
    )  # fmt: skip
    viewer = make_user(handle="viewer", display_name="Vera Viewer", email="viewer@example.com")
    learner = Group.objects.get(name=roles.LEARNER)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=pk, group_id=learner.pk)
        for pk in User.objects.filter(handle__startswith="bench").values_list("pk", flat=True)
    )

    # Writing 200,000 rows into a GIN index one by one is slower than building it once.
    index = next(i for i in Reflection._meta.indexes if isinstance(i, GinIndex))
    with connection.schema_editor() as editor:
        editor.remove_index(Reflection, index)
    start = timezone.now() - timedelta(minutes=TOP_LEVEL + REPLIES + 10)
    with connection.cursor() as cursor:
        _insert_posts(cursor, count=TOP_LEVEL, replies=False, vocabulary=vocabulary, start=start)
        _insert_posts(cursor, count=REPLIES, replies=True, vocabulary=vocabulary,
                      start=start + timedelta(minutes=TOP_LEVEL))  # fmt: skip
        cursor.execute(
            "UPDATE community_reflection SET hidden_at = now(), hidden_reason = 'bench' WHERE id %% %s = 1",
            [HIDDEN_EVERY],
        )
        cursor.execute(
            "UPDATE community_reflection SET deleted_at = now(), body = '', body_html = '' "
            "WHERE id %% %s = 2 AND thread_id IS NOT NULL",
            [DELETED_EVERY],
        )
    with connection.schema_editor() as editor:
        editor.add_index(Reflection, index)
    # The viewer has reflected in half of the independent-reflection activities.
    for prompt in Prompt.objects.filter(independent_reflection=True, lesson__published=True)[::2]:
        community.create_reflection(prompt=prompt, author=viewer, body=f"My own {vocabulary[5]} story.")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have: statistics, visibility map
    return {"viewer": viewer}


def _measure(viewer, text: str, sort: str) -> dict:
    search(user=viewer, text=text, sort=sort)  # warm-up
    times, counts = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            results = search(user=viewer, text=text, sort=sort)
            elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        counts.append(len(queries.captured_queries))
    assert len(set(counts)) == 1, f"{text}: query count varies: {sorted(set(counts))}"
    times.sort()
    return {
        "queries": counts[0],
        "total": results.total,
        "shown": len(results.hits),
        "capped": results.capped,
        "median": statistics.median(times),
        "p95": times[math.ceil(0.95 * len(times)) - 1],
        "sql": [q["sql"] for q in queries.captured_queries],
    }


def _explain(sql: str) -> str:
    """EXPLAIN the search's main statement as the service runs it (without parallel workers)."""
    statement = sql.split("max_parallel_workers_per_gather = 0; ", 1)[1].rsplit("; RESET", 1)[0]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db(transaction=True)  # committed rows, so VACUUM can run as it would in production
def test_search_benchmark():
    started = time.perf_counter()
    seeded = _seed()
    seed_seconds = time.perf_counter() - started
    viewer = seeded["viewer"]

    posts = Reflection.objects.count()
    assert posts >= TOP_LEVEL + REPLIES
    visible = Reflection.objects.visible_to(viewer).live().count()
    # What each query matches among the posts the viewer may read (the rule inside the query).
    matching = {
        text: matching_posts(viewer, text_query(text), Filters()).count() for text in (COMMON, RARE, PHRASE)
    }
    assert matching[RARE] > 0 and matching[PHRASE] > 0 and matching[COMMON] > 10 * matching[PHRASE]

    cases = [
        (f"common word ({COMMON})", COMMON, "relevance"),
        (f"common word ({COMMON}), newest first", COMMON, "newest"),
        (f"rare word ({RARE})", RARE, "relevance"),
        (f"rare word ({RARE}), newest first", RARE, "newest"),
        (f"phrase ({PHRASE})", PHRASE, "relevance"),
        ("two words (team feedback)", "team feedback", "relevance"),
    ]
    results = [(label, text, sort, _measure(viewer, text, sort)) for label, text, sort in cases]

    print()
    print(
        f"Seeded in {seed_seconds:.0f} s: {posts:,} posts ({TOP_LEVEL:,} reflections, {REPLIES:,} replies; "
        f"1 in {HIDDEN_EVERY} hidden, 1 in {DELETED_EVERY} replies deleted) by {MEMBERS:,} members in "
        f"{Prompt.objects.count()} activities of {Lesson.objects.count()} lessons "
        f"({Lesson.objects.filter(published=False).count()} unpublished); vocabulary of {VOCABULARY:,} words. "
        f"The viewer (a learner) may read {visible:,} of them. Posts ranked per search: the newest "
        f"{settings.SEARCH_MAX_POSTS:,} that match. {RUNS} searches per row after one warm-up."
    )
    print()
    print("| search | matching posts the viewer may read | results (ranked) | queries | median ms | p95 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, text, _, r in results:
        matches = matching.get(text)
        if matches is not None:
            assert r["total"] >= min(matches, settings.SEARCH_MAX_POSTS)
        assert r["shown"] == min(settings.SEARCH_RESULTS_PER_PAGE, r["total"])
        shown = f"{matches:,}" if matches is not None else "–"
        total = f"{r['total']:,}{'+' if r['capped'] else ''}"
        print(f"| {label} | {shown} | {total} | {r['queries']} | {r['median']:.1f} | {r['p95']:.1f} |")

    for label, _, _, r in results:
        print()
        print(f"EXPLAIN (ANALYZE, BUFFERS) of the page and count query, {label}:")
        print(_explain(next(sql for sql in r["sql"] if "WITH found" in sql)))

"""Learning-log benchmark: one member with 500 reflections and replies (the issue's "large log"),
across 2 courses, 10 lessons and 20 activities, with replies and likes (a third of the likes with
a reason) from 50 colleagues.

Run with `make bench`. Prints a Markdown table: the log page (queries, median of 10), the Markdown
and CSV downloads read to the end (median of 5), and the PDF as the worker builds it
(``journal.exports.build_pdf``, median of 3). Asserts only that the page's query count is the
same every time, that the files hold every post, and that the PDF is a PDF (never timings).
"""

import io
import random
import statistics
import time

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from community.models import Like, Reflection
from community.services import resync_counts
from core.markdown import render_markdown
from journal.exports import build_pdf
from journal.queries import LogFilters
from tests.factories import make_course, make_lesson, make_prompt, make_user

POSTS = 500
REPLIES_RECEIVED = 600
LIKES = 1_500
COLLEAGUES = 50
SEED = 20261127

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "On my ward we started a five-minute huddle after each shift, and the first week was awkward: "
    "nobody wanted to name a near miss in front of the charge nurse. What changed it was the "
    "manager going first and naming her own mistake out loud. "
)
BODIES = [
    PARAGRAPH * 2 + "\n\n" + PARAGRAPH,
    "## What happened\n\n" + PARAGRAPH + "\n\n## So what?\n\n- trust grows slowly\n- **blame** stops talk\n"
    "- a near miss is a *gift*\n\n## Now what?\n\n" + PARAGRAPH,
    "> Failure is information.\n\nThat line stayed with me. " + PARAGRAPH + "\n\n1. Separate the person "
    "from the process\n2. Follow up in writing — see https://example.com/near-misses",
    "Short one: psychological safety is a team property, not a personality trait. Café, naïve, “quotes”.",
]


def _seed():
    rng = random.Random(SEED)
    member = make_user(handle="logger", display_name="Lou Logger")
    colleagues = [make_user() for _ in range(COLLEAGUES)]
    prompts = []
    for c in range(2):
        course = make_course(title=f"Course {c + 1}")
        for n in range(5):
            lesson = make_lesson(course=course, number=n + 1, title=f"Lesson on topic {n + 1}")
            prompts += [
                make_prompt(lesson=lesson, title=f"Question {q + 1} of lesson {n + 1}?") for q in range(2)
            ]
    rendered = [(body, render_markdown(body)) for body in BODIES]

    def post(author, prompt, parent=None):
        body, html = rng.choice(rendered)
        return Reflection(
            prompt=prompt, author=author, body=body, body_html=html,
            parent=parent, thread=(parent.thread or parent) if parent else None,
        )  # fmt: skip

    tops = Reflection.objects.bulk_create([post(member, rng.choice(prompts)) for _ in range(POSTS * 4 // 5)])
    others = Reflection.objects.bulk_create(
        [post(rng.choice(colleagues), prompt) for prompt in prompts for _ in range(6)]
    )
    Reflection.objects.bulk_create([post(member, o.prompt, parent=o) for o in rng.sample(others, POSTS // 5)])
    Reflection.objects.bulk_create(
        [post(rng.choice(colleagues), t.prompt, parent=t) for t in rng.choices(tops, k=REPLIES_RECEIVED)]
    )
    mine = list(Reflection.objects.filter(author=member))
    pairs = set()
    while len(pairs) < LIKES:
        pairs.add((rng.choice(mine).pk, rng.choice(colleagues).pk))
    Like.objects.bulk_create(
        [Like(reflection_id=r, user_id=u, reason="It helped me see my own ward." if i % 3 == 0 else "")
         for i, (r, u) in enumerate(sorted(pairs))]
    )  # fmt: skip
    resync_counts()
    return member


def _median_ms(runs: list[float]) -> float:
    return round(statistics.median(runs) * 1000, 1)


def test_learning_log_benchmark(client):
    member = _seed()
    assert Reflection.objects.filter(author=member).count() == POSTS
    assert not Like.objects.filter(user=F("reflection__author")).exists()
    assert User.objects.count() > COLLEAGUES
    client.force_login(member)
    rows = []

    page_times, counts = [], set()
    for _ in range(11):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("journal:learning-log"))
        page_times.append(time.perf_counter() - started)
        counts.add(len(captured.captured_queries))
        assert response.status_code == 200
    assert len(counts) == 1, counts
    rows.append(("log page 1 (50 posts)", counts.pop(), _median_ms(page_times[1:])))

    for label, name in (("Markdown download, read to the end", "journal:export-markdown"),
                        ("CSV download, read to the end", "journal:export-csv")):  # fmt: skip
        times = []
        for _ in range(5):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                content = b"".join(client.get(reverse(name)).streaming_content)
            times.append(time.perf_counter() - started)
        assert content.count(b"It helped me see my own ward.") > 0
        rows.append((label, len(captured.captured_queries), _median_ms(times)))

    times = []
    for _ in range(3):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            result = build_pdf(member, LogFilters())
        times.append(time.perf_counter() - started)
    assert result.content.startswith(b"%PDF") and result.posts == POSTS
    pages = len(PdfReader(io.BytesIO(result.content)).pages)
    rows.append((f"PDF, built by the worker ({len(result.content) // 1024} KB, {pages} pages)", len(captured.captured_queries),
                 _median_ms(times)))  # fmt: skip

    print(f"\n\nLearning log of {POSTS} posts ({POSTS * 4 // 5} reflections, {POSTS // 5} replies), "
          f"{REPLIES_RECEIVED} replies and {LIKES} likes received\n")  # fmt: skip
    print("| what | queries | median ms |\n|---|---:|---:|")
    for label, queries, ms in rows:
        print(f"| {label} | {queries} | {ms} |")

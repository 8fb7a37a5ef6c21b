"""Facilitator-insight benchmark: an activity with a roster of 2,000 learners in two cohorts and
10,000 posts, timed in-process and query-counted.

Run with `make bench`. Prints a Markdown table; asserts only that each page answers 200 and makes
the same number of queries on every request (never timings). Goal (issue 11): the Insights page
under 150 ms median.
"""

import random
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from benchmarks.test_space_bench import _measure
from community import services
from community.models import ActivityVisit, Like, Reflection
from core.markdown import render_markdown
from lessons.models import Enrolment
from tests.factories import make_course, make_lesson, make_prompt, make_user

LEARNERS = 2_000
TOP_LEVEL = 6_000
REPLIES = 4_000
LIKES = 20_000
VISITS = 1_600
REQUESTS = 30
SEED = 20261127
BODIES = [
    "We run a short review after each incident: what happened, what helped, what we change.",
    "Naming my own mistake first made it easier for the team to name theirs.\n\n- trust\n- time\n- follow-up",
    "> A near miss is a gift.\n\nWe log them on a shared board now, with no names attached.",
    "I am not sure blame-free means consequence-free. **Accountability** still matters to me.",
]


def _seed() -> dict:
    rng = random.Random(SEED)
    bodies = [(body, render_markdown(body)) for body in BODIES]
    course = make_course()
    spring = course.cohorts.get()
    autumn = course.cohorts.create(name="Autumn")
    prompt = make_prompt(lesson=make_lesson(course=course))
    facilitator = make_user(handle="benchfac", display_name="Bench Facilitator")
    spring.facilitators.add(facilitator)
    autumn.facilitators.add(facilitator)
    User.objects.bulk_create(
        (User(email=f"learner{i}@example.com", handle=f"learner{i}", display_name=f"Learner {i}",
              password="!unusable") for i in range(LEARNERS)),
        batch_size=1_000,
    )  # fmt: skip
    ids = list(User.objects.filter(handle__startswith="learner").values_list("pk", flat=True))
    learner = Group.objects.get(name=roles.LEARNER)
    User.groups.through.objects.bulk_create(
        (User.groups.through(user_id=pk, group_id=learner.pk) for pk in ids), batch_size=1_000
    )
    Enrolment.objects.bulk_create(
        (
            Enrolment(user_id=pk, course=course, cohort=spring if n % 2 else autumn)
            for n, pk in enumerate(ids)
        ),
        batch_size=1_000,
    )
    # Three learners in four reflect, some often; the rest have not reflected yet.
    writers = ids[: LEARNERS * 3 // 4]

    def post(**fields) -> Reflection:
        body, html = rng.choice(bodies)
        return Reflection(prompt=prompt, author_id=rng.choice(writers), body=body, body_html=html, **fields)

    top = Reflection.objects.bulk_create((post() for _ in range(TOP_LEVEL)), batch_size=2_000)
    Reflection.objects.bulk_create(
        (post(parent=thread, thread=thread) for thread in (rng.choice(top) for _ in range(REPLIES))),
        batch_size=2_000,
    )
    start = timezone.now() - timedelta(days=45)
    Reflection.objects.filter(prompt=prompt).update(
        created_at=ExpressionWrapper(
            Value(start) + (F("id") - Value(top[0].pk)) * Value(timedelta(minutes=6)),
            output_field=DateTimeField(),
        )
    )
    from community.models import Prompt

    Prompt.objects.filter(pk=prompt.pk).update(created_at=start)
    posts = list(Reflection.objects.filter(prompt=prompt).values_list("pk", "author_id"))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < LIKES:
        pk, author_id = rng.choice(posts)
        member = rng.choice(ids)
        if member != author_id:
            pairs.add((pk, member))
    Like.objects.bulk_create((Like(reflection_id=pk, user_id=m) for pk, m in pairs), batch_size=5_000)
    ActivityVisit.objects.bulk_create(
        ActivityVisit(
            user_id=pk, prompt=prompt, visited_at=timezone.now() - timedelta(hours=rng.randint(1, 900))
        )
        for pk in rng.sample(ids, VISITS)
    )
    services.resync_counts()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have, after the bulk load
    staff = make_user(role=roles.FACILITATOR, handle="benchstaff", display_name="Bench Staff Facilitator")
    return {"prompt": prompt, "facilitator": facilitator, "staff": staff, "spring": spring}


@pytest.mark.django_db
def test_insights_bench(client):
    seeded = _seed()
    prompt = seeded["prompt"]
    client.force_login(seeded["facilitator"])
    insights = reverse("insights:activity", args=[prompt.pk])
    pages = {
        "Insights, all cohorts": insights,
        "Insights, one cohort": f"{insights}?cohort={seeded['spring'].pk}",
        "Insights, sorted by words": f"{insights}?sort=words&dir=desc",
        "Learners CSV (2,000 rows)": reverse("insights:csv", args=[prompt.pk]),
        "Nudge form (500 waiting)": reverse("insights:nudge", args=[prompt.pk]),
        "/facilitate/": reverse("insights:worklist"),
    }
    print(
        f"\n\nSeeded: {LEARNERS:,} learners in 2 cohorts, {TOP_LEVEL + REPLIES:,} posts "
        f"({TOP_LEVEL:,} reflections, {REPLIES:,} replies), {LIKES:,} likes, {VISITS:,} visits.\n"
    )
    print("| page (viewer) | queries | median ms | p95 ms | KB |\n| --- | --- | --- | --- | --- |")

    def report(name: str, viewer: str) -> None:
        figures = _measure(client, pages[name], requests=REQUESTS)
        print(
            f"| {name} ({viewer}) | {figures['queries']} | {figures['median']:.1f} "
            f"| {figures['p95']:.1f} | {figures['bytes'] / 1024:.0f} |"
        )

    for name in pages:
        report(name, "cohort facilitator")
    # A member of the Facilitator role (an admin user) reads through the short form of visible_to.
    client.force_login(seeded["staff"])
    for name in ("Insights, all cohorts", "/facilitate/"):
        report(name, "Facilitator role")

"""The seeded space both space-page benchmarks measure: benchmarks/test_space_bench.py (in-process,
query-counted) and scripts/bench_http.py (`make bench-http`, through gunicorn and wrk).

1,000 top-level reflections, 3,000 replies (1,000 of them to an earlier reply) and 20,000 likes
from 300 members in one prompt, the same on every run (a fixed random seed).
"""

import random
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.utils import timezone

from accounts import roles
from accounts.models import User
from community import services
from community.models import Like, Reflection
from core.markdown import render_markdown
from tests.factories import make_course, make_lesson, make_prompt, make_user

MEMBERS = 300
TOP_LEVEL = 1_000
REPLIES = 3_000
REPLIES_TO_REPLIES = 1_000  # of REPLIES: answer an earlier reply, not the thread's opening post
LIKES = 20_000
SEED = 20261124

SAMPLE_BODIES = [
    "I think it comes down to **trust**: people report mistakes when they aren't punished for it.",
    "On my ward we run a five-minute huddle after each shift.\n\n- what went well\n- what nearly went wrong\n"
    "- what we change tomorrow",
    "> Failure is information.\n\nThat line from the lesson stuck with me. We treat *near misses* as "
    "gifts now — see https://example.com/near-misses for the form we use.",
    "Agreed. The hard part is the manager going first and naming their own mistake out loud.",
    "A question back to the group: how do you keep a blame-free review from becoming a "
    "consequence-free one?\n\n1. Separate the person from the process\n2. Follow up in writing",
    "Short one: psychological safety is a team property, not a personality trait.",
]


def seed_space(*, top_level: int = TOP_LEVEL, replies: int = REPLIES, replies_to_replies: int = REPLIES_TO_REPLIES,
               likes: int = LIKES) -> dict:  # fmt: skip
    """One prompt's space, written with bulk_create; counters then set by resync_counts(). Returns
    the prompt, the signed-in viewer (a learner, email viewer@example.com, password PASSWORD from
    tests.factories) and the number of members. The sizes default to the figures above; the scale
    benchmark (test_space_bench.test_space_page_at_scale) passes larger ones."""
    TOP_LEVEL, REPLIES, REPLIES_TO_REPLIES, LIKES = top_level, replies, replies_to_replies, likes  # noqa: N806
    rng = random.Random(SEED)
    bodies = [(body, render_markdown(body)) for body in SAMPLE_BODIES]

    lesson = make_lesson(course=make_course())
    prompt = make_prompt(lesson=lesson)
    viewer = make_user(handle="viewer", display_name="Vera Viewer", email="viewer@example.com")
    User.objects.bulk_create(
        User(
            email=f"bench{i}@example.com",
            handle=f"bench{i}",
            display_name=f"Bench Member {i}",
            password="!unusable",
        )
        for i in range(MEMBERS - 1)
    )
    member_ids = [viewer.pk, *User.objects.filter(handle__startswith="bench").values_list("pk", flat=True)]
    assert len(member_ids) == MEMBERS
    learner = Group.objects.get(name=roles.LEARNER)
    Membership = User.groups.through
    Membership.objects.bulk_create(
        Membership(user_id=pk, group_id=learner.pk) for pk in member_ids if pk != viewer.pk
    )

    def post(**fields) -> Reflection:
        body, html = rng.choice(bodies)
        return Reflection(
            prompt=prompt, author_id=rng.choice(member_ids), body=body, body_html=html, **fields
        )

    top = Reflection.objects.bulk_create((post() for _ in range(TOP_LEVEL)), batch_size=5_000)
    first_replies = Reflection.objects.bulk_create(
        (
            post(parent=thread, thread=thread)
            for thread in (rng.choice(top) for _ in range(REPLIES - REPLIES_TO_REPLIES))
        ),
        batch_size=5_000,
    )
    Reflection.objects.bulk_create(
        (
            post(parent=parent, thread_id=parent.thread_id)
            for parent in (rng.choice(first_replies) for _ in range(REPLIES_TO_REPLIES))
        ),
        batch_size=5_000,
    )
    # auto_now_add stamped everything "now": spread the posts a minute apart in id order, so
    # replies come after their threads and "oldest"/"newest" are distinct orders. Counted from the
    # first id (ids keep growing across the run's other benchmarks), so every post stays in the past
    # and none is "new" to the viewer, whatever ran before.
    start = timezone.now() - timedelta(days=30) - timedelta(minutes=TOP_LEVEL + REPLIES)
    first_id = top[0].pk
    Reflection.objects.filter(prompt=prompt).update(
        created_at=ExpressionWrapper(
            Value(start) + (F("id") - Value(first_id)) * Value(timedelta(minutes=1)),
            output_field=DateTimeField(),
        )
    )

    # Likes: unique per (member, post), never on one's own post; top-level posts draw more.
    posts = list(Reflection.objects.filter(prompt=prompt).values_list("pk", "author_id", "thread_id"))
    weights = [3 if thread_id is None else 1 for _, _, thread_id in posts]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < LIKES:
        for pk, author_id, _ in rng.choices(posts, weights=weights, k=LIKES - len(pairs)):
            member = rng.choice(member_ids)
            if member != author_id:
                pairs.add((pk, member))
    Like.objects.bulk_create(
        (Like(reflection_id=pk, user_id=member) for pk, member in pairs), batch_size=5_000
    )

    services.resync_counts()
    return {"prompt": prompt, "viewer": viewer, "members": len(member_ids)}

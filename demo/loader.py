"""Demo community spaces for ``manage.py load_demo`` (which calls ``load`` inside its transaction).

Idempotent: extra learners are matched by email or handle and created only when missing; a space
whose lesson already has a prompt with the demo title is skipped entirely, so nothing is ever
duplicated or edited. Posts and likes go through ``community.services`` so every counter stays exact;
only their timestamps are moved into the recent past afterwards, so the spaces look lived in.
"""

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone

from community import demo_content, services
from community.models import Like, Prompt, Reflection
from lessons.demo_content import DEMO_PASSWORD
from lessons.models import Lesson
from moderation import services as moderation

# Gaps between the posts of a thread, in minutes: replies follow within a few hours.
REPLY_GAPS = [48, 135, 95, 170]


def load(stdout) -> None:
    now = timezone.now()
    created = {"learners": 0, "prompts": 0, "reflections": 0, "likes": 0}
    skipped: list[str] = []
    _load_learners(created, now)
    for space in demo_content.DEMO_SPACES:
        note = _load_space(space, created, now)
        if note:
            skipped.append(note)
    summary = ", ".join(f"{count} {name}" for name, count in created.items())
    line = f"Community demo: created {summary}"
    if skipped:
        line += f" (skipped {'; '.join(skipped)})"
    stdout.write(line + ".")


def _load_learners(created: dict, now: datetime) -> None:
    User = get_user_model()
    learner_group = Group.objects.get(name="Learner")
    for index, data in enumerate(demo_content.DEMO_LEARNERS):
        email = data["email"].lower()
        user = User.objects.filter(Q(email__iexact=email) | Q(handle__iexact=data["handle"])).first()
        if user is None:
            user = User.objects.create_user(
                email,
                data["handle"],
                DEMO_PASSWORD,
                display_name=data["display_name"],
                bio=data["bio"],
                time_zone=data["time_zone"],
                date_joined=now - timedelta(days=24 - index, hours=3 * index),
            )
            user.groups.add(learner_group)
            created["learners"] += 1
        # allauth (mandatory verification) needs a verified primary address; add one only if none.
        if not EmailAddress.objects.filter(user=user).exists():
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _load_space(space: dict, created: dict, now: datetime) -> str | None:
    """Create one lesson's prompt, reflections and likes. Returns a note when it is skipped."""
    data = space["prompt"]
    lesson = Lesson.objects.filter(course__slug=space["course"], slug=space["lesson"]).first()
    if lesson is None:
        return f"{space['lesson']}: lesson not found"
    if Prompt.objects.filter(lesson=lesson, title=data["title"]).exists():
        return f"{space['lesson']}: prompt already there"

    User = get_user_model()
    handles = {data["author"]}
    for thread in space["threads"]:
        handles.add(thread["author"])
        handles.update(reply["author"] for reply in thread.get("replies", []))
    for _, likers in space["likes"]:
        handles.update(likers)
    handles.update(report[1] for report in space.get("reports", []))
    users = {user.handle: user for user in User.objects.filter(handle__in=handles)}
    if data["author"] not in users:
        return f"{space['lesson']}: facilitator @{data['author']} not found"

    # Threads start on days spread between first_day and last_day ago, in working hours (local time).
    first_day, last_day = space["days_ago"]
    start = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)
    start -= timedelta(days=first_day)
    prompt = services.create_prompt(
        lesson=lesson,
        author=users[data["author"]],
        title=data["title"],
        body=data["body"],
        is_pinned=True,
        independent_reflection=data["independent_reflection"],
    )
    Prompt.objects.filter(pk=prompt.pk).update(created_at=start - timedelta(minutes=50), updated_at=start)
    created["prompts"] += 1

    posts: dict[str, Reflection] = {}
    posted_at: dict[str, datetime] = {}
    threads = space["threads"]
    span = first_day - last_day + 1
    for index, thread in enumerate(threads):
        author = users.get(thread["author"])
        if author is None:
            continue
        day = index * span // max(len(threads), 1)
        when = start + timedelta(days=day, hours=(index * 3) % 8, minutes=(index * 37) % 60 + 7)
        root = services.create_reflection(prompt=prompt, author=author, body=thread["body"])
        _backdate(root, when, posts, posted_at, thread["key"], created)
        for number, reply in enumerate(thread.get("replies", [])):
            author = users.get(reply["author"])
            parent = posts.get(reply.get("reply_to", thread["key"]))
            if author is None or parent is None:
                continue
            when += timedelta(minutes=REPLY_GAPS[number % len(REPLY_GAPS)] + index * 7)
            post = services.create_reflection(prompt=prompt, author=author, body=reply["body"], parent=parent)
            _backdate(post, when, posts, posted_at, reply["key"], created)

    for key, likers in space["likes"]:
        post = posts.get(key)
        if post is None:
            continue
        for number, handle in enumerate(likers):
            user = users.get(handle)
            if user is None or user.pk == post.author_id:  # nobody likes their own post
                continue
            like = services.like_reflection(reflection=post, user=user)
            liked_at = min(posted_at[key] + timedelta(minutes=40 + 73 * number), now)
            Like.objects.filter(pk=like.pk).update(created_at=liked_at)
            created["likes"] += 1

    for key, handle, reason, note in space.get("reports", []):
        post, reporter = posts.get(key), users.get(handle)
        if post is not None and reporter is not None and reporter.pk != post.author_id:
            moderation.report_reflection(reflection=post, reporter=reporter, reason=reason, note=note)
    return None


def _backdate(
    post: Reflection, when: datetime, posts: dict, posted_at: dict, key: str, created: dict
) -> None:
    Reflection.objects.filter(pk=post.pk).update(created_at=when)
    posts[key] = post
    posted_at[key] = when
    created["reflections"] += 1

"""Loads the demo (``manage.py load_demo``): courses and lessons, members, then the community spaces.

Idempotent: courses and lessons are matched by slug (or lesson number), members by email or
handle, and only missing rows are created; a space whose lesson already has a prompt with the demo
title is skipped entirely. Existing rows are never updated, so edits made in the admin survive a
re-run. Every write goes through the apps' services, as the site's own do (courses with their
cohorts, lessons with their rendered Markdown, members with their roles, prompts, posts, likes,
reports, visits), so every counter stays exact; a space's times are then moved into the recent
past by one more (``community.services.backdate_space``), so the spaces look lived in (and a
facilitator's insights have days to show, people who have not reflected, and reflections nobody
has answered).

This app sits above every other one (it may import them all); nothing imports it.
"""

from collections import Counter
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts import roles
from accounts import services as accounts
from accounts.models import User
from community import services
from community.models import Prompt, Reflection
from demo.courses import DEMO_COURSES
from demo.members import DEMO_ACCOUNTS, DEMO_LEARNERS, DEMO_PASSWORD
from demo.spaces import DEMO_SPACES
from lessons import services as lessons
from lessons.models import Course, Lesson
from moderation import services as moderation

# Gaps between the posts of a thread, in minutes: replies follow within a few hours.
REPLY_GAPS = [48, 135, 95, 170]


def load() -> tuple[Counter, list[str]]:
    """Create whatever of the demo is missing. Returns what was created, by kind, and a note for
    each space that was skipped. The caller runs it in one transaction."""
    now = timezone.now()
    created: Counter = Counter(
        {
            "courses": 0,
            "lessons": 0,
            "accounts": 0,
            "email addresses": 0,
            "prompts": 0,
            "reflections": 0,
            "likes": 0,
            "cohorts": 0,
            "enrolments": 0,
            "visits": 0,
        }
    )
    for course in DEMO_COURSES:
        _load_course(course, created)
    load_members(created, now)
    for course in DEMO_COURSES:
        _load_cohorts(course, created)
    skipped = [note for space in DEMO_SPACES if (note := _load_space(space, created, now))]
    return created, skipped


# --- Courses and lessons ------------------------------------------------------------------------


def _load_course(data: dict, created: Counter) -> None:
    course = Course.objects.filter(slug=data["slug"]).first()
    if course is None:
        # With its demo cohorts (or, without any, its default one).
        cohorts = [(item["name"], date.fromisoformat(item["starts_on"])) for item in data.get("cohorts", [])]
        course = lessons.create_course(
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            published=data["published"],
            position=data["position"],
            joining=data.get("joining", Course.Joining.OPEN),
            language=data.get("language", settings.LANGUAGE_CODE),
            time_zone=data.get("time_zone", settings.TIME_ZONE),
            cohorts=cohorts,
        )
        created["courses"] += 1
        created["cohorts"] += len(cohorts)
    for lesson in data["lessons"]:
        # Match on slug or number: both are unique within a course, and a facilitator may have
        # renamed or renumbered a demo lesson since it was loaded.
        if course.lessons.filter(Q(slug=lesson["slug"]) | Q(number=lesson["number"])).exists():
            continue
        lessons.create_lesson(  # renders body_html from the Markdown body
            course=course,
            number=lesson["number"],
            title=lesson["title"],
            slug=lesson["slug"],
            summary=lesson["summary"],
            body=lesson["body"],
            published=data["published"],
            position=lesson["number"],
        )
        created["lessons"] += 1


# --- Cohorts and enrolment ----------------------------------------------------------------------


def _load_cohorts(data: dict, created: Counter) -> None:
    """The course's demo cohorts (or its default one), the facilitator account facilitating each,
    and every demo learner enrolled: alternately in each cohort, in the order they are listed."""
    course = Course.objects.get(slug=data["slug"])
    cohorts = []
    for item in data.get("cohorts", []):
        cohort = course.cohorts.filter(name=item["name"]).first()
        if cohort is None:  # removed since the course was loaded
            cohort = lessons.create_cohort(
                course=course, name=item["name"], starts_on=date.fromisoformat(item["starts_on"])
            )
            created["cohorts"] += 1
        cohorts.append(cohort)
    if not cohorts:  # a course without demo cohorts (the draft) has its default one, no learners
        lessons.ensure_default_cohort(course=course)
        return
    emails = [account["email"] for account in DEMO_ACCOUNTS if account["group"] == roles.FACILITATOR]
    facilitators = list(User.objects.filter(email__in=emails))
    for cohort in cohorts:
        lessons.add_facilitators(cohort=cohort, users=facilitators)
    learners = [a for a in DEMO_ACCOUNTS if a["group"] == roles.LEARNER] + DEMO_LEARNERS
    for index, data_member in enumerate(learners):
        member = User.objects.filter(handle__iexact=data_member["handle"]).first()
        if member is not None:
            created["enrolments"] += lessons.enrol(user=member, cohort=cohorts[index % len(cohorts)])[1]


# --- Members ------------------------------------------------------------------------------------


def load_members(created: Counter, now: datetime) -> None:
    """Every demo member, all sharing DEMO_PASSWORD: the sign-in accounts (one per role, joining
    now) and the other learners of the demo conversations (joined over the last few weeks)."""
    members = [(data, data["group"], data["is_staff"], now) for data in DEMO_ACCOUNTS]
    members += [
        (data, roles.LEARNER, False, now - timedelta(days=24 - index, hours=3 * index))
        for index, data in enumerate(DEMO_LEARNERS)
    ]
    for data, group, is_staff, joined in members:
        email = data["email"].lower()
        user = User.objects.filter(Q(email__iexact=email) | Q(handle__iexact=data["handle"])).first()
        if user is None:
            user = accounts.create_member(
                email=email,
                handle=data["handle"],
                password=DEMO_PASSWORD,
                display_name=data["display_name"],
                roles=[group],
                bio=data["bio"],
                time_zone=data["time_zone"],
                language=data.get("language", ""),
                is_staff=is_staff,
                date_joined=joined,
            )
            created["accounts"] += 1
        # allauth (mandatory verification) needs a verified primary address to let the account in;
        # an existing account's addresses are left alone.
        created["email addresses"] += accounts.ensure_verified_email(user=user)[1]


# --- Community spaces ---------------------------------------------------------------------------


def _load_space(space: dict, created: Counter, now: datetime) -> str | None:
    """Create one lesson's prompt, reflections, likes and reports. Returns a note when skipped."""
    data = space["prompt"]
    lesson = Lesson.objects.filter(course__slug=space["course"], slug=space["lesson"]).first()
    if lesson is None:
        return f"{space['lesson']}: lesson not found"
    if Prompt.objects.filter(lesson=lesson, title=data["title"]).exists():
        return f"{space['lesson']}: prompt already there"

    handles = {data["author"]}
    for thread in space["threads"]:
        handles.add(thread["author"])
        handles.update(reply["author"] for reply in thread.get("replies", []))
    for _, likers in space["likes"]:
        handles.update(likers)
    handles.update(report[1] for report in space.get("reports", []))
    handles.update(handle for handle, _ in space.get("visits", []))
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
        scaffold=data.get("scaffold", ""),
        suggested_words=data.get("suggested_words"),
        anonymous_posting=data.get("anonymous_posting", "off"),
    )
    created["prompts"] += 1

    posts: dict[str, Reflection] = {}
    posted_at: dict[str, datetime] = {}
    threads = space["threads"]
    spread = [thread["key"] for thread in threads if "days_ago" not in thread]
    span = first_day - last_day + 1
    for index, thread in enumerate(threads):
        author = users.get(thread["author"])
        if author is None:
            continue
        if "days_ago" in thread:
            day = first_day - thread["days_ago"]
        else:
            day = spread.index(thread["key"]) * span // max(len(spread), 1)
        when = start + timedelta(days=day, hours=(index * 3) % 8, minutes=(index * 37) % 60 + 7)
        root = services.create_reflection(
            prompt=prompt, author=author, body=thread["body"], content_note=thread.get("content_note", ""),
            anonymous=thread.get("anonymous", False),
        )  # fmt: skip
        _posted(root, when, posts, posted_at, thread["key"], created)
        for number, reply in enumerate(thread.get("replies", [])):
            author = users.get(reply["author"])
            parent = posts.get(reply.get("reply_to", thread["key"]))
            if author is None or parent is None:
                continue
            when += timedelta(minutes=REPLY_GAPS[number % len(REPLY_GAPS)] + index * 7)
            post = services.create_reflection(prompt=prompt, author=author, body=reply["body"], parent=parent)
            _posted(post, when, posts, posted_at, reply["key"], created)

    # When each member last opened the space: just after their last post or like there.
    last_seen: dict[int, datetime] = {}
    liked_at: dict[int, datetime] = {}
    for key, post in posts.items():
        last_seen[post.author_id] = max(last_seen.get(post.author_id, posted_at[key]), posted_at[key])
    for key, likers in space["likes"]:
        post = posts.get(key)
        if post is None:
            continue
        for number, handle in enumerate(likers):
            user = users.get(handle)
            if user is None or user.pk == post.author_id:  # nobody likes their own post
                continue
            like = services.like_reflection(reflection=post, user=user)
            liked_at[like.pk] = at = min(posted_at[key] + timedelta(minutes=40 + 73 * number), now)
            last_seen[user.pk] = max(last_seen.get(user.pk, at), at)
            created["likes"] += 1
    for handle, days_ago in space.get("visits", []):  # a later look, or the only one
        if handle in users:
            seen = now - timedelta(days=days_ago)
            last_seen[users[handle].pk] = max(last_seen.get(users[handle].pk, seen), seen)
    visited_at: dict[int, datetime] = {}
    for user in users.values():
        if user.pk in last_seen:
            services.record_visit(user=user, prompt=prompt)
            visited_at[user.pk] = min(last_seen[user.pk] + timedelta(minutes=6), now)
            created["visits"] += 1
    services.backdate_space(
        prompt=prompt,
        created_at=start - timedelta(minutes=50),
        updated_at=start,
        posted_at={post.pk: posted_at[key] for key, post in posts.items()},
        liked_at=liked_at,
        visited_at=visited_at,
    )

    for key, handle, reason, note in space.get("reports", []):
        post, reporter = posts.get(key), users.get(handle)
        if post is not None and reporter is not None and reporter.pk != post.author_id:
            moderation.report_reflection(reflection=post, reporter=reporter, reason=reason, note=note)
    return None


def _posted(
    post: Reflection, when: datetime, posts: dict, posted_at: dict, key: str, created: Counter
) -> None:
    """Note a new post and when it is to look posted (``backdate_space``)."""
    posts[key] = post
    posted_at[key] = when
    created["reflections"] += 1

"""Plain factory functions: sensible defaults, keyword overrides."""

import itertools

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User
from lessons.models import Course, Lesson

_sequence = itertools.count(1)
PASSWORD = "a-long-test-password-42"


def make_user(*, role: str = roles.LEARNER, verified: bool = True, **fields) -> User:
    n = next(_sequence)
    fields.setdefault("email", f"member{n}@example.com")
    fields.setdefault("handle", f"member{n}")
    fields.setdefault("display_name", f"Member {n}")
    if role == roles.FACILITATOR:
        fields.setdefault("is_staff", True)
    password = fields.pop("password", PASSWORD)
    user = User.objects.create_user(password=password, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def make_course(**fields) -> Course:
    n = next(_sequence)
    fields.setdefault("title", f"Course {n}")
    fields.setdefault("slug", f"course-{n}")
    fields.setdefault("published", True)
    from lessons.services import create_course

    return create_course(**fields)


def make_lesson(*, course: Course | None = None, **fields) -> Lesson:
    n = next(_sequence)
    course = course or make_course()
    fields.setdefault("number", n)
    fields.setdefault("title", f"Lesson title {n}")
    fields.setdefault("slug", f"lesson-{n}")
    fields.setdefault("body", "Some *lesson* text.")
    fields.setdefault("published", True)
    from lessons.services import create_lesson

    return create_lesson(course=course, **fields)  # the Markdown rendered there, as in the admin


def make_prompt(*, lesson: Lesson | None = None, author: User | None = None, **fields):
    from community.services import create_prompt

    fields.setdefault("title", "What lets a workplace learn from its mistakes?")
    fields.setdefault("body", "Welcome. Think of a time when…")
    author = author or make_user(role=roles.FACILITATOR)
    return create_prompt(lesson=lesson or make_lesson(), author=author, **fields)


def make_reflection(
    *,
    prompt=None,
    author: User | None = None,
    parent=None,
    body: str = "A thought.",
    replies: int = 0,
    likes: int = 0,
):
    """A reflection (or reply, with ``parent``), optionally with replies and likes from new members."""
    from community.services import create_reflection, like_reflection

    prompt = prompt or (parent.prompt if parent else make_prompt())
    reflection = create_reflection(prompt=prompt, author=author or make_user(), body=body, parent=parent)
    for _ in range(replies):
        create_reflection(prompt=prompt, author=make_user(), body="A reply.", parent=reflection)
    for _ in range(likes):
        like_reflection(reflection=reflection, user=make_user())
    reflection.refresh_from_db()
    return reflection


def enrol(*users, course: Course, cohort=None):
    """Enrol each of ``users`` in ``course`` (its current cohort unless ``cohort`` is given)."""
    from lessons.services import enrol as enrol_member
    from lessons.services import ensure_default_cohort

    cohort = cohort or ensure_default_cohort(course=course)
    for user in users:
        enrol_member(user=user, cohort=cohort)
    return cohort

"""A hand-built course for the insight tests. Two cohorts:

- Spring: ada (reflection R1, 3 days old, 4 words, liked by ben and cy; answered by ben),
  ben (only a reply, 2 words, liked nobody's reply; likes R1), dee (nothing; visited 1 day ago).
- Autumn: cy (reflection R2, 3 days old, answered only by herself; likes R1),
  eve (reflection R3, a minute old: too recent to be unheard).
- fay facilitates Spring (a learner-role member) and is enrolled: not a learner of the course.
- A hidden reflection by dee's colleague gus (Spring) does not count for anyone but moderators.

Hand-computed: roster 6 (ada, ben, dee, gus, cy, eve), reflected 3 (ada, cy, eve) → 50 %;
Spring: roster 4, reflected 1 → 25 %; Autumn: roster 2, reflected 2 → 100 %.
Unheard: R2 only (R1 answered by ben, R3 too recent).
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from community.models import Reflection
from community.services import like_reflection, record_visit
from moderation.services import hide_reflection
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user


@dataclass
class World:
    course: object
    prompt: object
    spring: object
    autumn: object
    users: dict
    posts: dict


def _age(post, **delta) -> None:
    Reflection.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(**delta))


@pytest.fixture
def world(db) -> World:
    course = make_course()
    spring = course.cohorts.get()
    spring.name = "Spring"
    spring.save()
    autumn = course.cohorts.create(name="Autumn")
    users = {
        name: make_user(handle=name, display_name=name.capitalize())
        for name in ("ada", "ben", "dee", "gus", "cy", "eve", "fay")
    }
    users["facilitator"] = make_user(role=roles.FACILITATOR, handle="facil", display_name="Facil")
    users["moderator"] = make_user(role=roles.MODERATOR, handle="moder", display_name="Moder")
    users["outsider"] = make_user(handle="outsider")
    enrol(users["ada"], users["ben"], users["dee"], users["gus"], users["fay"], course=course, cohort=spring)
    enrol(users["cy"], users["eve"], course=course, cohort=autumn)
    spring.facilitators.add(users["fay"])
    prompt = make_prompt(lesson=make_lesson(course=course), author=users["facilitator"])
    r1 = make_reflection(prompt=prompt, author=users["ada"], body="Mistakes teach us *everything*.")
    reply = make_reflection(parent=r1, author=users["ben"], body="So true!")
    like_reflection(reflection=r1, user=users["ben"])
    like_reflection(reflection=r1, user=users["cy"])
    r2 = make_reflection(prompt=prompt, author=users["cy"], body="Nobody answers me.")
    own_reply = make_reflection(parent=r2, author=users["cy"], body="Still here.")
    r3 = make_reflection(prompt=prompt, author=users["eve"], body="Just arrived.")
    hidden = make_reflection(prompt=prompt, author=users["gus"], body="Hidden words.")
    hide_reflection(reflection=hidden, moderator=users["moderator"], reason="Off topic")
    for post, days in ((r1, 3), (reply, 2), (r2, 3), (own_reply, 2), (hidden, 3)):
        _age(post, days=days)
    _age(r3, minutes=1)
    record_visit(user=users["dee"], prompt=prompt)
    from community.models import ActivityVisit

    ActivityVisit.objects.filter(user=users["dee"]).update(visited_at=timezone.now() - timedelta(days=1))
    return World(course, prompt, spring, autumn, users,
                 {"r1": r1, "reply": reply, "r2": r2, "r3": r3, "hidden": hidden})  # fmt: skip

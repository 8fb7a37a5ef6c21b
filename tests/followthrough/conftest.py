"""A small course for follow-through: two cohorts whose learners see their own cohort.

Spring: ada (the author), ben (a colleague); Autumn: cy. fay facilitates Spring (a learner-role
member); facil is a facilitator; mo a moderator."""

from dataclasses import dataclass

import pytest

from accounts import roles
from lessons.models import Course
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_user


@dataclass
class World:
    course: object
    prompt: object
    users: dict


@pytest.fixture
def world(db) -> World:
    course = make_course(learners_see=Course.LearnersSee.COHORT)
    spring = course.cohorts.get()
    autumn = course.cohorts.create(name="Autumn")
    users = {
        name: make_user(handle=name, display_name=name.capitalize(), email=f"{name}@example.com")
        for name in ("ada", "ben", "cy", "fay", "dee")
    }
    users["facil"] = make_user(role=roles.FACILITATOR, handle="facil", display_name="Facil")
    users["mo"] = make_user(role=roles.MODERATOR, handle="mo", display_name="Mo")
    users["outsider"] = make_user(handle="outsider", display_name="Outsider")
    enrol(users["ada"], users["ben"], users["fay"], users["dee"], course=course, cohort=spring)
    enrol(users["cy"], course=course, cohort=autumn)
    spring.facilitators.add(users["fay"])
    prompt = make_prompt(lesson=make_lesson(course=course), author=users["facil"], scaffold="rolfe")
    return World(course=course, prompt=prompt, users=users)

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from facilitation import services
from tests.factories import make_lesson, make_prompt, make_user


def seen(*users):
    """Members who signed in recently: the ones offers go to."""
    for user in users:
        type(user).objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(hours=1))
    return users


@pytest.fixture
def lead(db):
    return make_user(role=roles.FACILITATOR, handle="lead", display_name="Lena Facil")


@pytest.fixture
def heard_prompt(lead):
    """An activity with "Every reflection gets a response" on (a 48-hour window)."""
    lesson = make_lesson()
    lesson.course.cohorts.first().facilitators.add(lead)
    prompt = make_prompt(lesson=lesson, author=lead)
    services.set_heard(prompt=prompt, enabled=True, window_hours=48)
    return prompt

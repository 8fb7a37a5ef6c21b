import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from community.models import Like, Prompt, Reflection
from community.services import resync_counts
from lessons.models import Course, Lesson
from moderation.models import Flag

pytestmark = pytest.mark.django_db


def counts() -> dict:
    models = (Course, Lesson, User, Prompt, Reflection, Like, Flag)
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_is_idempotent_and_counters_are_exact():
    out = io.StringIO()
    call_command("load_demo", force=True, stdout=out)
    first = counts()
    assert first["Lesson"] >= 6 and first["Prompt"] == 2 and first["Reflection"] >= 10 and first["Flag"] == 1
    assert "facilitator@example.com" in out.getvalue()
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert counts() == first
    before = list(Reflection.objects.order_by("pk").values_list("like_count", "reply_count"))
    posts_before = list(User.objects.order_by("pk").values_list("post_count", flat=True))
    resync_counts()
    assert list(Reflection.objects.order_by("pk").values_list("like_count", "reply_count")) == before
    assert list(User.objects.order_by("pk").values_list("post_count", flat=True)) == posts_before


def test_demo_lesson_6_and_5_settings():
    call_command("load_demo", force=True, stdout=io.StringIO())
    lesson6 = Lesson.objects.get(slug="take-responsibility-for-mistakes", number=6)
    assert not lesson6.prompts.get().independent_reflection
    assert Lesson.objects.get(number=5, course=lesson6.course).prompts.get().independent_reflection


def test_load_demo_refuses_without_debug():
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())

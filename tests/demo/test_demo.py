import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from community.models import Like, Prompt, Reflection
from community.services import resync_counts
from demo.members import DEMO_ACCOUNTS, DEMO_LEARNERS, DEMO_PASSWORD
from lessons.models import Cohort, Course, Enrolment, Lesson
from moderation.models import Flag

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def counts() -> dict:
    models = (Course, Lesson, User, Prompt, Reflection, Like, Flag, Cohort, Enrolment)
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_is_idempotent_and_counters_are_exact():
    out = io.StringIO()
    call_command("load_demo", force=True, stdout=out)
    first = counts()
    assert first["Lesson"] >= 6 and first["Prompt"] == 3 and first["Reflection"] >= 10 and first["Flag"] == 1
    assert "facilitator@example.com" in out.getvalue()
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert counts() == first
    before = list(Reflection.objects.order_by("pk").values_list("like_count", "reply_count"))
    posts_before = list(User.objects.order_by("pk").values_list("post_count", flat=True))
    resync_counts()
    assert list(Reflection.objects.order_by("pk").values_list("like_count", "reply_count")) == before
    assert list(User.objects.order_by("pk").values_list("post_count", flat=True)) == posts_before


def test_the_demo_course_is_open_with_two_cohorts_and_its_learners_enrolled():
    call_command("load_demo", force=True, stdout=io.StringIO())
    course = Course.objects.get(slug="professional-courage-and-influence")
    assert course.is_open
    assert set(course.cohorts.values_list("name", flat=True)) == {"Spring 2026", "Autumn 2026"}
    learners = {a["handle"] for a in DEMO_ACCOUNTS if a["group"] == "Learner"} | {
        a["handle"] for a in DEMO_LEARNERS
    }
    enrolled = Enrolment.objects.filter(course=course)
    assert set(enrolled.values_list("user__handle", flat=True)) == learners
    assert set(enrolled.values_list("cohort__name", flat=True)) == {"Spring 2026", "Autumn 2026"}
    facilitator = User.objects.get(email="facilitator@example.com")
    assert set(facilitator.facilitated_cohorts.values_list("name", flat=True)) == {
        "Spring 2026",
        "Autumn 2026",
    }


def test_demo_lesson_6_and_5_settings():
    call_command("load_demo", force=True, stdout=io.StringIO())
    lesson6 = Lesson.objects.get(slug="take-responsibility-for-mistakes", number=6)
    assert not lesson6.prompts.get().independent_reflection
    assert Lesson.objects.get(number=5, course=lesson6.course).prompts.get().independent_reflection


def test_demo_lesson_4_is_written_in_gibbs_reflective_cycle():
    call_command("load_demo", force=True, stdout=io.StringIO())
    prompt = Lesson.objects.get(slug="disagreeing-well").prompts.get()
    assert (prompt.scaffold, prompt.suggested_words) == ("gibbs", 150)
    post = prompt.reflections.get(thread__isnull=True)
    assert "<h2>Description</h2>" in post.body_html and "<h2>Action plan</h2>" in post.body_html


def test_load_demo_refuses_without_debug():
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())


def test_every_demo_member_can_sign_in_and_the_table_lists_the_readme_accounts(client):
    out = io.StringIO()
    call_command("load_demo", force=True, stdout=out)
    table = out.getvalue().split("Demo sign-in details", 1)[1]
    for role, email in [
        ("Facilitator", "facilitator@example.com"),
        ("Learner", "learner@example.com"),
        ("Learner", "learner2@example.com"),
        ("Moderator", "moderator@example.com"),
    ]:
        assert f"{role.ljust(11)}  {email.ljust(23)}  {DEMO_PASSWORD}" in table
    members = User.objects.filter(email__in=[m["email"] for m in DEMO_ACCOUNTS + DEMO_LEARNERS])
    assert members.count() == len(DEMO_ACCOUNTS) + len(DEMO_LEARNERS) == 10
    for member in members:
        assert member.emailaddress_set.filter(verified=True, primary=True).exists()
        assert member.groups.count() == 1
    assert client.login(email="kwame@example.com", password=DEMO_PASSWORD)
    assert User.objects.get(email="facilitator@example.com").is_staff

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import User
from community.models import ActivityVisit, Like, Prompt, Reflection
from community.services import backdate_space, resync_counts
from demo.members import DEMO_ACCOUNTS, DEMO_LEARNERS, DEMO_PASSWORD
from lessons.models import Cohort, Course, Enrolment, Lesson
from lessons.services import render_lesson
from moderation.models import Flag
from tests.service_writes import writes_outside_services

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def counts() -> dict:
    models = (Course, Lesson, User, Prompt, Reflection, Like, Flag, Cohort, Enrolment, ActivityVisit)
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_is_idempotent_and_counters_are_exact():
    out = io.StringIO()
    call_command("load_demo", force=True, stdout=out)
    first = counts()
    assert first["Lesson"] >= 6 and first["Prompt"] == 7 and first["Reflection"] >= 10 and first["Flag"] == 1
    assert "facilitator@example.com" in out.getvalue()
    visits = list(ActivityVisit.objects.order_by("pk").values_list("user_id", "prompt_id", "visited_at"))
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert counts() == first
    assert (
        list(ActivityVisit.objects.order_by("pk").values_list("user_id", "prompt_id", "visited_at")) == visits
    )
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
    assert set(facilitator.facilitated_cohorts.filter(course=course).values_list("name", flat=True)) == {
        "Spring 2026",
        "Autumn 2026",
    }


def test_the_demo_has_a_short_course_in_spanish_whose_search_stems_spanish():
    from accounts.models import User as Member
    from search.services import search

    call_command("load_demo", force=True, stdout=io.StringIO())
    course = Course.objects.get(slug="aprender-de-los-errores-en-equipo")
    assert (course.language, course.time_zone, course.is_open) == ("es", "Europe/Madrid", True)
    reader = Member.objects.get(handle="lucia_r")
    hits = search(user=reader, text="reflexionar").hits  # the prompt's "reflexionamos", Nadia's "reflexionar"
    assert {hit.kind for hit in hits} >= {"activity", "reflection"}


def test_demo_lesson_6_and_5_settings():
    call_command("load_demo", force=True, stdout=io.StringIO())
    lesson6 = Lesson.objects.get(slug="take-responsibility-for-mistakes", number=6)
    assert not lesson6.prompts.get().independent_reflection
    assert Lesson.objects.get(number=5, course=lesson6.course).prompts.get().independent_reflection


def test_demo_lesson_4_is_written_in_gibbs_reflective_cycle():
    call_command("load_demo", force=True, stdout=io.StringIO())
    prompt = Lesson.objects.get(slug="disagreeing-well").prompts.get()
    assert (prompt.scaffold, prompt.suggested_words) == ("gibbs", 150)
    post = prompt.reflections.get(thread__isnull=True, body__startswith="## Description")
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
    assert members.count() == len(DEMO_ACCOUNTS) + len(DEMO_LEARNERS) == 15
    for member in members:
        assert member.emailaddress_set.filter(verified=True, primary=True).exists()
        assert member.groups.count() == 1
    assert client.login(email="kwame@example.com", password=DEMO_PASSWORD)
    assert User.objects.get(email="facilitator@example.com").is_staff


# --- Issue 11: a facilitator runs two cohorts; learners see their progress ----------------------

MAIN_ACTIVITY = "What lets a workplace learn from its mistakes?"
README = Path(__file__).resolve().parents[2] / "README.md"


def test_each_cohort_has_a_facilitator_whose_sign_in_the_readme_lists():
    call_command("load_demo", force=True, stdout=io.StringIO())
    readme = README.read_text()
    sign_ins = {a["email"] for a in DEMO_ACCOUNTS}
    cohorts = Cohort.objects.filter(course__slug="professional-courage-and-influence")
    assert cohorts.count() == 2
    for cohort in cohorts:
        emails = set(cohort.facilitators.values_list("email", flat=True)) & sign_ins
        assert emails, f"{cohort.name} has no facilitator with a demo sign-in"
        assert all(f"`{email}`" in readme for email in emails)


def test_in_the_main_activity_each_cohort_has_learners_yet_to_reflect_some_who_looked_some_never():
    call_command("load_demo", force=True, stdout=io.StringIO())
    prompt = Prompt.objects.get(title=MAIN_ACTIVITY)
    reflected = Reflection.objects.counted().filter(prompt=prompt, author_id=OuterRef("user_id"))
    visit = ActivityVisit.objects.filter(prompt=prompt, user_id=OuterRef("user_id"))
    waiting = (
        Enrolment.objects.filter(course=prompt.lesson.course)
        .exclude(Exists(reflected))
        .annotate(visited=Exists(visit))
    )
    for cohort in prompt.lesson.course.cohorts.all():
        in_cohort = waiting.filter(cohort=cohort)
        assert in_cohort.count() >= 2, cohort.name
        assert in_cohort.filter(visited=True).exists() and in_cohort.filter(visited=False).exists(), (
            cohort.name
        )
    lookers = ActivityVisit.objects.filter(prompt=prompt, user__in=waiting.values("user_id"))
    assert len({visit.visited_at.date() for visit in lookers}) >= 3  # at different times


def test_some_reflections_are_unheard_after_48_hours_others_answered_over_many_days():
    call_command("load_demo", force=True, stdout=io.StringIO())
    prompt = Prompt.objects.get(title=MAIN_ACTIVITY)
    answered = Reflection.objects.filter(thread_id=OuterRef("pk")).exclude(author_id=OuterRef("author_id"))
    threads = Reflection.objects.counted().filter(prompt=prompt).annotate(answered=Exists(answered))
    old = threads.filter(created_at__lt=timezone.now() - timedelta(hours=48))
    unheard = old.filter(answered=False)
    assert unheard.count() >= 2
    assert unheard.filter(reply_count__gt=0).exists()  # its author added a reply: still unheard
    assert threads.filter(answered=True).count() >= 3
    days = {created.date() for created in Reflection.objects.values_list("created_at", flat=True)}
    assert len(days) >= 10


def test_demo_learners_see_their_progress_on_the_course_page(client):
    call_command("load_demo", force=True, stdout=io.StringIO())
    course = Course.objects.get(slug="professional-courage-and-influence")
    for email, figures in [("learner@example.com", "3 of 6"), ("learner2@example.com", "4 of 6")]:
        client.force_login(User.objects.get(email=email))
        html = client.get(course.get_absolute_url()).text
        assert f"{figures} lessons reflected" in html, email
        assert html.count("✓</span> Reflected") == int(figures[0])


# --- Every write through the apps' services ----------------------------------------------------------


def test_the_demo_writes_through_the_services_only():
    with writes_outside_services() as outside:
        call_command("load_demo", force=True, stdout=io.StringIO())
    assert outside == []
    assert Reflection.objects.exists()


def test_the_check_sees_a_write_outside_the_services():
    call_command("load_demo", force=True, stdout=io.StringIO())
    with writes_outside_services() as outside:
        Prompt.objects.filter(title=MAIN_ACTIVITY).update(is_pinned=False)
    assert len(outside) == 1 and outside[0].startswith('UPDATE "community_prompt"')


def test_the_demo_lessons_are_rendered_through_the_one_pipeline():
    call_command("load_demo", force=True, stdout=io.StringIO())
    for lesson in Lesson.objects.all():
        assert lesson.body_html == render_lesson(lesson.body) != ""


def test_the_draft_course_has_its_default_cohort_and_the_demo_course_none():
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert list(Cohort.objects.filter(course__published=False).values_list("name", flat=True)) == [
        Cohort.DEFAULT_NAME
    ]
    assert not Cohort.objects.filter(course__published=True, name=Cohort.DEFAULT_NAME).exists()


def test_backdating_a_space_moves_only_its_own_times():
    call_command("load_demo", force=True, stdout=io.StringIO())
    prompt = Prompt.objects.get(title=MAIN_ACTIVITY)
    other = Reflection.objects.exclude(prompt=prompt).first()
    post = prompt.reflections.first()
    like = Like.objects.filter(reflection__prompt=prompt).first()
    visit = ActivityVisit.objects.filter(prompt=prompt).first()
    before = other.created_at
    when = timezone.now() - timedelta(days=40)
    backdate_space(
        prompt=prompt,
        created_at=when,
        posted_at={post.pk: when, other.pk: when},  # not this space's: left alone
        liked_at={like.pk: when},
        visited_at={visit.user_id: when},
    )
    prompt.refresh_from_db()
    assert prompt.created_at == prompt.updated_at == when
    assert Reflection.objects.get(pk=post.pk).created_at == when
    assert Like.objects.get(pk=like.pk).created_at == when
    assert ActivityVisit.objects.get(pk=visit.pk).visited_at == when
    assert Reflection.objects.get(pk=other.pk).created_at == before


def test_demo_notices_carry_the_times_of_the_demo_posts_not_the_load_time(committed, jobs):
    """The demo's posts and likes are backdated (``backdate_space``); the notices the worker writes
    about them say when they happened, not when the demo was loaded."""
    from notifications.kinds import Kind
    from notifications.models import Notification

    loaded = timezone.now()
    with committed():
        call_command("load_demo", force=True, stdout=io.StringIO())
    jobs.run()
    about_posts = Notification.objects.filter(
        kind__in=[Kind.REPLY, Kind.MENTION, Kind.THREAD_REPLY, Kind.NEW_REFLECTION]
    ).select_related("reflection")
    assert about_posts.count() >= 10
    for notice in about_posts:
        assert notice.created_at == notice.updated_at == notice.reflection.created_at
        assert notice.created_at < loaded - timedelta(hours=1)
    likes = Notification.objects.filter(kind=Kind.LIKES)
    assert likes.exists() and all(notice.updated_at < loaded - timedelta(hours=1) for notice in likes)

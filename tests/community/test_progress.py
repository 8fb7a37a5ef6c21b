"""``{% reflection_progress course %}``: which lessons a learner has reflected on, out of how many,
on the course page ("3 of 6 lessons reflected", a "Reflected" mark per lesson) and the lesson page."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from community.services import create_prompt, create_reflection, delete_reflection
from community.templatetags.community import ReflectionProgress, reflection_progress_for
from lessons.models import Course, Enrolment
from moderation.services import hide_reflection
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user, other_user, facilitator, moderator) -> SimpleNamespace:
    """A course of eight lessons as ``user`` (a learner) sees it:

    1. reflected (under independent reflection): counts;
    2. the reflection deleted, a placeholder kept by a colleague's reply: does not count;
    3. only a reply to a colleague: does not count;
    4. the reflection hidden by a moderator: does not count;
    5. two activities, reflected on the second: counts;
    6. no activity: not one of the lessons to reflect on;
    7. an unpublished lesson the learner had reflected on: not counted at all;
    8. only a colleague's reflection: to do.
    And another course where the learner reflected: not this course's progress."""
    course = make_course(title="Courage at work")
    lessons = [
        make_lesson(course=course, number=n, position=n, title=f"Lesson {n} of the course")
        for n in range(1, 9)
    ]
    by = {"author": facilitator}
    make_reflection(prompt=make_prompt(lesson=lessons[0], independent_reflection=True, **by), author=user)

    deleted = make_reflection(prompt=make_prompt(lesson=lessons[1], **by), author=user)
    make_reflection(parent=deleted, author=other_user)
    assert delete_reflection(reflection=deleted) is not None  # a placeholder: someone replied

    colleague = make_reflection(prompt=make_prompt(lesson=lessons[2], **by), author=other_user)
    make_reflection(parent=colleague, author=user)

    hidden = make_reflection(prompt=make_prompt(lesson=lessons[3], **by), author=user)
    hide_reflection(reflection=hidden, moderator=moderator, reason="Names a colleague.")

    make_prompt(lesson=lessons[4], title="First activity", **by)
    make_reflection(prompt=make_prompt(lesson=lessons[4], title="Second activity", **by), author=user)

    make_reflection(prompt=make_prompt(lesson=lessons[6], **by), author=user)
    lessons[6].published = False
    lessons[6].save()

    make_reflection(prompt=make_prompt(lesson=lessons[7], **by), author=other_user)

    elsewhere = make_lesson(course=make_course(title="Another course"))
    make_reflection(prompt=make_prompt(lesson=elsewhere, **by), author=user)
    return SimpleNamespace(course=course, lessons=lessons, elsewhere=elsewhere.course)


# --- The figures ---------------------------------------------------------------------------------


def test_a_learner_has_reflected_on_two_of_six_lessons(world, user):
    progress = reflection_progress_for(user, world.course)
    assert progress == ReflectionProgress(
        reflected=frozenset({world.lessons[0].pk, world.lessons[4].pk}), total=6
    )
    assert progress.done == 2


def test_the_other_course_counts_only_its_own_lessons(world, user):
    assert reflection_progress_for(user, world.elsewhere) == ReflectionProgress(
        reflected=frozenset(world.elsewhere.lessons.values_list("pk", flat=True)), total=1
    )


def test_a_colleagues_progress_is_their_own(world, other_user):
    progress = reflection_progress_for(other_user, world.course)
    assert progress.reflected == {world.lessons[2].pk, world.lessons[7].pk} and progress.total == 6


def test_a_new_reflection_is_counted_at_once(world, user):
    create_reflection(prompt=world.lessons[7].prompts.get(), author=user, body="Mine, at last.")
    assert reflection_progress_for(user, world.course).done == 3


def test_a_private_reflection_counts_for_its_author(world, user):
    """Private reflections are their author's alone; they still reflected on the lesson."""
    post = create_reflection(prompt=world.lessons[7].prompts.get(), author=user, body="Just for me.")
    type(post).objects.filter(pk=post.pk).update(is_private=True)
    assert world.lessons[7].pk in reflection_progress_for(user, world.course).reflected


def test_own_cohort_courses_count_the_learners_own_reflections(world, user):
    Course.objects.filter(pk=world.course.pk).update(learners_see=Course.LearnersSee.COHORT)
    world.course.refresh_from_db()
    assert reflection_progress_for(user, world.course).done == 2


@pytest.mark.parametrize("who", ["anonymous", "facilitator", "moderator", "staff", "cohort facilitator"])
def test_no_progress_for_those_who_do_not_take_the_course_as_learners(world, who, facilitator, moderator):
    viewer = {
        "anonymous": AnonymousUser(),
        "facilitator": facilitator,  # enrolled too, by the test fixture: still leads, no progress
        "moderator": moderator,
        "staff": make_user(is_staff=True, is_superuser=True),
        "cohort facilitator": make_user(),
    }[who]
    if who == "cohort facilitator":
        world.course.cohorts.get().facilitators.add(viewer)
        assert Enrolment.objects.filter(user=viewer, course=world.course).exists()
    assert reflection_progress_for(viewer, world.course) is None


@pytest.mark.enrolment
def test_no_progress_for_a_member_not_enrolled(db):
    course = make_course()
    prompt = make_prompt(lesson=make_lesson(course=course))
    member = make_user()
    assert reflection_progress_for(member, course) is None
    enrol(member, course=course)
    assert reflection_progress_for(member, course) == ReflectionProgress(reflected=frozenset(), total=1)
    create_reflection(prompt=prompt, author=member, body="Now I take part.")
    assert reflection_progress_for(member, course).done == 1


def test_no_progress_in_a_course_without_activities(user):
    course = make_course()
    make_lesson(course=course)
    assert reflection_progress_for(user, course) is None


def test_an_activity_added_later_to_an_empty_lesson_joins_the_total(world, user, facilitator):
    create_prompt(lesson=world.lessons[5], author=facilitator, title="Now with an activity", body="Go.")
    assert reflection_progress_for(user, world.course).total == 7


# --- The pages -----------------------------------------------------------------------------------


def lesson_items(html: str) -> list[str]:
    listing = html[html.index('<ol class="lesson-list">') : html.index("</ol>", html.index("lesson-list"))]
    return re.findall(r"<li>.*?</li>", listing, flags=re.S)


def test_course_page_shows_progress_and_marks_reflected_lessons(auth_client, world):
    html = auth_client.get(world.course.get_absolute_url()).text
    assert '<label for="reflection-progress">2 of 6 lessons reflected</label>' in html
    assert '<progress id="reflection-progress" max="6" value="2">2 of 6</progress>' in html
    items = lesson_items(html)
    assert len(items) == 7  # the unpublished lesson is not listed
    marked = ['<span aria-hidden="true">✓</span> Reflected</span>' in item for item in items]
    assert marked == [True, False, False, False, True, False, False]


def test_course_page_shows_no_progress_to_visitors_or_facilitators(client, world, facilitator):
    html = client.get(world.course.get_absolute_url()).text
    assert "reflection-progress" not in html and "Reflected" not in html
    client.force_login(facilitator)
    html = client.get(world.course.get_absolute_url()).text
    assert "reflection-progress" not in html and "Reflected" not in html


def test_one_lesson_is_singular(auth_client, user):
    course = make_course()
    make_prompt(lesson=make_lesson(course=course))
    assert "0 of 1 lesson reflected</label>" in auth_client.get(course.get_absolute_url()).text


def test_lesson_page_marks_this_lesson_and_its_neighbours(auth_client, world):
    html = auth_client.get(world.lessons[0].get_absolute_url()).text
    assert "You have reflected on this lesson." in html
    assert '<label for="reflection-progress">2 of 6 lessons reflected</label>' in html
    nav = html[html.index('<nav class="lesson-nav"') :]
    assert "Reflected</span>" not in nav  # lesson 2: not yet

    nav = auth_client.get(world.lessons[1].get_absolute_url()).text.split('<nav class="lesson-nav"')[1]
    previous, following = nav.split('rel="next"')
    assert "Reflected</span>" in previous and "Reflected</span>" not in following  # 1 yes, 3 no

    html = auth_client.get(world.lessons[3].get_absolute_url()).text
    assert "You have reflected on this lesson." not in html  # hidden by a moderator
    nav = html.split('<nav class="lesson-nav"')[1]
    assert nav.split('rel="next"')[1].count("Reflected</span>") == 1  # lesson 5


def test_lesson_page_shows_no_progress_to_visitors(client, settings, world):
    settings.COMMUNITY_PUBLIC_READING = True
    html = client.get(world.lessons[0].get_absolute_url()).text
    assert "reflection-progress" not in html and "You have reflected" not in html


@pytest.mark.parametrize("lessons", [3, 12])
def test_course_page_runs_the_same_queries_however_many_lessons(client, assert_exact_queries, lessons):
    learner = make_user()
    facilitator = make_user(role="Facilitator")
    course = make_course()
    for n in range(1, lessons + 1):
        prompt = make_prompt(lesson=make_lesson(course=course, number=n, position=n), author=facilitator)
        make_reflection(prompt=prompt, author=learner if n % 2 else facilitator)
    client.force_login(learner)
    # member with their roles and suspension (accounts.backends), the course, the enrolment (with its cohort), may
    # they invite, the header's unread notices, the progress, the lessons (with their course: the
    # links need its slug; before progress was added the page ran one query per lesson for it).
    # No session query: the session comes from the cache (cached_db; it was 10 with the db engine).
    with assert_exact_queries(7):
        response = client.get(course.get_absolute_url())
    done = (lessons + 1) // 2
    assert f"{done} of {lessons} lessons reflected" in response.text
    assert response.text.count("✓</span> Reflected") == done

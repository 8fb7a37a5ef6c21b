"""The lessons services: the one Markdown pipeline for lessons, courses with their cohorts, and
deletes that let community remove its rows first (post counts recounted for those concerned only)."""

import pytest

from accounts import roles
from accounts.models import User
from community.models import Prompt
from lessons import services
from lessons.models import Cohort, Course, Enrolment, Lesson
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

UNSAFE = "<script>alert(1)</script> Some **bold** words and [a link](javascript:alert(1))."


def assert_sanitised(html: str) -> None:
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html and 'href="javascript' not in html


# --- Lessons: Markdown rendered in the service, not in save() --------------------------------------


def test_a_new_lesson_is_rendered_through_the_one_pipeline():
    lesson = services.create_lesson(course=make_course(), number=1, title="One", slug="one", body=UNSAFE)
    assert_sanitised(Lesson.objects.get(pk=lesson.pk).body_html)


def test_changing_a_lesson_renders_it_again():
    lesson = make_lesson(body="*one*")
    assert lesson.body_html == "<p><em>one</em></p>"
    lesson = services.update_lesson(lesson=lesson, body=UNSAFE, title="Renamed")
    stored = Lesson.objects.get(pk=lesson.pk)
    assert stored.title == "Renamed"
    assert_sanitised(stored.body_html)


def test_saving_a_lesson_does_not_render_it_the_service_does():
    lesson = make_lesson(body="*one*")
    lesson.body = "*two*"
    lesson.save()
    assert Lesson.objects.get(pk=lesson.pk).body_html == "<p><em>one</em></p>"
    services.update_lesson(lesson=lesson)  # saving through the service brings the HTML up to date
    assert Lesson.objects.get(pk=lesson.pk).body_html == "<p><em>two</em></p>"


def test_publishing_is_not_a_field_update_lesson_changes():
    lesson = make_lesson(published=False)
    with pytest.raises(ValueError, match="published"):
        services.update_lesson(lesson=lesson, published=True)
    with pytest.raises(ValueError, match="published"):
        services.update_course(course=lesson.course, published=False)


# --- Courses and cohorts ---------------------------------------------------------------------------


@pytest.mark.enrolment  # (without: the test harness gives every new course its default cohort)
def test_a_course_made_with_its_cohorts_has_no_default_one():
    from datetime import date

    course = services.create_course(
        title="Two runs",
        slug="two-runs",
        cohorts=[("Spring", date(2026, 3, 2)), ("Autumn", date(2026, 9, 14))],
    )
    assert sorted(course.cohorts.values_list("name", flat=True)) == ["Autumn", "Spring"]


def test_a_cohort_stays_in_its_course():
    cohort = make_course().cohorts.get()
    with pytest.raises(ValueError, match="course"):
        services.update_cohort(cohort=cohort, course=make_course())
    assert services.update_cohort(cohort=cohort, name="Renamed").name == "Renamed"


@pytest.mark.enrolment
def test_deleting_a_courses_last_cohort_gives_it_its_default_one_again():
    course = make_course()
    cohort = course.cohorts.get()
    autumn = services.create_cohort(course=course, name="Autumn")
    member = make_user()
    enrol(member, course=course, cohort=autumn)
    assert services.delete_cohorts(cohorts=[cohort, autumn]) == 2
    assert list(course.cohorts.values_list("name", flat=True)) == [Cohort.DEFAULT_NAME]
    assert not Enrolment.objects.filter(user=member).exists()


# --- Deleting lessons and courses: community's rows go first, counted --------------------------------


@pytest.fixture
def world(db):
    """``fran`` opened an activity in each of two lessons of one course (one with ``ann``'s post)
    and one in another course; ``dan``'s post count is wrong on purpose (a site-wide recount would
    change it)."""
    fran = make_user(role=roles.FACILITATOR, handle="fran", email="fran@example.com")
    ann, dan = make_user(handle="ann"), make_user(handle="dan")
    course = make_course()
    lessons = [make_lesson(course=course), make_lesson(course=course)]
    prompts = [make_prompt(lesson=lesson, author=fran) for lesson in lessons]
    make_reflection(prompt=prompts[1], author=ann)
    elsewhere = make_prompt(author=fran)
    make_reflection(prompt=elsewhere, author=ann)
    User.objects.filter(pk=dan.pk).update(post_count=99)
    return {
        "fran": fran,
        "ann": ann,
        "dan": dan,
        "course": course,
        "lessons": lessons,
        "elsewhere": elsewhere,
    }


def counts(*members) -> dict[str, int]:
    return dict(User.objects.filter(pk__in=[m.pk for m in members]).values_list("handle", "post_count"))


def test_deleting_a_lesson_deletes_its_activities_through_community(world):
    w = world
    assert services.delete_lessons(lessons=[w["lessons"][1]]) == 1
    assert not Lesson.objects.filter(pk=w["lessons"][1].pk).exists()
    assert Prompt.objects.filter(lesson=w["lessons"][0]).exists()
    assert counts(w["fran"], w["ann"], w["dan"]) == {"fran": 2, "ann": 1, "dan": 99}


def test_deleting_a_course_deletes_its_activities_cohorts_and_enrolments(world):
    w = world
    assert services.delete_courses(courses=[w["course"]]) == 1
    assert not Course.objects.filter(pk=w["course"].pk).exists()
    assert list(Prompt.objects.values_list("pk", flat=True)) == [w["elsewhere"].pk]
    assert not Cohort.objects.filter(course_id=w["course"].pk).exists()
    assert counts(w["fran"], w["ann"], w["dan"]) == {"fran": 1, "ann": 1, "dan": 99}


def test_nothing_to_delete_is_nothing_deleted(world):
    assert services.delete_lessons(lessons=[]) == services.delete_courses(courses=[]) == 0
    assert services.unenrol(enrolments=[]) == services.delete_cohorts(cohorts=[]) == 0

"""Publishing in the admin goes through lessons.services and shows in each object's History."""

from http import HTTPStatus

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.urls import reverse

from lessons.models import Course, Lesson
from lessons.services import set_course_published, set_lesson_published
from tests.factories import make_course, make_lesson

pytestmark = pytest.mark.django_db


def history(obj) -> list[tuple[int, str]]:
    entries = LogEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return [
        (entry.action_flag, entry.get_change_message()) for entry in entries.order_by("action_time", "pk")
    ]


@pytest.fixture
def admin_client(client, facilitator):
    client.force_login(facilitator)
    return client


# --- The services ---------------------------------------------------------------------------------


def test_publishing_a_lesson_records_who_and_what(facilitator):
    lesson = make_lesson(published=False)
    result = set_lesson_published(lesson=lesson, published=True, by=facilitator)
    assert result.published and Lesson.objects.get(pk=lesson.pk).published
    entry = LogEntry.objects.get(object_id=str(lesson.pk))
    assert (entry.user, entry.action_flag, entry.change_message) == (facilitator, CHANGE, "Published")
    set_lesson_published(lesson=lesson, published=False, by=facilitator)
    assert history(lesson) == [(CHANGE, "Published"), (CHANGE, "Unpublished")]


def test_publishing_what_is_already_published_records_nothing(facilitator):
    lesson = make_lesson(published=True)
    set_lesson_published(lesson=lesson, published=True, by=facilitator)
    course = make_course(published=False)
    set_course_published(course=course, published=False, by=facilitator)
    assert not LogEntry.objects.exists()


def test_publishing_a_course(facilitator):
    course = make_course(published=False)
    set_course_published(course=course, published=True, by=facilitator)
    assert Course.objects.get(pk=course.pk).published
    assert history(course) == [(CHANGE, "Published")]


# --- Through the admin ----------------------------------------------------------------------------


@pytest.mark.parametrize("published", [True, False])
def test_the_lesson_actions_go_through_the_service(admin_client, published):
    lessons = [make_lesson(published=not published) for _ in range(2)]
    already = make_lesson(published=published)
    action = "publish_lessons" if published else "unpublish_lessons"
    response = admin_client.post(
        reverse("admin:lessons_lesson_changelist"),
        {"action": action, "_selected_action": [lesson.pk for lesson in [*lessons, already]]},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert f"{'Published' if published else 'Unpublished'} 2 of 3." in response.text
    for lesson in lessons:
        lesson.refresh_from_db()
        assert lesson.published is published
        assert history(lesson) == [(CHANGE, "Published" if published else "Unpublished")]
    assert history(already) == []


def test_the_course_actions_go_through_the_service(admin_client):
    course = make_course(published=False)
    admin_client.post(
        reverse("admin:lessons_course_changelist"),
        {"action": "publish_courses", "_selected_action": [course.pk]},
    )
    course.refresh_from_db()
    assert course.published and history(course) == [(CHANGE, "Published")]


def changelist_row(obj, **fields) -> dict:
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(obj.pk),
        "_save": "Save",
    }
    for name, value in fields.items():
        if value is True:
            data[f"form-0-{name}"] = "on"
        elif value is not False:
            data[f"form-0-{name}"] = str(value)
    return data


def test_ticking_published_in_the_lesson_list_is_recorded_once(admin_client):
    lesson = make_lesson(published=False, position=1)
    response = admin_client.post(
        reverse("admin:lessons_lesson_changelist"), changelist_row(lesson, position=1, published=True)
    )
    assert response.status_code == HTTPStatus.FOUND
    lesson.refresh_from_db()
    assert lesson.published
    assert history(lesson) == [(CHANGE, "Published")]


def test_unticking_published_and_moving_a_course_in_the_list(admin_client):
    course = make_course(published=True, position=1)
    admin_client.post(
        reverse("admin:lessons_course_changelist"), changelist_row(course, position=5, published=False)
    )
    course.refresh_from_db()
    assert (course.published, course.position) == (False, 5)
    assert history(course) == [(CHANGE, "Changed Position."), (CHANGE, "Unpublished")]


def lesson_form(lesson_or_course, **overrides) -> dict:
    data = {
        "number": 7,
        "title": "Speaking up",
        "slug": "speaking-up",
        "summary": "",
        "body": "Some *text*.",
        "position": 7,
    }
    if isinstance(lesson_or_course, Lesson):
        data.update(
            {name: getattr(lesson_or_course, name) for name in data}, course=lesson_or_course.course_id
        )
        data["published"] = lesson_or_course.published
    else:
        data["course"] = lesson_or_course.pk
    data.update(overrides)
    if not data.get("published"):
        data.pop("published", None)
    else:
        data["published"] = "on"
    return data


def test_changing_title_and_published_on_the_lesson_page_reads_in_order(admin_client):
    lesson = make_lesson(published=False)
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    response = admin_client.post(url, lesson_form(lesson, title="A new title", published=True))
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    lesson.refresh_from_db()
    assert lesson.title == "A new title" and lesson.published
    assert history(lesson) == [(CHANGE, "Changed Title."), (CHANGE, "Published")]
    page = admin_client.get(reverse("admin:lessons_lesson_history", args=[lesson.pk])).text
    assert "Changed Title." in page and "Published" in page


def test_unpublishing_alone_on_the_lesson_page_leaves_one_entry(admin_client):
    lesson = make_lesson(published=True)
    admin_client.post(
        reverse("admin:lessons_lesson_change", args=[lesson.pk]), lesson_form(lesson, published=False)
    )
    lesson.refresh_from_db()
    assert not lesson.published
    assert history(lesson) == [(CHANGE, "Unpublished")]


def test_adding_a_published_lesson_is_added_then_published(admin_client):
    course = make_course()
    response = admin_client.post(reverse("admin:lessons_lesson_add"), lesson_form(course, published=True))
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    lesson = Lesson.objects.get(course=course, slug="speaking-up")
    assert lesson.published
    assert history(lesson) == [(ADDITION, "Added."), (CHANGE, "Published")]


def test_adding_a_draft_lesson_records_only_the_addition(admin_client):
    course = make_course()
    admin_client.post(reverse("admin:lessons_lesson_add"), lesson_form(course))
    lesson = Lesson.objects.get(course=course, slug="speaking-up")
    assert not lesson.published and history(lesson) == [(ADDITION, "Added.")]


def test_the_course_page_shows_its_lessons_published_state_read_only(admin_client):
    course = make_course()
    make_lesson(course=course, published=True)
    response = admin_client.get(reverse("admin:lessons_course_change", args=[course.pk]))
    assert response.status_code == HTTPStatus.OK
    assert 'name="lessons-0-published"' not in response.text
    assert 'name="lessons-0-title"' in response.text

"""Every write of the lessons admin goes through lessons.services: publishing (shown in each
object's History), courses with their default cohort, lessons with their Markdown rendered, the
course page's lessons, cohorts, enrolments, and deletes (community's rows first, counted)."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.urls import reverse

from accounts import roles
from accounts.models import User
from community.models import Prompt
from lessons import services
from lessons.models import Cohort, Course, Enrolment, Lesson
from lessons.services import set_course_published, set_lesson_published
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_user
from tests.service_writes import writes_outside_services

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


# --- Every admin write through the lessons services -------------------------------------------------

UNSAFE = "<script>alert(1)</script> Some **bold** words."


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(role="", is_staff=True, is_superuser=True))
    return client


def test_a_lesson_added_and_changed_in_the_admin_is_rendered_and_sanitised(admin_client):
    course = make_course()
    with writes_outside_services() as outside:
        response = admin_client.post(reverse("admin:lessons_lesson_add"), lesson_form(course, body=UNSAFE))
        assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
        lesson = Lesson.objects.get(course=course, slug="speaking-up")
        assert "&lt;script&gt;" in lesson.body_html and "<strong>bold</strong>" in lesson.body_html
        url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
        response = admin_client.post(url, lesson_form(lesson, body="Now *this*. <b>not bold</b>"))
        assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert outside == []
    lesson.refresh_from_db()
    assert lesson.body_html == "<p>Now <em>this</em>. &lt;b&gt;not bold&lt;/b&gt;</p>"
    assert history(lesson) == [(ADDITION, "Added."), (CHANGE, "Changed Body.")]


@pytest.mark.enrolment  # (without: the test harness gives every new course its default cohort)
def test_the_course_admin_creates_the_course_through_the_service_with_its_default_cohort(superuser_client):
    data = {"title": "Admin course", "slug": "admin-course", "summary": "", "position": 0, "published": "on",
            "joining": "open", "learners_see": "course", "language": "en-gb", "time_zone": "Europe/London",
            "lessons-TOTAL_FORMS": 0, "lessons-INITIAL_FORMS": 0}  # fmt: skip
    with (
        writes_outside_services() as outside,
        mock.patch.object(services, "create_course", wraps=services.create_course) as create_course,
    ):
        response = superuser_client.post(reverse("admin:lessons_course_add"), data)
    assert response.status_code == HTTPStatus.FOUND, response.text[:3000]
    assert outside == [] and create_course.call_count == 1
    course = Course.objects.get(slug="admin-course")
    assert list(course.cohorts.values_list("name", flat=True)) == [Cohort.DEFAULT_NAME]
    assert course.published and history(course) == [(ADDITION, "Added."), (CHANGE, "Published")]


def course_page(course, lessons, changes: dict[int, dict] | None = None, **fields) -> dict:
    """The course change form with ``fields`` changed, and ``lessons`` in its inline (``changes``:
    {index: {field: value}})."""
    data = {"title": course.title, "slug": course.slug, "summary": course.summary, "position": course.position,
            "joining": course.joining, "learners_see": course.learners_see, "language": course.language,
            "time_zone": course.time_zone,
            "lessons-TOTAL_FORMS": len(lessons), "lessons-INITIAL_FORMS": len(lessons), **fields}  # fmt: skip
    for index, lesson in enumerate(lessons):
        row = {"id": lesson.pk, "course": course.pk, "position": lesson.position, "number": lesson.number,
               "title": lesson.title, **(changes or {}).get(index, {})}  # fmt: skip
        data.update({f"lessons-{index}-{name}": value for name, value in row.items() if value is not False})
    return data


def test_the_course_page_changes_and_deletes_lessons_through_the_services(superuser_client):
    course = make_course(published=False)
    keep, drop = (
        make_lesson(course=course, number=1, position=1),
        make_lesson(course=course, number=2, position=2),
    )
    author = make_user(role=roles.FACILITATOR)
    make_prompt(lesson=drop, author=author)
    make_prompt(author=author)  # elsewhere
    url = reverse("admin:lessons_course_change", args=[course.pk])
    with writes_outside_services() as outside:
        response = superuser_client.post(
            url,
            course_page(course, [keep, drop], {0: {"title": "First"}, 1: {"DELETE": "on"}}, title="Renamed"),
        )
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert outside == []
    course.refresh_from_db()
    assert course.title == "Renamed"
    assert list(course.lessons.values_list("title", flat=True)) == ["First"]
    assert Lesson.objects.get(pk=keep.pk).body_html == "<p>Some <em>lesson</em> text.</p>"
    assert User.objects.get(pk=author.pk).post_count == 1  # the deleted lesson's activity, counted


def test_the_course_page_adds_no_lessons(superuser_client):
    course = make_course()
    page = superuser_client.get(reverse("admin:lessons_course_change", args=[course.pk])).text
    assert '<input type="hidden" name="lessons-MAX_NUM_FORMS" value="0"' in page


def test_deleting_a_course_in_the_admin_counts_its_activities_authors_exactly(superuser_client):
    course, other = make_course(), make_course()
    author, bystander = make_user(role=roles.FACILITATOR), make_user()
    for lesson in (make_lesson(course=course), make_lesson(course=course)):
        make_prompt(lesson=lesson, author=author)
    kept = make_prompt(lesson=make_lesson(course=other), author=author)
    User.objects.filter(pk=bystander.pk).update(post_count=99)
    with writes_outside_services() as outside:
        response = superuser_client.post(
            reverse("admin:lessons_course_changelist"),
            {"action": "delete_selected", "_selected_action": [course.pk], "post": "yes"},
        )
    assert response.status_code == HTTPStatus.FOUND
    assert outside == []
    assert not Course.objects.filter(pk=course.pk).exists()
    assert list(Prompt.objects.values_list("pk", flat=True)) == [kept.pk]
    assert User.objects.get(pk=author.pk).post_count == 1
    assert User.objects.get(pk=bystander.pk).post_count == 99


def test_deleting_a_lesson_in_the_admin_goes_through_the_service(admin_client, facilitator):
    lesson = make_lesson()
    make_prompt(lesson=lesson, author=facilitator)
    with writes_outside_services() as outside:
        response = admin_client.post(
            reverse("admin:lessons_lesson_delete", args=[lesson.pk]), {"post": "yes"}
        )
    assert response.status_code == HTTPStatus.FOUND
    assert outside == []
    assert not Lesson.objects.filter(pk=lesson.pk).exists() and not Prompt.objects.exists()
    assert User.objects.get(pk=facilitator.pk).post_count == 0


@pytest.mark.enrolment
def test_cohorts_are_added_changed_and_deleted_through_the_services(superuser_client, facilitator):
    course = make_course()
    with writes_outside_services() as outside:
        response = superuser_client.post(
            reverse("admin:lessons_cohort_add"),
            {
                "course": course.pk,
                "name": "Autumn",
                "starts_on": "2026-09-14",
                "facilitators": [facilitator.pk],
            },
        )
        assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
        autumn = Cohort.objects.get(course=course, name="Autumn")
        assert list(autumn.facilitators.all()) == [facilitator]
        url = reverse("admin:lessons_cohort_change", args=[autumn.pk])
        page = superuser_client.get(url).text
        assert 'name="course"' not in page  # a cohort stays in its course
        response = superuser_client.post(url, {"name": "Autumn 2026", "starts_on": "2026-09-14"})
        assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
        autumn.refresh_from_db()
        assert autumn.name == "Autumn 2026" and not autumn.facilitators.exists()
        response = superuser_client.post(
            reverse("admin:lessons_cohort_changelist"),
            {"action": "delete_selected", "_selected_action": list(course.cohorts.values_list("pk", flat=True)),
             "post": "yes"},
        )  # fmt: skip
        assert response.status_code == HTTPStatus.FOUND
    assert outside == []
    assert list(course.cohorts.values_list("name", flat=True)) == [Cohort.DEFAULT_NAME]  # still has one


@pytest.mark.enrolment
def test_an_enrolment_moves_within_its_course_and_is_deleted_through_the_services(superuser_client):
    course, other = make_course(), make_course()
    spring = course.cohorts.get()
    autumn = services.create_cohort(course=course, name="Autumn")
    member = make_user()
    enrol(member, course=course, cohort=spring)
    enrolment = Enrolment.objects.get(user=member)
    url = reverse("admin:lessons_enrolment_change", args=[enrolment.pk])
    choices = superuser_client.get(url).context["adminform"].form.fields["cohort"].queryset
    assert set(choices) == {spring, autumn}  # not another course's cohort
    with (
        writes_outside_services() as outside,
        mock.patch.object(services, "move_to_cohort", wraps=services.move_to_cohort) as move,
    ):
        response = superuser_client.post(url, {"cohort": autumn.pk})
        assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
        assert superuser_client.post(url, {"cohort": other.cohorts.get().pk}).status_code == HTTPStatus.OK
        response = superuser_client.post(
            reverse("admin:lessons_enrolment_delete", args=[enrolment.pk]), {"post": "yes"}
        )
        assert response.status_code == HTTPStatus.FOUND
    assert outside == [] and move.call_count == 1
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()

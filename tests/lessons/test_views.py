from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import make_course, make_lesson

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_courses_only(client):
    make_course(title="Open course")
    make_course(title="Secret draft", published=False)
    response = client.get(reverse("lessons:course-list"))
    assert response.status_code == HTTPStatus.OK
    assert "Open course" in response.text
    assert "Secret draft" not in response.text


def test_staff_see_drafts_in_the_catalogue(client, facilitator):
    make_course(title="Secret draft", published=False)
    client.force_login(facilitator)
    response = client.get(reverse("lessons:course-list"))
    assert "Secret draft" in response.text and "Draft" in response.text


def test_course_page_lists_lessons_in_order(client):
    course = make_course()
    make_lesson(course=course, number=2, position=2, title="Second thing")
    make_lesson(course=course, number=1, position=1, title="First thing")
    make_lesson(course=course, number=3, position=3, title="Hidden thing", published=False)
    response = client.get(course.get_absolute_url())
    text = response.text
    assert text.index("First thing") < text.index("Second thing")
    assert "Hidden thing" not in text


def test_lesson_page_shows_stored_html_and_community_link(client):
    lesson = make_lesson(body="## Heading\n\nSome **bold** words.")
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "<strong>bold</strong>" in response.text
    assert lesson.get_community_url() in response.text
    assert lesson.get_community_url().endswith(
        f"/courses/{lesson.course.slug}/lessons/{lesson.slug}/community/"
    )


@pytest.mark.parametrize("draft", ["course", "lesson"])
def test_drafts_are_404_for_learners_and_anonymous(client, user, draft):
    course = make_course(published=draft != "course")
    lesson = make_lesson(course=course, published=draft != "lesson")
    assert client.get(lesson.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    client.force_login(user)
    assert client.get(lesson.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    if draft == "course":
        assert client.get(course.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_staff_see_draft_lesson_with_banner(client, facilitator):
    lesson = make_lesson(published=False)
    client.force_login(facilitator)
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "Draft — only staff can see this lesson" in response.text


def test_unknown_pages_get_the_friendly_404(client):
    response = client.get("/courses/no-such-course/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "We couldn’t find that page" in response.text


def test_lesson_page_links_to_neighbours(client):
    course = make_course()
    first = make_lesson(course=course, number=1, position=1, title="Alpha")
    second = make_lesson(course=course, number=2, position=2, title="Beta")
    response = client.get(first.get_absolute_url())
    assert second.get_absolute_url() in response.text
    response = client.get(second.get_absolute_url())
    assert first.get_absolute_url() in response.text


def test_the_header_search_box_is_shown_only_to_those_who_may_search(client, user, settings):
    """Search reads the community: an anonymous visitor may search only with public reading on;
    otherwise the box would only send them to sign in."""
    search_box = '<form role="search" action="/search/"'
    settings.COMMUNITY_PUBLIC_READING = False
    assert search_box not in client.get(reverse("lessons:course-list")).text
    settings.COMMUNITY_PUBLIC_READING = True
    assert search_box in client.get(reverse("lessons:course-list")).text
    settings.COMMUNITY_PUBLIC_READING = False
    client.force_login(user)
    assert search_box in client.get(reverse("lessons:course-list")).text

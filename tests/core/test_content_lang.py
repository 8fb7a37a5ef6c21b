"""Course content written in another language than the page's says so (issue 26): the course's
titles, lesson and activity carry ``lang``, so screen readers pronounce them in that language."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_course, make_lesson, make_prompt, make_user

pytestmark = pytest.mark.django_db


def _langs(page: str) -> list[str]:
    return re.findall(r'<(?:h1|h2|a|p|div)[^>]* lang="([^"]+)"', page)


def test_a_spanish_course_is_marked_spanish_on_english_pages_and_not_on_spanish_ones(client):
    course = make_course(title="Aprender de los errores", language="es")
    lesson = make_lesson(course=course, title="Asumir la responsabilidad", body="Lee el *caso*.")
    make_prompt(lesson=lesson, title="¿Qué salió mal?")
    client.force_login(make_user())
    pages = {
        "courses": reverse("lessons:course-list"),
        "course": course.get_absolute_url(),
        "lesson": lesson.get_absolute_url(),
        "space": lesson.get_community_url(),
    }
    for name, url in pages.items():
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
        assert "es" in _langs(english), name
        spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "es" not in _langs(spanish), name  # the page is Spanish already
    space = client.get(lesson.get_community_url(), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert re.search(
        r'<h2 id="prompt-title" class="prompt__title" lang="es" dir="ltr">¿Qué salió mal\?</h2>', space
    )


def test_an_english_course_on_an_arabic_page_reads_left_to_right(client):
    course = make_course(title="Learning from mistakes", language="en-gb")
    lesson = make_lesson(course=course, title="Take responsibility", body="Own it.")
    make_prompt(lesson=lesson, title="What went wrong?", body="Think of a time.")
    client.force_login(make_user())
    lesson_page = client.get(lesson.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in lesson_page
    assert '<h1 lang="en-gb" dir="ltr">Take responsibility</h1>' in lesson_page
    space = client.get(lesson.get_community_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<div class="prose" lang="en-gb" dir="ltr">' in space
    english = client.get(lesson.get_community_url(), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert '<div class="prose" dir="auto">' in english  # same language: the writer's own direction

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
    assert re.search(r'<h2 id="prompt-title" class="prompt__title" lang="es">¿Qué salió mal\?</h2>', space)

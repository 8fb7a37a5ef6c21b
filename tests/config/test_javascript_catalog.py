"""The words reflect.js writes itself come from Django's JavaScript catalogue, one address per
language (issue 26, decision 116)."""

import json

import pytest
from django.urls import reverse

from tests.factories import make_lesson, make_prompt, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "word"), [("es", "Te gusta"), ("ar", "تم الإعجاب"), ("en-gb", "")])
def test_each_language_has_its_catalogue_kept_for_a_day(client, language, word):
    response = client.get(reverse("javascript-catalog", args=[language]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    body = response.content.decode()
    assert "django.ngettext" in body or "ngettext" in body
    if word:
        assert json.dumps(word)[1:-1] in body  # "Liked", translated (escaped as JSON)
    # The page's language does not change the address's: the Spanish file is Spanish for everyone.
    again = client.get(reverse("javascript-catalog", args=[language]), HTTP_ACCEPT_LANGUAGE="ar")
    assert again.content == response.content


def test_an_unknown_language_has_no_catalogue(client):
    assert client.get("/jsi18n/xx.js").status_code == 404


def test_the_composer_loads_the_catalogue_of_the_pages_language(client):
    lesson = make_lesson()
    make_prompt(lesson=lesson)
    client.force_login(make_user(language="ar"))
    page = client.get(lesson.get_community_url()).content.decode()
    assert '<script src="/jsi18n/ar.js?v=' in page
    assert page.index("/jsi18n/ar.js") < page.index("js/reflect.js")  # before the script using it

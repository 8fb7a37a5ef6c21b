from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse

from community.models import Reflection
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tiny_limits(settings):
    cache.clear()
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {"post": "2/h", "reply": "1/h", "like": "2/h", "report": "1/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = settings.RATE_LIMITS
    yield
    cache.clear()


def test_posting_too_fast_answers_429_and_keeps_the_text(auth_client, user):
    prompt = make_prompt()
    url = reverse("community:reflection-create", args=[prompt.pk])
    for n in range(2):
        assert auth_client.post(url, {"body": f"post {n}"}).status_code == HTTPStatus.FOUND
    response = auth_client.post(url, {"body": "My third, carefully written thought"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "My third, carefully written thought" in response.text
    assert "You’re going a little fast" in response.text
    assert Reflection.objects.filter(author=user).count() == 2


def test_the_limit_is_per_member(auth_client, client):
    prompt = make_prompt()
    url = reverse("community:reflection-create", args=[prompt.pk])
    for n in range(3):
        auth_client.post(url, {"body": f"post {n}"})
    client.force_login(make_user())
    assert client.post(url, {"body": "someone else"}).status_code == HTTPStatus.FOUND


def test_replying_too_fast_keeps_the_reply(auth_client):
    post = make_reflection()
    url = reverse("community:reflection-reply", args=[post.pk])
    assert auth_client.post(url, {"reply-body": "first"}).status_code == HTTPStatus.FOUND
    response = auth_client.post(url, {"reply-body": "second reply words"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "second reply words" in response.text


def test_liking_too_fast_gets_the_friendly_page(auth_client):
    post = make_reflection()
    url = reverse("community:reflection-like", args=[post.pk])
    auth_client.post(url)
    auth_client.post(url)
    response = auth_client.post(url)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "a little fast" in response.text
    htmx = auth_client.post(url, HTTP_HX_REQUEST="true")
    assert htmx.status_code == HTTPStatus.TOO_MANY_REQUESTS and htmx.headers["HX-Reswap"] == "none"

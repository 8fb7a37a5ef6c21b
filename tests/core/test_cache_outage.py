"""The cache (Redis) is down: with ``REDIS_URL`` set, an unreachable cache answers every call as a
miss instead of an error (core.cache.FailOpenRedisCache), so members still sign in, sign up, reset a
password, post, reply, like and report (rate limits fail open, the outage is logged), and
``/healthz`` reports the cache while staying 200."""

import logging
from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import User
from community.models import Reflection
from moderation.models import Flag
from tests.config.test_site import _settings_in_subprocess
from tests.factories import PASSWORD, make_prompt, make_reflection, make_user

DEAD_REDIS = "redis://127.0.0.1:1"  # nothing listens on port 1


DEAD_CACHE = {
    "default": {
        "BACKEND": "core.cache.FailOpenRedisCache",
        "LOCATION": DEAD_REDIS,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
DEAD_CACHE["ratelimits"] = DEAD_CACHE["default"]  # the counters' own Redis is down too


def test_with_redis_url_the_cache_fails_open():
    """Production settings with a Redis nobody answers: a write is dropped, a read is a miss, ``add``
    reports the key as added (so a rate limit's first hit is allowed), and nothing raises."""
    out = _settings_in_subprocess(
        "from django.core.cache import cache; cache.set('k', 1); print(cache.get('k', 'miss'), cache.add('a', 1))",
        REDIS_URL=DEAD_REDIS,
    )
    assert out.split()[-2:] == ["miss", "True"]


@pytest.fixture
def dead_cache(settings):
    from core import cache as fail_open

    fail_open._down_until.clear()  # each test meets the outage afresh (and logs it)
    settings.CACHES = DEAD_CACHE
    settings.RATELIMIT_ENABLE = True
    yield
    fail_open._down_until.clear()


@pytest.mark.django_db
def test_sign_in_works_while_the_cache_is_down(client, dead_cache, caplog):
    user = make_user()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_sign_up_and_password_reset_work_while_the_cache_is_down(client, dead_cache):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Nia Brooks",
            "email": "nia@example.com",
            "username": "nia_b",
            "password1": "a-strong-passphrase-77",
            "password2": "a-strong-passphrase-77",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.filter(email="nia@example.com").exists()
    response = client.post(reverse("account_reset_password"), {"email": "nia@example.com"})
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.django_db
def test_posting_replying_liking_and_reporting_work_while_the_cache_is_down(client, dead_cache, caplog):
    prompt = make_prompt()
    other = make_reflection(prompt=prompt)
    member = make_user()
    client.force_login(member)
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        posted = client.post(
            reverse("community:reflection-create", args=[prompt.pk]), {"body": "Still here."}
        )
    assert posted.status_code == HTTPStatus.FOUND
    assert Reflection.objects.filter(author=member, body="Still here.").exists()
    assert "Cache unavailable" in caplog.text  # the outage is logged, not hidden

    reply = client.post(reverse("community:reflection-reply", args=[other.pk]), {"reply-body": "A reply."})
    assert reply.status_code == HTTPStatus.FOUND
    assert client.post(reverse("community:reflection-like", args=[other.pk])).status_code == HTTPStatus.FOUND
    report = client.post(reverse("moderation:report", args=[other.pk]), {"reason": "spam", "note": ""})
    assert report.status_code == HTTPStatus.FOUND
    assert Flag.objects.filter(reflection=other, reporter=member).exists()


@pytest.mark.django_db
def test_healthz_reports_the_cache_and_stays_200_when_only_the_cache_is_down(client, dead_cache):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}

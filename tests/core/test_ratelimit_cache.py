"""Issue 21, item 23: security counters (allauth's sign-in lockout and rate limits, django-ratelimit's
counters behind core/ratelimits.py) live in their own cache alias, so a flood of the default cache
(fragments, kept pages; evicted under allkeys-lru) cannot lift a lockout or reset a limit."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.ratelimits import is_rate_limited
from tests.core.test_ratelimits import _check_deploy
from tests.factories import PASSWORD, make_user

TOO_MANY = "Too many failed login attempts"


def flood_the_default_cache():
    """What an eviction storm amounts to for whatever was in the default cache: it is gone."""
    cache = caches["default"]
    cache.set_many({f"post:flood:{n}": "x" * 100 for n in range(500)})
    cache.clear()


def test_counters_have_their_own_alias():
    assert settings.RATELIMIT_USE_CACHE == "ratelimits"
    assert caches["ratelimits"] is not caches["default"]
    from allauth.core.internal import ratelimit as allauth_ratelimit

    allauth_ratelimit.cache.set("probe", 1)
    assert caches["ratelimits"].get("probe") == 1 and caches["default"].get("probe") is None


@pytest.mark.django_db
def test_a_sign_in_lockout_survives_a_flood_of_the_default_cache(client, settings):
    settings.RATELIMIT_ENABLE = True
    user = make_user()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong guess"})
    flood_the_default_cache()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_rate_limit_survives_a_flood_of_the_default_cache(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "like": "3/h"}
    request = RequestFactory().post("/")
    request.user = SimpleNamespace(
        pk=4242, is_authenticated=True, date_joined=timezone.now() - timezone.timedelta(days=9)
    )
    assert [is_rate_limited(request, "like") for _ in range(3)] == [False] * 3
    flood_the_default_cache()
    assert is_rate_limited(request, "like") is True


def test_check_deploy_warns_when_the_counters_share_the_cache_redis():
    result = _check_deploy(REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode != 0
    assert "core.W002" in result.stdout + result.stderr

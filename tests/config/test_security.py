"""Security headers, open redirects, and the rate limits of issue 4 ("Limits and abuse")."""

import subprocess
import sys
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.utils import timezone

from core.ratelimits import is_rate_limited, too_fast
from tests.config.test_site import PROJECT_DIR, _production_env
from tests.factories import PASSWORD

EVIL_NEXTS = ["https://evil.example/", "//evil.example", "/\\evil.example", "https:evil.example"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters (ours and allauth's) live in the cache.
    cache.clear()
    yield
    cache.clear()


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


# --- Headers ---


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_htmx_is_configured_for_the_policy(client):
    import json
    import re

    html = client.get("/").content.decode()
    config = json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', html).group(1))
    assert config["includeIndicatorStyles"] is False and config["allowEval"] is False
    assert {"code": "429", "swap": True, "error": False} in config["responseHandling"]


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_turns_on_secure_cookies_hsts_and_the_policy():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, "
        "'csp.middleware.CSPMiddleware' in s.MIDDLEWARE, s.SECURE_REFERRER_POLICY, s.RATELIMIT_ENABLE)"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
            f"django.setup(); {code}",
        ],
        cwd=PROJECT_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "same-origin", "True"], (
        result.stderr
    )


# --- Open redirects: allauth checks `next`; prove it ---


def _assert_local(url: str) -> None:
    assert "evil.example" not in url, url
    parts = urlsplit(url)
    assert not parts.scheme and not parts.netloc, url
    assert url.startswith("/") and not url.startswith(("//", "/\\")), url


@pytest.mark.django_db
@pytest.mark.parametrize("evil", EVIL_NEXTS)
@pytest.mark.parametrize("where", ["query", "form"])
def test_login_never_redirects_off_site(client, user, evil, where):
    data = {"login": user.email, "password": PASSWORD}
    url = "/accounts/login/"
    if where == "query":
        url += "?" + f"next={evil}"
    else:
        data["next"] = evil
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.content[:500]
    assert "_auth_user_id" in client.session  # the login itself worked
    _assert_local(response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("evil", EVIL_NEXTS)
def test_logout_never_redirects_off_site(client, user, evil):
    client.force_login(user)
    response = client.post("/accounts/logout/", {"next": evil})
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session
    _assert_local(response["Location"])


@pytest.mark.django_db
def test_login_still_follows_a_local_next(client, user):
    response = client.post("/accounts/login/?next=/u/amara/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/u/amara/"


# --- Rate limits (community/ratelimits.py) ---

TINY = {"post": "2/h", "reply": "2/h", "like": "2/h", "report": "2/h"}
TINY_NEW = {"post": "1/h", "reply": "1/h", "like": "1/h", "report": "1/h"}


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _old(user):
    user.date_joined = timezone.now() - timedelta(days=2)
    user.save(update_fields=["date_joined"])
    return user


@pytest.mark.django_db
@override_settings(RATE_LIMITS=TINY, NEW_ACCOUNT_RATE_LIMITS=TINY_NEW)
def test_the_call_over_the_rate_is_limited(user):
    request = _request(_old(user))
    assert [is_rate_limited(request, "post") for _ in range(3)] == [False, False, True]


@pytest.mark.django_db
@override_settings(RATE_LIMITS=TINY, NEW_ACCOUNT_RATE_LIMITS=TINY_NEW)
def test_limits_are_per_member_and_per_action(user, other_user):
    request = _request(_old(user))
    for _ in range(3):
        is_rate_limited(request, "post")
    assert is_rate_limited(request, "post")
    assert not is_rate_limited(request, "like")
    assert not is_rate_limited(request, "reply")
    assert not is_rate_limited(_request(_old(other_user)), "post")


@pytest.mark.django_db
@override_settings(RATE_LIMITS=TINY, NEW_ACCOUNT_RATE_LIMITS=TINY_NEW)
def test_new_accounts_get_the_stricter_rate(user, other_user):
    assert timezone.now() - user.date_joined < timedelta(minutes=1)  # joined just now
    new = _request(user)
    assert [is_rate_limited(new, "reply") for _ in range(2)] == [False, True]
    old = _request(_old(other_user))
    assert [is_rate_limited(old, "reply") for _ in range(3)] == [False, False, True]


@pytest.mark.django_db
@override_settings(RATE_LIMITS=TINY, NEW_ACCOUNT_RATE_LIMITS=TINY_NEW)
def test_signed_out_callers_are_counted_by_address_at_the_new_account_rate():
    request = _request(AnonymousUser())
    assert [is_rate_limited(request, "report") for _ in range(2)] == [False, True]


@pytest.mark.django_db
@override_settings(RATE_LIMITS=TINY, NEW_ACCOUNT_RATE_LIMITS=TINY_NEW, RATELIMIT_ENABLE=False)
def test_the_switch_turns_limits_off(user):
    request = _request(user)
    assert not any(is_rate_limited(request, "post") for _ in range(5))


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown rate-limited action"):
        is_rate_limited(_request(AnonymousUser()), "shout")


def test_default_rates_are_generous_for_members_and_stricter_for_new_accounts(settings):
    assert set(settings.RATE_LIMITS) == set(settings.NEW_ACCOUNT_RATE_LIMITS)
    assert {"post", "reply", "like", "report", "preview", "search", "nudge", "draft", "export"} <= set(
        settings.RATE_LIMITS
    )
    for action, rate in settings.RATE_LIMITS.items():
        normal, new = int(rate.split("/")[0]), int(settings.NEW_ACCOUNT_RATE_LIMITS[action].split("/")[0])
        assert normal > new > 0, action


def test_rates_come_from_the_environment():
    env = _production_env(RATE_LIMIT_POST="7/h", NEW_ACCOUNT_RATE_LIMIT_LIKE="3/m")
    code = "from django.conf import settings as s; print(s.RATE_LIMITS['post'], s.NEW_ACCOUNT_RATE_LIMITS['like'])"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); {code}",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["7/h", "3/m"], result.stderr


@pytest.mark.django_db
def test_too_fast_is_a_friendly_429(rf, user):
    request = rf.get("/")
    request.user = user
    response = too_fast(request)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "You’re going a little fast" in response.content.decode()


@pytest.mark.django_db
def test_signup_is_limited_per_address_with_our_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "5/h/ip"}  # the ceiling, small
    statuses = [client.post("/accounts/signup/", {}).status_code for _ in range(6)]
    assert HTTPStatus.TOO_MANY_REQUESTS not in statuses[:5]
    assert statuses[5] == HTTPStatus.TOO_MANY_REQUESTS
    response = client.post("/accounts/signup/", {})
    assert "You’re going a little fast" in response.content.decode()
    assert "Content-Security-Policy" in response

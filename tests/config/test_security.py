"""Security headers (the content security policy, Permissions-Policy and the rest), production's
secure defaults, and logins and logouts that never redirect off site."""

import subprocess
import sys
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

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


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/healthz", "/no-such-page/", "/accounts/login/"])
def test_every_response_refuses_camera_microphone_and_location(client, url):
    response = client.get(url)
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


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

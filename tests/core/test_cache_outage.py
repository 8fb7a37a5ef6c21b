"""Hardening: the site keeps working, or fails politely, when Redis, PostgreSQL or the mail server
is down; NUL characters; the per-process rate-limit warning; headers."""

import logging
import os
import socket
import subprocess
import sys
import uuid
from http import HTTPStatus

import pytest
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.urls import reverse

from accounts import roles
from accounts.models import Suspension, User
from community.models import Reflection
from moderation.models import Flag
from tests.config.test_site import PROJECT_DIR, _production_env
from tests.factories import PASSWORD, make_prompt, make_reflection, make_user

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

DEAD_REDIS = "redis://127.0.0.1:1"  # nothing listens on port 1
DEAD_CACHE = {
    "default": {
        "BACKEND": "core.cache.FailOpenRedisCache",
        "LOCATION": DEAD_REDIS,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def _settings_in_subprocess(code: str, **env) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
            f"django.setup(); {code}",
        ],
        cwd=PROJECT_DIR,
        env=_production_env(**env),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# --- 1. The cache (Redis) is down ------------------------------------------------------------------


def test_with_redis_url_the_cache_fails_open():
    backend = _settings_in_subprocess(
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])", REDIS_URL=DEAD_REDIS
    )
    assert backend == "core.cache.FailOpenRedisCache"


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


@pytest.mark.django_db
def test_healthz_reports_a_working_cache(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


# --- 5. Rate limits per process, and shared through Redis ----------------------------------------


def _check_deploy(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=_production_env(**env),
        capture_output=True,
        text=True,
    )


def test_check_deploy_warns_that_limits_are_per_process_without_redis():
    result = _check_deploy()
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "core.W001" in output and "REDIS_URL" in output


def test_check_deploy_is_clean_with_redis():
    result = _check_deploy(REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "core.W001" not in result.stdout + result.stderr


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


COUNT_LIKES = """
from types import SimpleNamespace
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone
settings.CACHES['default']['KEY_PREFIX'] = os.environ['TEST_KEY_PREFIX']
from core.ratelimits import is_rate_limited
request = RequestFactory().post('/')
request.user = SimpleNamespace(pk=7, is_authenticated=True, date_joined=timezone.now() - timezone.timedelta(days=9))
print(' '.join(str(is_rate_limited(request, 'like')) for _ in range(3)))
"""


def test_two_processes_share_one_limit_through_redis():
    if not _redis_reachable():
        if IN_CI:
            pytest.fail("Redis is not reachable on 127.0.0.1:6379 (CI must start it)")
        pytest.skip("Redis is not reachable on 127.0.0.1:6379: cannot show limits shared between processes")
    env = {
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATE_LIMIT_LIKE": "4/h",
        "TEST_KEY_PREFIX": uuid.uuid4().hex,
    }
    first = _settings_in_subprocess(COUNT_LIKES, **env)
    second = _settings_in_subprocess(COUNT_LIKES, **env)
    # Limit 4: the first process counts 1-3, the second 4 (allowed), 5 and 6 (limited).
    assert first.split() == ["False", "False", "False"]
    assert second.split() == ["False", "True", "True"]


# --- 2. The database is down ----------------------------------------------------------------------


def _fail_inserts_into(table: str):
    def wrapper(execute, sql, params, many, context):
        if sql.startswith(f'INSERT INTO "{table}"'):
            raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
        return execute(sql, params, many, context)

    return wrapper


def _fail_every_query(error=OperationalError):
    def wrapper(execute, sql, params, many, context):
        raise error("server closed the connection unexpectedly")

    return wrapper


TYPED = "My words about <b>mistakes</b> & “blame”.\n\nSecond paragraph </textarea><script>alert(1)</script>"


@pytest.mark.django_db
def test_a_post_during_a_database_outage_gets_503_with_the_text_back(client, user):
    prompt = make_prompt()
    client.force_login(user)
    url = reverse("community:reflection-create", args=[prompt.pk])
    key = str(uuid.uuid4())
    with connection.execute_wrapper(_fail_inserts_into("community_reflection")):
        response = client.post(url, {"body": TYPED, "submission_key": key})
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Nothing you wrote is lost" in html
    # Escaped, inside a textarea, and sent again with the same key (a second post stays harmless).
    assert "My words about &lt;b&gt;mistakes&lt;/b&gt; &amp; “blame”." in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html and "<script>" not in html
    assert f'name="submission_key" value="{key}"' in html
    assert f'action="{url}"' in html
    assert not Reflection.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_full_outage_answers_503_without_touching_the_database(client, user, error):
    """Every query fails, from the session lookup on: the page is rendered from nothing."""
    prompt = make_prompt()
    client.force_login(user)
    client.raise_request_exception = False  # the error is raised in a middleware, before any view
    url = reverse("community:reflection-create", args=[prompt.pk])
    with connection.execute_wrapper(_fail_every_query(error)):
        posted = client.post(url, {"body": "Words typed during the outage", "password": "hunter2-secret"})
        page = client.get(reverse("lessons:course-list"))
    assert posted.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert posted["Retry-After"] == "30"
    html = posted.content.decode()
    assert "Words typed during the outage" in html
    assert "hunter2-secret" not in html
    assert page.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "Nothing you wrote is lost" not in page.content.decode()  # nothing typed on a GET


@pytest.mark.django_db
def test_a_database_outage_never_echoes_passwords_or_the_csrf_token(rf):
    from core.middleware import database_unavailable_response

    request = rf.post(
        "/accounts/signup/",
        {
            "csrfmiddlewaretoken": "TOKEN-VALUE",
            "password1": "secret-one",
            "password2": "secret-two",
            "email": "nia@example.com",
            "display_name": "Nia Brooks",
            "reply-body": "A reply",
            "reason": "Because",
            "note": "A note",
        },
    )
    html = database_unavailable_response(request).content.decode()
    assert "secret-one" not in html and "secret-two" not in html and "TOKEN-VALUE" not in html
    for typed in ("Nia Brooks", "A reply", "Because", "A note"):
        assert f"\n{typed}</textarea>" in html


@pytest.mark.django_db
def test_other_errors_still_get_the_500_page(client, user):
    client.raise_request_exception = False
    client.force_login(user)

    def boom(execute, sql, params, many, context):
        raise ValueError("not a database outage")

    with connection.execute_wrapper(boom):
        response = client.get("/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong on our side" in response.content.decode()


# --- 3. The mail server is down -------------------------------------------------------------------


@pytest.fixture
def dead_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2


@pytest.mark.django_db
def test_a_moderators_hide_succeeds_when_mail_fails_and_the_notice_waits(client, dead_smtp, committed, jobs):
    post = make_reflection()
    client.force_login(make_user(role=roles.MODERATOR))
    with committed():
        response = client.post(reverse("moderation:hide", args=[post.pk]), {"reason": "Off topic"})
    assert response.status_code == HTTPStatus.FOUND
    post.refresh_from_db()
    assert post.is_hidden
    assert "notifications.send_immediate_email" in jobs.names()  # the worker sends it, with retries


def test_email_file_path_comes_from_the_environment(tmp_path):
    path = _settings_in_subprocess(
        "from django.conf import settings as s; print(s.EMAIL_FILE_PATH)", EMAIL_FILE_PATH=str(tmp_path)
    )
    assert path == str(tmp_path)


# --- 7. NUL characters ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_nul_in_a_profile_address_is_400(client):
    response = client.get("/u/%00/")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "NUL character" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/moderation/members/%00/", "/moderation/members/mo%00x/", "/?page=%00"])
def test_nul_in_a_moderators_addresses_is_400(client, moderator, url):
    client.force_login(moderator)
    assert client.get(url).status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.django_db
def test_nul_in_a_lock_reason_is_400_and_nothing_changes(client, moderator):
    prompt = make_prompt()
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:lock", args=[prompt.pk]), {"locked": "1", "reason": "Closed\0"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "NUL character" in response.content.decode()
    prompt.refresh_from_db()
    assert not prompt.is_locked


@pytest.mark.django_db
def test_nul_in_a_lift_reason_is_400_and_nothing_changes(client, moderator, user):
    from django.utils import timezone

    suspension = Suspension.objects.create(
        user=user, reason="Rude", ends_at=timezone.now() + timezone.timedelta(days=1)
    )
    client.force_login(moderator)
    response = client.post(reverse("moderation:lift", args=[suspension.pk]), {"reason": "\0"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    suspension.refresh_from_db()
    assert suspension.lifted_at is None


@pytest.mark.django_db
def test_nul_in_a_reflection_is_refused_and_not_saved(client, user):
    prompt = make_prompt()
    client.force_login(user)
    response = client.post(reverse("community:reflection-create", args=[prompt.pk]), {"body": "a\0b"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Reflection.objects.exists()


# --- 10. Headers ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/healthz", "/no-such-page/", "/accounts/login/"])
def test_every_response_refuses_camera_microphone_and_location(client, url):
    response = client.get(url)
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"

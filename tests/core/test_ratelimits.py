"""Per-member rate limits (core.ratelimits): the call over the rate is refused, per member and per
action, sooner for new accounts and signed-out callers, off with the switch; every action a view
asks about is limited by default; rates come from the environment. Counters live in the cache:
shared between processes through Redis, and ``check --deploy`` warns when there is none (core.W001).
"""

import os
import socket
import subprocess
import sys
import uuid
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings
from django.utils import timezone

from core.ratelimits import is_rate_limited, too_fast
from tests.config.test_site import PROJECT_DIR, _production_env, _settings_in_subprocess

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

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


# The actions views ask about (is_rate_limited(request, "…") in community, moderation, search,
# insights and journal).
ACTIONS = ["post", "reply", "like", "report", "preview", "draft", "search", "nudge", "export"]


def _calls_allowed(request, action: str, ceiling: int = 10_000) -> int:
    """How many calls pass before the first one is limited (``ceiling`` if none is)."""
    for allowed in range(ceiling):
        if is_rate_limited(request, action):
            return allowed
    return ceiling


@pytest.mark.django_db
def test_default_rates_are_generous_for_members_and_stricter_for_new_accounts(settings, user, other_user):
    """With the rates as shipped, every action is limited, and an account that joined today meets
    the limit before an older member does."""
    settings.RATELIMIT_ENABLE = True
    member, newcomer = _request(_old(other_user)), _request(user)
    for action in ACTIONS:
        assert 0 < _calls_allowed(newcomer, action) < _calls_allowed(member, action) < 10_000, action


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


# --- Shared between processes through Redis, or a warning -----------------------------------------


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
    result = _check_deploy(
        REDIS_URL="redis://127.0.0.1:6379/0", REDIS_RATELIMIT_URL="redis://127.0.0.1:6380/0"
    )
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
settings.CACHES['ratelimits']['KEY_PREFIX'] = os.environ['TEST_KEY_PREFIX']
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


def test_check_deploy_warns_when_rate_limits_are_off():
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/0", "REDIS_RATELIMIT_URL": "redis://127.0.0.1:6380/0"}
    result = _check_deploy(RATELIMIT_ENABLE="false", **redis)
    assert result.returncode != 0 and "core.W003" in result.stdout + result.stderr
    assert "core.W003" not in (lambda r: r.stdout + r.stderr)(_check_deploy(**redis))

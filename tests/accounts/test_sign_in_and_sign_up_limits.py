"""Limits on signing in and up: the per-account lockout after failed logins holds whatever Host is
sent; a classroom of 40 behind one address can sign up and sign in, and scripts meet the ceiling
(our 429 page); allauth's limits come from the environment."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_names import signup_data
from tests.config.test_site import _settings_in_subprocess
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

CLASSROOM = "203.0.113.7"  # one office address for the whole cohort


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True


TOO_MANY = "Too many failed login attempts"


def test_failed_logins_lock_the_account_whatever_the_host_port(client, limits_on):
    user = make_user()
    pages = [
        client.post(
            reverse("account_login"),
            {"login": user.email, "password": "wrong guess"},
            HTTP_HOST=f"127.0.0.1:{1001 + n}",
        ).content.decode()
        for n in range(6)
    ]
    assert not any(TOO_MANY in page for page in pages[:5])
    assert TOO_MANY in pages[5]
    # Locked: even the right password (from yet another port, another case) is refused for now.
    response = client.post(
        reverse("account_login"),
        {"login": user.email.upper(), "password": PASSWORD},
        HTTP_HOST="127.0.0.1:2000",
    )
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_cohort_of_40_behind_one_address_can_sign_up_and_scripts_meet_the_ceiling(
    client, limits_on, settings
):
    for n in range(40):
        response = client.post(reverse("account_signup"), signup_data(n), REMOTE_ADDR=CLASSROOM)
        assert response.status_code == HTTPStatus.FOUND, (
            f"sign-up {n + 1} of the cohort: {response.status_code}"
        )
    assert User.objects.filter(email__startswith="learner").count() == 40

    ceiling = int(settings.ACCOUNT_RATE_LIMITS["signup"].split("/")[0])
    assert ceiling >= 40
    statuses = [
        client.post(reverse("account_signup"), signup_data(n), REMOTE_ADDR=CLASSROOM).status_code
        for n in range(40, ceiling + 1)
    ]
    assert HTTPStatus.TOO_MANY_REQUESTS not in statuses[:-1]
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS  # the one beyond the ceiling
    # Another address is not affected.
    response = client.post(reverse("account_signup"), signup_data("elsewhere"), REMOTE_ADDR="198.51.100.9")
    assert response.status_code == HTTPStatus.FOUND


def test_a_cohort_of_40_behind_one_address_can_sign_in_typos_included(limits_on):
    members = [make_user() for _ in range(40)]
    for n, member in enumerate(members):
        client = Client(REMOTE_ADDR=CLASSROOM)
        if n % 4 == 0:  # one in four mistypes their password first
            typo = client.post(reverse("account_login"), {"login": member.email, "password": "oops"})
            assert typo.status_code == HTTPStatus.OK
        response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
        assert response.status_code == HTTPStatus.FOUND, f"member {n + 1}: {response.status_code}"
        assert client.session["_auth_user_id"] == str(member.pk)


def test_signup_is_limited_per_address_with_our_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "5/h/ip"}  # the ceiling, small
    statuses = [client.post("/accounts/signup/", {}).status_code for _ in range(6)]
    assert HTTPStatus.TOO_MANY_REQUESTS not in statuses[:5]
    assert statuses[5] == HTTPStatus.TOO_MANY_REQUESTS
    response = client.post("/accounts/signup/", {})
    assert "You’re going a little fast" in response.content.decode()
    assert "Content-Security-Policy" in response


def test_allauth_limits_come_from_the_environment():
    out = _settings_in_subprocess(
        "from django.conf import settings as s; print(s.ACCOUNT_RATE_LIMITS['signup'], s.ACCOUNT_RATE_LIMITS['login_failed'])",
        ACCOUNT_RATE_LIMIT_SIGNUP="100/h/ip",
        ACCOUNT_RATE_LIMIT_LOGIN_FAILED="30/m/ip,3/5m/key",
    )
    assert out.split() == ["100/h/ip", "30/m/ip,3/5m/key"]

"""The mail server is down: signing up, resetting a password and a moderator's action all succeed,
and their email waits in the queue for the worker, which retries it (core.mail, core.send_email)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts import roles
from accounts.models import User
from tests.accounts.test_names import signup_data
from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens there
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2


def test_sign_up_succeeds_and_the_email_waits_for_the_worker_when_mail_fails(
    client, dead_smtp, committed, jobs
):
    with committed():
        response = client.post(reverse("account_signup"), signup_data("nia"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="learnernia@example.com").exists()
    assert jobs.names() == ["core.send_email"]  # queued, not lost: the worker retries it
    with pytest.raises(OSError):  # what the worker meets (and retries on) while the server is down
        jobs.run()


def test_password_reset_succeeds_and_the_email_is_queued_when_mail_fails(client, dead_smtp, committed, jobs):
    user = make_user()
    with committed():
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == HTTPStatus.FOUND
    assert jobs.names() == ["core.send_email"]


def test_a_moderators_hide_succeeds_when_mail_fails_and_the_notice_waits(client, dead_smtp, committed, jobs):
    post = make_reflection()
    client.force_login(make_user(role=roles.MODERATOR))
    with committed():
        response = client.post(reverse("moderation:hide", args=[post.pk]), {"reason": "Off topic"})
    assert response.status_code == HTTPStatus.FOUND
    post.refresh_from_db()
    assert post.is_hidden
    assert "notifications.send_immediate_email" in jobs.names()  # the worker sends it, with retries

"""Account emails (sign-up confirmation, password reset) are written in the request and sent by the
worker: they name the site (SITE_NAME), their subjects are in sentence case, and their links take the
host and port from the request."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.test_accounts import SIGNUP

pytestmark = pytest.mark.django_db


def test_sign_up_confirmation_names_the_site_in_sentence_case(client, committed, settings):
    settings.SITE_NAME = "Reflect"
    with committed():
        client.post(reverse("account_signup"), SIGNUP, HTTP_HOST="127.0.0.1:8001")
    [message] = mail.outbox
    assert message.subject == "[Reflect] Confirm your email address"
    assert message.body.startswith("Hello from Reflect!")
    assert "register an account on Reflect." in message.body
    assert "Thank you for using Reflect!" in message.body
    assert re.search(r"http://127\.0\.0\.1:8001/\S*confirm-email/\S+/", message.body)
    assert " !" not in message.body and " ." not in message.body


def test_password_reset_names_the_site_in_sentence_case(client, user, committed):
    with committed():
        client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_HOST="127.0.0.1:8001")
    [message] = mail.outbox
    assert message.subject == "[Reflect] Reset your password"
    assert message.body.startswith("Hello from Reflect!")
    assert "Thank you for using Reflect!" in message.body
    assert "http://127.0.0.1:8001/" in message.body

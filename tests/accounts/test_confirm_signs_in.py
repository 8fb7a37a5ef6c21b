"""Confirming one's email signs one in, in the browser that signed up, however long the email took
to read, and lands where the member was going; a browser holding only the link is not signed in."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.test_accounts import SIGNUP

pytestmark = pytest.mark.django_db

GOING_TO = "/me/learning-log/"


def sign_up(client, committed) -> str:
    with committed():
        response = client.post(f"{reverse('account_signup')}?next={GOING_TO}", {**SIGNUP, "next": GOING_TO})
    assert response.status_code == HTTPStatus.FOUND
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    return link.split("testserver", 1)[-1]


def test_confirming_later_in_the_same_browser_signs_in_and_lands_where_they_were_going(
    client, committed, settings
):
    path = sign_up(client, committed)
    settings.ACCOUNT_LOGIN_TIMEOUT = 0  # the email was read after allauth's pending sign-in lapsed
    response = client.post(path)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == GOING_TO
    assert client.session["_auth_user_id"]
    assert client.get(GOING_TO).status_code == HTTPStatus.OK


def test_confirming_at_once_lands_where_they_were_going(client, committed):
    path = sign_up(client, committed)
    response = client.post(path)
    assert (response.status_code, response["Location"]) == (HTTPStatus.FOUND, GOING_TO)
    assert client.session["_auth_user_id"]


def test_the_link_alone_in_another_browser_confirms_but_does_not_sign_in(client, committed):
    path = sign_up(client, committed)
    other = Client()
    response = other.post(path)
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in other.session

"""WCAG 2.2 SC 3.3.7 Redundant Entry on the way in: the address a member gave once (signing up,
a sign-in that failed, asking for a new password, confirming it) is filled in on the next step of
the same journey, never asked for again; signing in forgets it."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.test_accounts import SIGNUP
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def email_input_value(response, name: str) -> str | None:
    """The value the page's input ``name`` is filled in with, if any."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', response.content.decode())
    assert tag, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def test_after_a_failed_sign_in_the_new_password_page_has_the_address(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": "not-it"})
    assert response.status_code == HTTPStatus.OK
    assert email_input_value(response, "login") == user.email  # the sign-in form keeps it

    response = client.get(reverse("account_reset_password"))
    assert email_input_value(response, "email") == user.email


def test_a_sign_in_that_did_not_name_an_address_remembers_nothing(client):
    client.post(reverse("account_login"), {"login": "not an address", "password": "x"})
    assert email_input_value(client.get(reverse("account_reset_password")), "email") is None


def test_after_sign_up_check_your_email_names_the_address_and_sign_in_has_it(client, committed):
    with committed():
        response = client.post(reverse("account_signup"), SIGNUP, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert "We sent it to <strong>nia@example.com</strong>" in response.content.decode()
    assert email_input_value(client.get(reverse("account_login")), "login") == "nia@example.com"


def test_confirming_in_another_browser_leads_to_sign_in_with_the_address(client, committed):
    with committed():
        client.post(reverse("account_signup"), SIGNUP)
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    other = Client()
    response = other.post(link.split("testserver", 1)[-1], follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert email_input_value(response, "login") == "nia@example.com"


def test_after_asking_for_a_new_password_sign_in_has_the_address(client, user):
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert email_input_value(client.get(reverse("account_login")), "login") == user.email


def test_signing_in_forgets_the_address(client):
    member = make_user(email="kofi@example.com")
    client.post(reverse("account_reset_password"), {"email": member.email})
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    client.logout()
    assert email_input_value(client.get(reverse("account_login")), "login") is None


def test_a_new_password_set_from_the_email_in_another_browser_leads_to_sign_in_with_the_address(
    client, committed, user
):
    with committed():
        client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://\S+/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    other = Client()
    form_page = other.get(link.split("testserver", 1)[-1], follow=True)
    new_password = "another-strong-passphrase-42"
    response = other.post(
        form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert email_input_value(other.get(reverse("account_login")), "login") == user.email


def test_a_wrong_password_when_deleting_the_account_keeps_the_choice_made(auth_client):
    response = auth_client.post(
        reverse("accounts:delete"), {"posts": "remove", "password": "not-it", "confirm": "on"}
    )
    assert "That password is not right." in response.text  # asked again: the SC's security exception
    chosen = [t for t in re.findall(r'<input[^>]*name="posts"[^>]*>', response.text) if " checked" in t]
    assert len(chosen) == 1 and 'value="remove"' in chosen[0]

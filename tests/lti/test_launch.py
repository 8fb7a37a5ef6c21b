"""OIDC login initiation and the launch: what is accepted, what is refused, and how."""

import re
import time
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from lti_tool.models import LtiDeployment, LtiRegistration, LtiUser

from accounts.models import User
from lti.models import CourseLink
from tests.factories import make_course, make_user
from tests.lti.conftest import launch, rsa_key, start_login

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def linked_course(**fields):
    from lti_tool.models import LtiContext

    course = make_course(**fields)
    deployment = LtiDeployment.objects.get()
    context, _ = LtiContext.objects.get_or_create(deployment=deployment, id_on_platform="context-1")
    CourseLink.objects.create(context=context, course=course)
    return course


# --- Login initiation --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_login_initiation_sends_the_browser_to_the_platform_with_a_state_and_a_nonce(
    client, registered, method
):
    params = {
        "iss": registered.issuer, "login_hint": "hint-1", "lti_message_hint": "message-hint-1",
        "target_link_uri": "http://testserver/lti/launch/", "client_id": registered.client_id,
        "reflect_checked": "1",
    }  # fmt: skip
    path = urlsplit(registered.urls["login_url"]).path
    response = getattr(client, method)(path, params)
    assert response.status_code == HTTPStatus.FOUND
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{registered.issuer}/auth"
    sent = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert sent["client_id"] == registered.client_id
    assert sent["redirect_uri"] == "http://testserver/lti/launch/"
    assert (sent["response_type"], sent["response_mode"], sent["scope"], sent["prompt"]) == (
        "id_token", "form_post", "openid", "none",
    )  # fmt: skip
    assert (sent["login_hint"], sent["lti_message_hint"]) == ("hint-1", "message-hint-1")
    assert client.cookies[f"lti1p3-{sent['state']}"].value == sent["state"]  # bound to this browser
    assert cache.get(f"lti1p3-nonce-{sent['nonce']}") is True  # in the shared cache, for ten minutes
    expiry = cache._expire_info[cache.make_and_validate_key(f"lti1p3-nonce-{sent['nonce']}")]
    assert 590 < expiry - time.time() <= 600


def test_one_login_address_serves_every_platform_by_issuer_and_client_id(client, registered):
    response = client.get("/lti/login/", {
        "iss": registered.issuer, "login_hint": "h", "client_id": registered.client_id, "reflect_checked": "1",
    })  # fmt: skip
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(f"{registered.issuer}/auth?")


def test_login_first_checks_cookies_and_offers_a_new_window_inside_the_platforms_frame(client, registered):
    path = urlsplit(registered.urls["login_url"]).path
    response = client.get(
        path, {"iss": registered.issuer, "login_hint": "hint-1", "client_id": registered.client_id}
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Open in a new window" in page and "lti1p3_new_window=1" in page and 'target="_blank"' in page
    assert 'name="reflect_checked"' in page  # "Continue" without JavaScript
    assert f"frame-ancestors {registered.issuer}" in response["Content-Security-Policy"]
    # "Continue" is answered with a redirect to the platform, which form-action must allow.
    assert f"form-action 'self' {registered.issuer}" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    # The new window's address goes straight to the platform.
    new_window = client.get(
        path, {"iss": registered.issuer, "login_hint": "hint-1", "lti1p3_new_window": "1"}
    )
    assert new_window.status_code == HTTPStatus.FOUND


def test_login_from_an_unregistered_platform_is_refused_with_a_page(client, registered):
    response = client.get(
        "/lti/login/", {"iss": "https://other.example", "login_hint": "h", "reflect_checked": "1"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "not registered with Reflect" in response.content.decode()


# --- A valid launch ------------------------------------------------------------------------------------


def test_a_valid_launch_signs_in_a_new_account_named_by_the_platform_and_lands_on_the_course(
    client, registered
):
    course = linked_course()
    response = launch(client, registered)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == course.get_absolute_url()
    user = User.objects.get(lti_users__sub="lms-user-1")
    assert user.display_name == "Ada Lovelace" and user.handle == "ada_lovelace"
    assert user.email.endswith("@lti.invalid")  # the platform's email is kept beside, never matched
    assert LtiUser.objects.get(sub="lms-user-1").email == "ada@example.org"
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK and page.wsgi_request.user == user
    assert registered.requests == ["/jwks"]  # the platform's key set, fetched over HTTP


def test_the_same_platform_user_comes_back_to_the_same_account(client, registered):
    linked_course()
    launch(client, registered)
    launch(client, registered, name="Ada L. (renamed)")
    assert User.objects.filter(lti_users__sub="lms-user-1").distinct().count() == 1


def test_an_email_the_platform_gives_never_signs_into_an_existing_account(client, registered):
    linked_course()
    existing = make_user(email="ada@example.org")
    launch(client, registered)
    arrived = User.objects.get(lti_users__sub="lms-user-1")
    assert arrived != existing and client.get("/").wsgi_request.user == arrived


# --- Refusals: a page that says why, never a 500 ------------------------------------------------------


def test_a_replayed_launch_is_refused(client, registered):
    linked_course()
    state, nonce = start_login(client, registered)
    token = registered.sign(registered.claims(nonce))
    assert launch(client, registered, state_nonce=(state, nonce), token=token).status_code == HTTPStatus.FOUND
    again = launch(client, registered, state_nonce=(state, nonce), token=token)
    assert again.status_code == HTTPStatus.FORBIDDEN
    assert "already used" in again.content.decode()


def test_a_tampered_token_is_refused(client, registered):
    linked_course()
    state, nonce = start_login(client, registered)
    header, payload, signature = registered.sign(registered.claims(nonce)).split(".")
    forged = registered.sign(
        registered.claims(nonce, roles=["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"])
    )
    tampered = ".".join([header, forged.split(".")[1], signature])  # another body under the old signature
    response = launch(client, registered, state_nonce=(state, nonce), token=tampered)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "could not verify" in response.content.decode()
    assert not User.objects.filter(lti_users__isnull=False).exists()


def test_a_token_signed_by_another_key_under_the_platforms_key_id_is_refused(client, registered):
    state, nonce = start_login(client, registered)
    other_pem, _ = rsa_key("platform-key-1")
    token = registered.sign(registered.claims(nonce), pem=other_pem)
    assert (
        launch(client, registered, state_nonce=(state, nonce), token=token).status_code
        == HTTPStatus.FORBIDDEN
    )


def test_an_expired_token_is_refused(client, registered):
    state, nonce = start_login(client, registered)
    claims = registered.claims(nonce)
    claims.update(iat=claims["iat"] - 3600, exp=claims["iat"] - 1800)
    response = launch(client, registered, state_nonce=(state, nonce), token=registered.sign(claims))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "expired" in response.content.decode()


def test_a_launch_from_an_unknown_deployment_is_refused_and_waits_for_an_administrator(client, registered):
    response = launch(
        client, registered, **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deployment-9"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "not active" in response.content.decode()
    assert not LtiDeployment.objects.get(deployment_id="deployment-9").is_active  # listed for the admin
    assert not User.objects.filter(lti_users__isnull=False).exists()


def test_a_launch_for_a_deactivated_registration_is_refused(client, registered):
    state, nonce = start_login(client, registered)
    LtiRegistration.objects.update(is_active=False)
    response = launch(client, registered, state_nonce=(state, nonce))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "not registered" in response.content.decode()


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-client"},
        {"aud": ["reflect-client", "another-client"]},  # several audiences and no azp
        {"aud": ["reflect-client", "another-client"], "azp": "another-client"},
        {"azp": "another-client"},
        {"nonce": "a-nonce-never-issued"},
    ],
)
def test_a_token_for_another_client_or_with_an_unknown_nonce_is_refused(client, registered, claims):
    state, nonce = start_login(client, registered)
    body = {**registered.claims(nonce), **claims}
    response = launch(client, registered, state_nonce=(state, nonce), token=registered.sign(body))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_several_audiences_with_our_azp_are_accepted(client, registered):
    linked_course()
    state, nonce = start_login(client, registered)
    body = {**registered.claims(nonce), "aud": ["reflect-client", "another"], "azp": "reflect-client"}
    assert (
        launch(client, registered, state_nonce=(state, nonce), token=registered.sign(body)).status_code == 302
    )


def test_a_launch_from_another_browser_than_the_login_is_refused(client, registered):
    from django.test import Client

    state, nonce = start_login(client, registered)
    response = Client().post(
        "/lti/launch/", {"id_token": registered.sign(registered.claims(nonce)), "state": state}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "new window" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"state": "x"}, {"id_token": "not.a.jwt", "state": "x"}, {"id_token": "garbage", "state": "s"}],
)
def test_a_malformed_launch_is_a_page_not_an_error(client, registered, data):
    start_login(client, registered)
    response = client.post("/lti/launch/", data)
    assert response.status_code in {HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN}
    assert "Reflect could not open this activity" in response.content.decode()


# --- Inside the platform's frame ---------------------------------------------------------------------------


def test_a_launched_session_may_be_framed_by_its_platform_and_others_may_not(client, registered):
    course = linked_course()
    launch(client, registered)
    page = client.get(course.get_absolute_url())
    ancestors = re.search(r"frame-ancestors ([^;]+)", page["Content-Security-Policy"])[1].split()
    assert sorted(ancestors) == sorted([registered.issuer, "https://lms.example.edu"])
    assert "X-Frame-Options" not in page
    other = make_user()
    from django.test import Client

    plain = Client()
    plain.force_login(other)
    elsewhere = plain.get(course.get_absolute_url())
    assert elsewhere["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in elsewhere["Content-Security-Policy"]


def test_over_https_the_launched_session_cookie_is_sent_inside_the_frame(client, registered):
    linked_course()
    params = {
        "iss": registered.issuer, "login_hint": "h", "client_id": registered.client_id, "reflect_checked": "1",
    }  # fmt: skip
    response = client.get(urlsplit(registered.urls["login_url"]).path, params, secure=True)
    sent = parse_qs(urlsplit(response["Location"]).query)
    state_cookie = response.cookies[f"lti1p3-{sent['state'][0]}"]
    assert state_cookie["samesite"] == "None" and state_cookie["secure"]
    token = registered.sign(registered.claims(sent["nonce"][0]))
    launched = client.post("/lti/launch/", {"id_token": token, "state": sent["state"][0]}, secure=True)
    assert launched.status_code == HTTPStatus.FOUND
    session_cookie = launched.cookies["sessionid"]
    assert session_cookie["samesite"] == "None" and session_cookie["secure"]


def test_a_platform_user_whose_account_was_made_meanwhile_gets_that_account(registered):
    """Two first launches at once: the second finds the account the first made (by its address)."""
    from lti_tool.models import LtiRegistration

    from lti import services

    registration = LtiRegistration.objects.get()
    first = LtiUser.objects.create(registration=registration, sub="twice", name="Twice Launched")
    made = services.account_for(lti_user=first)
    LtiUser.objects.filter(pk=first.pk).update(auth_user=None)  # as if the link was not written yet
    first.refresh_from_db()
    assert services.account_for(lti_user=first) == made
    assert User.objects.filter(display_name="Twice Launched").count() == 1


# --- An existing account: linked only after its member signs in and confirms --------------------------


def test_an_existing_member_may_link_their_account_after_signing_in_and_confirming(client, registered):
    import re as _re

    from django.test import Client

    from lessons.models import Enrolment

    course = linked_course()
    existing = make_user(email="ada@example.org", display_name="Ada (Reflect)")
    offer = launch(client, registered)
    assert offer.status_code == HTTPStatus.OK  # the first launch offers, and links nothing
    page = offer.content.decode()
    assert "Use my existing account" in page and 'target="_blank"' in page
    placeholder = client.get("/").wsgi_request.user
    assert placeholder != existing and Enrolment.objects.filter(user=placeholder, course=course).exists()
    sign_in = _re.search(r'href="(/accounts/login/\?next=[^"]+)"', page)[1].replace("&amp;", "&")
    confirm_path = sign_in.split("next=", 1)[1].replace("%2F", "/")

    stranger = Client()
    stranger.force_login(make_user(email="someone@example.org"))
    assert stranger.get(confirm_path).status_code == HTTPStatus.FORBIDDEN  # not the address's owner

    window = Client()
    window.force_login(existing)
    assert "Yes, use this account" in window.get(confirm_path).content.decode()
    assert window.post(confirm_path).status_code == HTTPStatus.FOUND
    assert LtiUser.objects.get(sub="lms-user-1").auth_user == existing
    assert Enrolment.objects.filter(user=existing, course=course).exists()
    placeholder.refresh_from_db()
    assert not placeholder.is_active and not Enrolment.objects.filter(user=placeholder).exists()

    again = launch(client, registered)  # from now on the course opens the existing account
    assert again.status_code == HTTPStatus.FOUND
    assert client.get(again["Location"]).wsgi_request.user == existing


def test_an_unverified_address_is_not_offered(client, registered):
    linked_course()
    make_user(email="ada@example.org", verified=False)
    assert launch(client, registered).status_code == HTTPStatus.FOUND


def test_the_platforms_key_set_is_kept_and_fetched_again_when_the_platform_rotates(client, registered):
    linked_course()
    launch(client, registered)
    launch(client, registered, sub="lms-user-2")
    assert registered.requests.count("/jwks") == 1  # kept for ten minutes
    registered.pem, registered.public_jwk = rsa_key("platform-key-2")  # the platform rotates
    state, nonce = start_login(client, registered)
    token = registered.sign(registered.claims(nonce, sub="lms-user-3"), kid="platform-key-2")
    assert launch(client, registered, state_nonce=(state, nonce), token=token).status_code == HTTPStatus.FOUND
    assert registered.requests.count("/jwks") == 2  # the unknown key id fetched the set again, once

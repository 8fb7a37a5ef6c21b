"""Registering a platform from a script, the published key set, and key rotation."""

import json
from datetime import timedelta
from io import StringIO

import jwt
import pytest
from django.core.management import call_command
from django.utils import timezone
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from lti.models import Platform

pytestmark = pytest.mark.django_db


def test_lti_register_creates_an_active_registration_and_prints_the_tools_urls(platform, settings):
    settings.SITE_URL = "https://reflect.example.org"
    urls = platform.register()
    registration = LtiRegistration.objects.get(issuer=platform.issuer, client_id=platform.client_id)
    assert registration.is_active and urls["created"] is True
    assert LtiDeployment.objects.get(registration=registration, deployment_id="deployment-1").is_active
    assert Platform.objects.filter(registration=registration).exists()
    assert urls["login_url"] == f"https://reflect.example.org/lti/login/{registration.uuid}/"
    assert urls["launch_url"] == urls["deep_link_url"] == "https://reflect.example.org/lti/launch/"
    assert urls["jwks_url"] == "https://reflect.example.org/.well-known/jwks.json"
    assert Key.objects.active().count() == 1  # the tool's key, made on first use


def test_lti_register_again_updates_and_reactivates(platform):
    platform.register()
    LtiRegistration.objects.update(is_active=False, name="Old name")
    out = StringIO()
    call_command(
        "lti_register", "--name", "Moodle", "--issuer", platform.issuer, "--client-id", platform.client_id,
        "--deployment-id", "deployment-2", "--auth-url", f"{platform.issuer}/auth2",
        "--token-url", f"{platform.issuer}/token", "--keyset-url", f"{platform.issuer}/jwks", stdout=out,
    )  # fmt: skip
    registration = LtiRegistration.objects.get()
    assert (registration.name, registration.is_active, registration.auth_url) == (
        "Moodle", True, f"{platform.issuer}/auth2",
    )  # fmt: skip
    assert set(registration.deployments.values_list("deployment_id", flat=True)) == {
        "deployment-1",
        "deployment-2",
    }
    assert "Updated registration" in out.getvalue() and "login_url: " in out.getvalue()
    assert Key.objects.count() == 1


def test_the_key_set_is_made_on_first_use(client):
    assert not Key.objects.exists()
    keys = json.loads(client.get("/.well-known/jwks.json").content)["keys"]
    assert (
        len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["use"] == "sig" and keys[0]["alg"] == "RS256"
    )
    assert "d" not in keys[0]  # the public half only


def _kids(client) -> list[str]:
    return [key["kid"] for key in json.loads(client.get("/.well-known/jwks.json").content)["keys"]]


def sign_with_current_key(registration) -> str:
    reg = registration.to_registration()
    return jwt.encode(
        {"sub": "x"}, reg.get_tool_private_key(), algorithm="RS256", headers={"kid": reg.get_kid()}
    )


def test_rotation_signs_with_the_new_key_and_keeps_the_old_one_published_for_the_grace_period(
    client, registered, settings
):
    settings.LTI_KEY_GRACE_DAYS = 7
    registration = LtiRegistration.objects.get()
    [old] = _kids(client)
    out = StringIO()
    call_command("lti_rotate_keys", stdout=out)
    assert "Retired 0" in out.getvalue()
    kids = _kids(client)
    assert len(kids) == 2 and old in kids
    new = next(kid for kid in kids if kid != old)
    assert jwt.get_unverified_header(sign_with_current_key(registration))["kid"] == new

    # Eight days later the old key is gone from the key set, and the next rotation retires it.
    Key.objects.update(datetime_created=timezone.now() - timedelta(days=8))
    assert _kids(client) == [new]
    call_command("lti_rotate_keys", stdout=StringIO())
    assert not Key.objects.get(pk=next(k.pk for k in Key.objects.all() if str(k) == old)).is_active
    assert new in _kids(client) and old not in _kids(client)


def test_a_rotation_right_after_another_keeps_both_older_keys_within_their_grace(client, registered):
    call_command("lti_rotate_keys", stdout=StringIO())
    call_command("lti_rotate_keys", stdout=StringIO())
    assert len(_kids(client)) == 3

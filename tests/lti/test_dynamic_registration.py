"""Dynamic registration: the platform's administrator pastes the URL a Reflect administrator made."""

from http import HTTPStatus
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.management import call_command
from lti_tool.models import LtiDeployment, LtiRegistration

from lti import dynamic
from tests.lti.conftest import launch

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def registration_path(days=7) -> str:
    out = StringIO()
    call_command("lti_registration_url", "--days", str(days), stdout=out)
    return urlsplit(out.getvalue().strip()).path


def test_a_platform_registers_itself_with_the_url_it_was_given(client, platform, settings):
    settings.SITE_URL = "http://testserver"
    response = client.get(registration_path(), {
        "openid_configuration": f"{platform.issuer}/.well-known/openid-configuration",
        "registration_token": "registration-token-1",
    })  # fmt: skip
    assert response.status_code == HTTPStatus.OK
    assert 'id="lti-registered"' in response.content.decode()  # the page tells the platform to close
    assert f"frame-ancestors {platform.issuer}" in response["Content-Security-Policy"]
    registration = LtiRegistration.objects.get(issuer=platform.issuer)
    assert (registration.client_id, registration.is_active, registration.keyset_url) == (
        "dynamic-client", True, f"{platform.issuer}/jwks",
    )  # fmt: skip
    assert LtiDeployment.objects.get(registration=registration).deployment_id == "deployment-dyn"
    [sent] = platform.registrations
    assert sent["initiate_login_uri"] == "http://testserver/lti/login/"
    assert sent["redirect_uris"] == ["http://testserver/lti/launch/"]
    assert sent["jwks_uri"] == "http://testserver/.well-known/jwks.json"
    tool = sent["https://purl.imsglobal.org/spec/lti-tool-configuration"]
    assert {message["type"] for message in tool["messages"]} == {
        "LtiResourceLinkRequest",
        "LtiDeepLinkingRequest",
    }

    # The platform launches with what it got.
    platform.client_id, platform.deployment_id = "dynamic-client", "deployment-dyn"
    platform.urls = {"login_url": "http://testserver/lti/login/"}
    assert launch(client, platform).status_code == HTTPStatus.OK  # in, and told the course is not set up yet


def test_without_a_valid_invitation_nothing_is_registered(client, platform):
    forged = f"/lti/register/{signing.dumps({'days': 7}, salt='another-salt')}/"
    for path in (forged, registration_path(days=0)):
        response = client.get(path, {
            "openid_configuration": f"{platform.issuer}/.well-known/openid-configuration",
            "registration_token": "registration-token-1",
        })  # fmt: skip
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "registration link" in response.content.decode()
    assert not LtiRegistration.objects.exists() and platform.registrations == []


def test_a_configuration_from_another_issuer_is_refused(client, platform):
    platform.openid_issuer = "https://lms.elsewhere.example"
    response = client.get(registration_path(), {
        "openid_configuration": f"{platform.issuer}/.well-known/openid-configuration",
        "registration_token": "registration-token-1",
    })  # fmt: skip
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "issuer" in response.content.decode()
    assert not LtiRegistration.objects.exists()


def test_an_unreachable_platform_is_a_page_not_an_error(client):
    response = client.get(registration_path(), {
        "openid_configuration": "http://127.0.0.1:9/.well-known/openid-configuration",
        "registration_token": "t",
    })  # fmt: skip
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "could not be reached" in response.content.decode()


def test_the_tool_configuration_names_reflects_addresses(settings):
    settings.SITE_URL = "https://reflect.example.org"
    config = dynamic.tool_configuration()
    assert config["https://purl.imsglobal.org/spec/lti-tool-configuration"]["domain"] == "reflect.example.org"
    assert "contextmembership.readonly" in config["scope"]

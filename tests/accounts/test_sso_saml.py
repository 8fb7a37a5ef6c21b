"""Single sign-on with SAML, per organisation: the settings read from SSO_SAML_PROVIDERS, the
service provider's metadata and ACS addresses an identity provider is given, the request sent to
it, and a response signed here with a key made here (python3-saml signs it): signed in, or, tampered
with, refused with a clear page."""

import base64
import json
import re
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from accounts import sso_settings
from accounts.models import User

pytestmark = pytest.mark.django_db

IDP = "https://idp.acme.example/saml"
SSO_URL = "https://idp.acme.example/saml/sso"
ACS = "http://localhost/accounts/saml/acme/acs/"
METADATA = "http://localhost/accounts/saml/acme/metadata/"
NS = {"md": "urn:oasis:names:tc:SAML:2.0:metadata", "samlp": "urn:oasis:names:tc:SAML:2.0:protocol"}


@pytest.fixture
def client():
    """python3-saml reads the Host header (browsers always send it; the test client does not) and wants a name it accepts in a URL ("testserver" has no dot)."""
    return Client(HTTP_HOST="localhost")


@pytest.fixture(scope="module")
def idp_key():
    """The identity provider's signing key and self-signed certificate (PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.acme.example")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def acme(cert_pem: str, **extra) -> dict:
    return {
        "id": "acme",
        "name": "Acme University",
        "idp": {"entity_id": IDP, "sso_url": SSO_URL, "x509cert": cert_pem},
        "domains": ["acme.example"],
        **extra,
    }


@pytest.fixture
def configured(settings, idp_key):
    def configure(**extra):
        parsed = sso_settings.parse(saml_raw=json.dumps([acme(idp_key[1], **extra)]))
        assert parsed.errors == []
        settings.SOCIALACCOUNT_PROVIDERS = parsed.socialaccount_providers()

    configure()
    return configure


def test_the_settings_become_allauths_saml_app(idp_key):
    parsed = sso_settings.parse(saml_raw=json.dumps([acme(idp_key[1])]))
    assert parsed.errors == []
    (app,) = parsed.socialaccount_providers()["saml"]["APPS"]
    assert (app["provider_id"], app["client_id"], app["name"]) == ("acme", "acme", "Acme University")
    idp = app["settings"]["idp"]
    assert idp["entity_id"] == IDP and idp["sso_url"] == SSO_URL
    # Pasted as PEM, kept as the bare base64 body python3-saml expects.
    assert "BEGIN" not in idp["x509cert"] and "\n" not in idp["x509cert"]
    assert app["settings"]["advanced"]["reject_idp_initiated_sso"] is True
    assert app["settings"]["domains"] == ["acme.example"]


def test_the_metadata_names_the_acs_address(client, configured):
    response = client.get("/accounts/saml/acme/metadata/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    assert root.get("entityID") == METADATA
    acs = root.find(".//md:AssertionConsumerService", NS)
    assert acs.get("Location") == ACS
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


def test_a_given_sp_entity_id_is_used(client, configured):
    configured(sp_entity_id="https://reflect.example.org/saml/acme")
    root = etree.fromstring(client.get("/accounts/saml/acme/metadata/").content)
    assert root.get("entityID") == "https://reflect.example.org/saml/acme"


def test_an_unknown_organisation_has_no_metadata(client, configured):
    assert client.get("/accounts/saml/nobody/metadata/").status_code == HTTPStatus.NOT_FOUND


def authn_request(client) -> tuple[str, etree._Element]:
    """Press "Sign in with Acme University": the browser goes to the IdP with a SAMLRequest."""
    html = client.get("/accounts/login/").content.decode()
    button = re.search(
        r'<form method="post" action="([^"]+)">\s*<input[^>]*>\s*<button[^>]*>Sign in with Acme University</button>',
        html,
    )
    assert button, "no “Sign in with Acme University” button"
    response = client.post(button.group(1).replace("&amp;", "&"))
    assert response.status_code == HTTPStatus.FOUND
    location = response["Location"]
    assert location.startswith(SSO_URL + "?")
    encoded = parse_qs(urlsplit(location).query)["SAMLRequest"][0]
    return location, etree.fromstring(zlib.decompress(base64.b64decode(encoded), -15))


def test_the_request_sent_to_the_idp(client, configured):
    _, request = authn_request(client)
    assert request.tag == "{urn:oasis:names:tc:SAML:2.0:protocol}AuthnRequest"
    assert request.get("AssertionConsumerServiceURL") == ACS
    assert request.get("Destination") == SSO_URL


def saml_response(key_pem, cert_pem, *, in_response_to, email="kofi@acme.example", name_id="kofi-7") -> str:
    """A SAML response from the IdP, its assertion signed with the IdP's key."""
    now = datetime.now(UTC)
    stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    assertion_id, response_id = f"_{uuid.uuid4().hex}", f"_{uuid.uuid4().hex}"
    attributes = {
        "urn:oid:0.9.2342.19200300.100.1.3": email,
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": "Kofi",
        "urn:oid:2.5.4.4": "Mensah",
    }
    attribute_xml = "".join(
        f'<saml:Attribute Name="{name}"><saml:AttributeValue>{value}</saml:AttributeValue></saml:Attribute>'
        for name, value in attributes.items()
    )
    assertion = f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{assertion_id}" Version="2.0" IssueInstant="{stamp(now)}">
<saml:Issuer>{IDP}</saml:Issuer>
<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{name_id}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{stamp(now + timedelta(minutes=5))}" Recipient="{ACS}" InResponseTo="{in_response_to}"/></saml:SubjectConfirmation></saml:Subject>
<saml:Conditions NotBefore="{stamp(now - timedelta(minutes=1))}" NotOnOrAfter="{stamp(now + timedelta(minutes=5))}"><saml:AudienceRestriction><saml:Audience>{METADATA}</saml:Audience></saml:AudienceRestriction></saml:Conditions>
<saml:AuthnStatement AuthnInstant="{stamp(now)}" SessionIndex="{assertion_id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
<saml:AttributeStatement>{attribute_xml}</saml:AttributeStatement>
</saml:Assertion>"""
    signed = OneLogin_Saml2_Utils.add_sign(
        assertion, key_pem, cert_pem, sign_algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        digest_algorithm="http://www.w3.org/2001/04/xmlenc#sha256",
    ).decode()  # fmt: skip
    signed = signed.removeprefix('<?xml version="1.0"?>\n')
    response = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{response_id}" Version="2.0" IssueInstant="{stamp(now)}" Destination="{ACS}" InResponseTo="{in_response_to}">
<saml:Issuer>{IDP}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
{signed}
</samlp:Response>"""
    return base64.b64encode(response.encode()).decode()


def post_to_acs(client, saml: str):
    response = client.post("/accounts/saml/acme/acs/", {"SAMLResponse": saml})
    assert response.status_code == HTTPStatus.FOUND  # allauth finishes on its own page (cookies)
    return client.get(response["Location"])


def test_a_signed_response_signs_the_member_in(client, configured, idp_key):
    configured(verified_email_domains=["acme.example"])  # the university vouches for its addresses
    _, request = authn_request(client)
    response = post_to_acs(client, saml_response(*idp_key, in_response_to=request.get("ID")))
    assert response["Location"] == "/"
    member = User.objects.get(pk=client.session["_auth_user_id"])
    assert member.email == "kofi@acme.example"
    assert member.display_name == "Kofi Mensah"
    assert SocialAccount.objects.get(user=member).provider == "acme"


def test_an_address_no_one_vouched_for_is_confirmed_by_email_first(client, configured, idp_key):
    """SAML says nothing of whether an address was verified: unless the organisation's domains are
    listed as verified, the new member confirms it as after any sign-up."""
    _, request = authn_request(client)
    response = post_to_acs(client, saml_response(*idp_key, in_response_to=request.get("ID")))
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert User.objects.get().email == "kofi@acme.example"


def test_a_tampered_response_is_a_clear_page(client, configured, idp_key):
    _, request = authn_request(client)
    saml = saml_response(*idp_key, in_response_to=request.get("ID"))
    forged = base64.b64decode(saml).decode().replace("kofi@acme.example", "dean@acme.example")
    response = post_to_acs(client, base64.b64encode(forged.encode()).decode())
    assert response.status_code < 500
    assert "Sign-in didn’t work" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_a_response_signed_by_another_key_is_refused(client, configured, idp_key):
    _, request = authn_request(client)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    response = post_to_acs(
        client, saml_response(other.decode(), idp_key[1], in_response_to=request.get("ID"))
    )
    assert "Sign-in didn’t work" in response.content.decode()
    assert not User.objects.exists()


def test_an_idp_initiated_response_is_refused(client, configured, idp_key):
    response = post_to_acs(client, saml_response(*idp_key, in_response_to=""))
    assert "Sign-in didn’t work" in response.content.decode()
    assert not User.objects.exists()

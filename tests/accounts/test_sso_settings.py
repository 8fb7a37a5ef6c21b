"""SSO_OIDC_PROVIDERS and SSO_SAML_PROVIDERS: what becomes allauth's SOCIALACCOUNT_PROVIDERS, and
what is left out with a sentence for ``manage.py check`` (accounts.E101), never a crash."""

import json

import pytest

from accounts import sso_settings

CONTOSO = {
    "id": "contoso",
    "name": "Contoso",
    "server_url": "https://login.microsoftonline.com/tenant-id/v2.0",
    "client_id": "client-1",
    "secret": "s3cret",
}


def oidc(*entries, environ=None) -> sso_settings.Parsed:
    return sso_settings.parse(json.dumps(list(entries)), environ=environ or {})


def test_nothing_configured_is_no_provider():
    parsed = sso_settings.parse("", "", environ={})
    assert parsed.errors == [] and parsed.socialaccount_providers() == {}


def test_an_oidc_organisation_becomes_an_allauth_app():
    parsed = oidc({**CONTOSO, "domains": ["Contoso.com", "@contoso.co.uk"], "enforce": True})
    assert parsed.errors == []
    providers = parsed.socialaccount_providers()
    assert providers["openid_connect"]["OAUTH_PKCE_ENABLED"] is True
    (app,) = providers["openid_connect"]["APPS"]
    assert app == {
        "provider_id": "contoso",
        "name": "Contoso",
        "client_id": "client-1",
        "secret": "s3cret",
        "settings": {
            "server_url": "https://login.microsoftonline.com/tenant-id/v2.0",
            "domains": ["contoso.com", "contoso.co.uk"],
            "enforce": True,
            # It requires its own sign-in for its domains, so it vouches for them and opens the
            # accounts that already have those addresses (their password no longer works).
            "email_authentication": True,
            "verified_email": ["contoso.com", "contoso.co.uk"],
            "oauth_pkce_enabled": True,
        },
    }


def test_without_enforce_nothing_is_linked_or_vouched_for_by_default():
    settings = oidc({**CONTOSO, "domains": ["contoso.com"]}).oidc[0]["settings"]
    assert settings["email_authentication"] is False and settings["verified_email"] is False


def test_an_enforcing_organisation_can_still_refuse_to_link():
    entry = {**CONTOSO, "domains": ["contoso.com"], "enforce": True, "link_by_email": False}
    settings = oidc({**entry, "verified_email_domains": []}).oidc[0]["settings"]
    assert settings["email_authentication"] is False and settings["verified_email"] is False


def test_a_secret_can_come_from_its_own_variable():
    entry = {**CONTOSO, "secret_env": "CONTOSO_SECRET"}
    del entry["secret"]
    parsed = oidc(entry, environ={"CONTOSO_SECRET": "from-the-vault"})
    assert parsed.oidc[0]["secret"] == "from-the-vault"


def test_a_single_object_is_read_as_a_list_of_one():
    parsed = sso_settings.parse(json.dumps(CONTOSO), environ={})
    assert [app["provider_id"] for app in parsed.oidc] == ["contoso"]


def test_several_organisations_of_both_kinds():
    okta = {**CONTOSO, "id": "okta", "name": "Fabrikam", "server_url": "https://fabrikam.okta.com"}
    saml = {
        "id": "acme",
        "name": "Acme",
        "idp": {"entity_id": "e", "metadata_url": "https://idp.acme.edu/md"},
    }
    parsed = sso_settings.parse(json.dumps([CONTOSO, okta]), json.dumps([saml]), environ={})
    assert parsed.errors == []
    assert [a["provider_id"] for a in parsed.oidc] == ["contoso", "okta"]
    assert parsed.saml[0]["settings"]["idp"] == {"entity_id": "e", "metadata_url": "https://idp.acme.edu/md"}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"id": "Contoso Ltd"}, '"id" must be lower-case letters'),
        ({"name": ""}, '"name" must be a non-empty string'),
        ({"server_url": "http://login.contoso.com"}, '"server_url" must be the issuer\'s https address'),
        ({"server_url": None}, '"server_url" must be'),
        ({"client_id": 42}, '"client_id" must be a non-empty string'),
        ({"domains": "contoso.com"}, '"domains" must be a list of email domains'),
        ({"domains": ["not a domain"]}, "which is not an email domain"),
        ({"enforce": True}, '"enforce" needs "domains"'),
        ({"enforce": "yes", "domains": ["contoso.com"]}, '"enforce" must be true or false'),
        ({"link_by_email": 1}, '"link_by_email" must be true or false'),
        ({"secret_env": "MISSING"}, 'give "secret" or "secret_env", not both'),
        ({"scope": "openid email"}, '"scope" must be a list'),
        ({"clientid": "typo"}, "unknown key clientid"),
    ],
)
def test_a_malformed_organisation_is_left_out_with_a_reason(change, error):
    parsed = oidc({**CONTOSO, **change})
    assert parsed.oidc == []
    assert any(error in message for message in parsed.errors), parsed.errors
    assert all(message.startswith("SSO_OIDC_PROVIDERS[0]") for message in parsed.errors)


def test_a_missing_secret_variable_is_reported():
    entry = {**CONTOSO, "secret_env": "CONTOSO_SECRET"}
    del entry["secret"]
    assert "names CONTOSO_SECRET, which is not set" in oidc(entry).errors[0]


def test_plain_http_is_allowed_to_this_machine_only():
    for url in ("http://127.0.0.1:8080/realms/reflect", "http://localhost:8080", "http://[::1]:9000"):
        assert oidc({**CONTOSO, "server_url": url}).errors == [], url


def test_one_bad_organisation_leaves_the_others():
    parsed = oidc({**CONTOSO, "id": "BAD"}, {**CONTOSO, "id": "good"})
    assert [app["provider_id"] for app in parsed.oidc] == ["good"]
    assert len(parsed.errors) == 1


def test_an_id_is_used_once_across_oidc_and_saml():
    saml = {
        "id": "contoso",
        "name": "Contoso SAML",
        "idp": {"entity_id": "e", "metadata_url": "https://x.org/md"},
    }
    parsed = sso_settings.parse(json.dumps([CONTOSO]), json.dumps([saml]), environ={})
    assert [a["provider_id"] for a in parsed.oidc] == ["contoso"] and parsed.saml == []
    assert 'the id "contoso" is already used by SSO_OIDC_PROVIDERS[0]' in parsed.errors[0]


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("[{", "SSO_OIDC_PROVIDERS is not valid JSON"),
        ('"contoso"', "SSO_OIDC_PROVIDERS must be a JSON list of organisations"),
        ('["contoso"]', "SSO_OIDC_PROVIDERS[0] must be a JSON object"),
    ],
)
def test_malformed_json_is_reported(raw, error):
    parsed = sso_settings.parse(raw, environ={})
    assert parsed.oidc == [] and error in parsed.errors[0]


@pytest.mark.parametrize(
    ("idp", "error"),
    [
        (None, '"idp" must be an object'),
        (
            {"sso_url": "https://idp.acme.edu/sso", "x509cert": "MIIC"},
            '"entity_id" must be a non-empty string',
        ),
        ({"entity_id": "e", "x509cert": "MIIC"}, '"sso_url" must be an https address'),
        ({"entity_id": "e", "sso_url": "https://idp.acme.edu/sso"}, '"x509cert" must be a non-empty string'),
        (
            {"entity_id": "e", "metadata_url": "ftp://idp.acme.edu/md"},
            '"metadata_url" must be an https address',
        ),
    ],
)
def test_a_malformed_saml_idp_is_reported(idp, error):
    entry = {"id": "acme", "name": "Acme", "idp": idp}
    parsed = sso_settings.parse(saml_raw=json.dumps([entry]), environ={})
    assert parsed.saml == []
    assert any(error in message for message in parsed.errors), parsed.errors


def test_saml_advanced_switches_are_checked_and_passed_on():
    entry = {"id": "acme", "name": "Acme", "idp": {"entity_id": "e", "metadata_url": "https://x.org/md"}}
    good = sso_settings.parse(saml_raw=json.dumps([{**entry, "advanced": {"want_assertion_signed": True}}]))
    assert good.saml[0]["settings"]["advanced"] == {
        "reject_idp_initiated_sso": True,
        "want_assertion_signed": True,
    }
    bad = sso_settings.parse(saml_raw=json.dumps([{**entry, "advanced": {"want_assertions_signed": True}}]))
    assert bad.saml == [] and "unknown key want_assertions_signed" in bad.errors[0]


def test_the_system_check_reports_each_problem(settings):
    settings.SSO_OIDC_PROVIDERS = json.dumps([{**CONTOSO, "server_url": "http://evil.example"}])
    settings.SSO_SAML_PROVIDERS = "{"
    messages = sso_settings.check_sso_settings()
    assert [m.id for m in messages] == ["accounts.E101", "accounts.E101"]
    assert "server_url" in messages[0].msg and "not valid JSON" in messages[1].msg
    assert "docs/sso.md" in messages[0].hint


def test_the_system_check_is_quiet_for_a_good_configuration(settings):
    settings.SSO_OIDC_PROVIDERS = json.dumps([CONTOSO])
    settings.SSO_SAML_PROVIDERS = ""
    assert sso_settings.check_sso_settings() == []

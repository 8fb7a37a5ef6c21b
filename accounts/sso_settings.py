"""Single sign-on read from the environment (docs/sso.md).

``SSO_OIDC_PROVIDERS`` and ``SSO_SAML_PROVIDERS`` each hold a JSON list of organisations; this
module turns them into allauth's ``SOCIALACCOUNT_PROVIDERS``. ``config/settings.py`` imports it
before Django is set up, so it holds plain Python only, and it never raises: an organisation that
cannot be read is left out (no button, no sign-in), and ``manage.py check`` reports why
(``accounts.E101``, ``check_sso_settings`` below), so a typo in one organisation neither stops
the site nor signs anyone in through a half-read configuration.

An OpenID Connect organisation::

    {"id": "contoso", "name": "Contoso", "server_url": "https://login.microsoftonline.com/<tenant>/v2.0",
     "client_id": "…", "secret_env": "SSO_CONTOSO_SECRET", "domains": ["contoso.com"], "enforce": true}

A SAML organisation::

    {"id": "acme", "name": "Acme University",
     "idp": {"entity_id": "https://idp.acme.edu/", "sso_url": "https://idp.acme.edu/sso", "x509cert": "MIIC…"},
     "domains": ["acme.edu"]}
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core import checks

ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
LOOPBACK = {"localhost"}

# Keys each kind of organisation may carry; anything else is a typo worth reporting.
COMMON_KEYS = {"id", "name", "domains", "enforce", "link_by_email", "verified_email_domains"}
OIDC_KEYS = COMMON_KEYS | {"server_url", "client_id", "secret", "secret_env", "scope", "pkce"}
SAML_KEYS = COMMON_KEYS | {"idp", "sp_entity_id", "attribute_mapping", "advanced"}
# allauth's SAML "advanced" switches (allauth.socialaccount.providers.saml.utils) that may be set.
SAML_ADVANCED_KEYS = {
    "strict", "reject_idp_initiated_sso", "want_assertion_signed", "want_message_signed",
    "want_assertion_encrypted", "authn_request_signed", "logout_request_signed",
    "logout_response_signed", "metadata_signed", "x509cert", "private_key", "name_id_format",
    "digest_algorithm", "signature_algorithm", "want_attribute_statement", "want_name_id",
}  # fmt: skip


@dataclass
class Parsed:
    """What could be read: allauth's app entries per provider, and a sentence per problem."""

    oidc: list[dict[str, Any]] = field(default_factory=list)
    saml: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def socialaccount_providers(self) -> dict[str, dict[str, Any]]:
        """``SOCIALACCOUNT_PROVIDERS``: only the providers that have an organisation."""
        providers: dict[str, dict[str, Any]] = {}
        if self.oidc:
            providers["openid_connect"] = {"OAUTH_PKCE_ENABLED": True, "APPS": self.oidc}
        if self.saml:
            providers["saml"] = {"APPS": self.saml}
        return providers


def _is_url(value: Any, *, allow_loopback_http: bool = True) -> bool:
    """An https address; plain http only to this machine (a local test or development provider)."""
    if not isinstance(value, str) or not value:
        return False
    parts = urlsplit(value)
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    if parts.scheme != "http" or not allow_loopback_http:
        return False
    if parts.hostname in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def _text(entry: dict, key: str, where: str, errors: list[str], *, required: bool = True) -> str:
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        errors.append(f'{where}: "{key}" must be a non-empty string.')
        return ""
    return value.strip()


def _flag(entry: dict, key: str, where: str, errors: list[str], default: bool = False) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        errors.append(f'{where}: "{key}" must be true or false.')
        return default
    return value


def _domains(entry: dict, key: str, where: str, errors: list[str]) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        errors.append(f'{where}: "{key}" must be a list of email domains, e.g. ["example.org"].')
        return []
    domains = [d.strip().lower().lstrip("@") for d in value]
    bad = [d for d in domains if not DOMAIN.fullmatch(d)]
    if bad:
        errors.append(f'{where}: "{key}" has {", ".join(map(repr, bad))}, which is not an email domain.')
        return []
    return domains


def _common(entry: dict, where: str, errors: list[str]) -> tuple[str, str, dict[str, Any]]:
    """id, name, and the app settings every kind of organisation shares.

    An organisation that requires its own sign-in for its domains (``enforce``) is the authority
    for those addresses: by default its sign-in counts them as verified and opens the account that
    already has one (``link_by_email``), since its members can no longer sign in with a password
    to connect it themselves. Either can still be set explicitly."""
    ident = entry.get("id")
    if not isinstance(ident, str) or not ID.fullmatch(ident):
        errors.append(
            f'{where}: "id" must be lower-case letters, digits and hyphens (at most 40), e.g. "contoso".'
        )
        ident = ""
    name = _text(entry, "name", where, errors)
    domains = _domains(entry, "domains", where, errors)
    enforce = _flag(entry, "enforce", where, errors)
    if enforce and not domains:
        errors.append(f'{where}: "enforce" needs "domains": whose sign-in is it?')
    settings = {
        # Read by accounts.sso: whose email addresses belong to the organisation, and whether
        # those members must sign in here (their password sign-in is refused).
        "domains": domains,
        "enforce": enforce,
        # allauth: sign into an existing account with the same address only when the provider
        # says the address is verified (never for a merely matching address).
        "email_authentication": _flag(entry, "link_by_email", where, errors, default=enforce),
        # allauth: addresses in these domains count as verified even without an email_verified claim.
        "verified_email": (
            _domains(entry, "verified_email_domains", where, errors)
            if "verified_email_domains" in entry
            else domains
            if enforce
            else []
        )
        or False,
    }
    return ident, name, settings


def _unknown_keys(entry: dict, allowed: set[str], where: str, errors: list[str]) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        errors.append(f"{where}: unknown {'keys' if len(unknown) > 1 else 'key'} {', '.join(unknown)}.")


def _entries(raw: str, variable: str, errors: list[str]) -> list[tuple[str, dict]]:
    if not raw.strip():
        return []
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        errors.append(
            f"{variable} is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})."
        )
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        errors.append(f"{variable} must be a JSON list of organisations.")
        return []
    entries = []
    for index, entry in enumerate(value):
        where = f"{variable}[{index}]"
        if not isinstance(entry, dict):
            errors.append(f"{where} must be a JSON object.")
            continue
        if isinstance(entry.get("id"), str):
            where = f'{where} ("{entry["id"]}")'
        entries.append((where, entry))
    return entries


def _oidc(where: str, entry: dict, environ, errors: list[str]) -> dict[str, Any] | None:
    before = len(errors)
    _unknown_keys(entry, OIDC_KEYS, where, errors)
    ident, name, settings = _common(entry, where, errors)
    server_url = entry.get("server_url")
    if not _is_url(server_url):
        errors.append(
            f'{where}: "server_url" must be the issuer\'s https address, e.g. '
            '"https://login.microsoftonline.com/<tenant>/v2.0".'
        )
    client_id = _text(entry, "client_id", where, errors)
    secret = _text(entry, "secret", where, errors, required=False)
    if "secret_env" in entry:
        variable = _text(entry, "secret_env", where, errors)
        if secret:
            errors.append(f'{where}: give "secret" or "secret_env", not both.')
        elif variable and not environ.get(variable):
            errors.append(f'{where}: "secret_env" names {variable}, which is not set.')
        else:
            secret = environ.get(variable, "")
    scope = entry.get("scope")
    if scope is not None and (not isinstance(scope, list) or not all(isinstance(s, str) for s in scope)):
        errors.append(f'{where}: "scope" must be a list of scopes, e.g. ["openid", "profile", "email"].')
    pkce = _flag(entry, "pkce", where, errors, True)
    if len(errors) > before:
        return None
    settings |= {"server_url": server_url, "oauth_pkce_enabled": pkce}
    if scope:
        settings["scope"] = scope
    return {
        "provider_id": ident,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": settings,
    }


def _saml_idp(idp: Any, where: str, errors: list[str]) -> dict[str, Any]:
    if not isinstance(idp, dict):
        errors.append(
            f'{where}: "idp" must be an object with "entity_id" and either "metadata_url" or "sso_url" and "x509cert".'
        )
        return {}
    entity_id = _text(idp, "entity_id", f"{where}.idp", errors)
    if "metadata_url" in idp:
        if not _is_url(idp["metadata_url"]):
            errors.append(f'{where}.idp: "metadata_url" must be an https address.')
        return {"entity_id": entity_id, "metadata_url": idp["metadata_url"]}
    if not _is_url(idp.get("sso_url")):
        errors.append(f'{where}.idp: "sso_url" must be an https address (or give "metadata_url").')
    cert = _text(idp, "x509cert", f"{where}.idp", errors)
    result = {"entity_id": entity_id, "sso_url": idp.get("sso_url"), "x509cert": _bare_certificate(cert)}
    if "slo_url" in idp:
        if not _is_url(idp["slo_url"]):
            errors.append(f'{where}.idp: "slo_url" must be an https address.')
        result["slo_url"] = idp["slo_url"]
    return result


def _bare_certificate(cert: str) -> str:
    """The base64 body of a PEM certificate: pasted with or without its BEGIN/END lines."""
    return re.sub(r"-----(BEGIN|END) CERTIFICATE-----|\s", "", cert)


def _saml(where: str, entry: dict, errors: list[str]) -> dict[str, Any] | None:
    before = len(errors)
    _unknown_keys(entry, SAML_KEYS, where, errors)
    ident, name, settings = _common(entry, where, errors)
    settings["idp"] = _saml_idp(entry.get("idp"), where, errors)
    if "sp_entity_id" in entry:
        settings["sp"] = {"entity_id": _text(entry, "sp_entity_id", where, errors)}
    mapping = entry.get("attribute_mapping")
    if mapping is not None:
        if not isinstance(mapping, dict) or not all(
            isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v))
            for v in mapping.values()
        ):
            errors.append(
                f'{where}: "attribute_mapping" must map names to an attribute or a list of attributes.'
            )
        else:
            settings["attribute_mapping"] = mapping
    advanced = entry.get("advanced", {})
    if not isinstance(advanced, dict):
        errors.append(f'{where}: "advanced" must be an object.')
    else:
        _unknown_keys(advanced, SAML_ADVANCED_KEYS, f"{where}.advanced", errors)
        settings["advanced"] = {"reject_idp_initiated_sso": True, **advanced}
    if len(errors) > before:
        return None
    # allauth finds a SAML organisation by its client_id, the slug in its URLs (/accounts/saml/<id>/…).
    return {"provider_id": ident, "name": name, "client_id": ident, "settings": settings}


def parse(oidc_raw: str = "", saml_raw: str = "", environ=None) -> Parsed:
    """Both variables read together: an id names one organisation across OIDC and SAML (it is the
    provider of the member's linked identity), so a repeated id is an error for both."""
    environ = os.environ if environ is None else environ
    parsed = Parsed()
    seen: dict[str, str] = {}
    for kind, raw, variable in (
        ("oidc", oidc_raw, "SSO_OIDC_PROVIDERS"),
        ("saml", saml_raw, "SSO_SAML_PROVIDERS"),
    ):
        for where, entry in _entries(raw, variable, parsed.errors):
            app = (
                _oidc(where, entry, environ, parsed.errors)
                if kind == "oidc"
                else _saml(where, entry, parsed.errors)
            )
            if app is None:
                continue
            if app["provider_id"] in seen:
                parsed.errors.append(
                    f'{where}: the id "{app["provider_id"]}" is already used by {seen[app["provider_id"]]}.'
                )
                continue
            seen[app["provider_id"]] = where
            getattr(parsed, kind).append(app)
    return parsed


@checks.register(checks.Tags.security)
def check_sso_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``manage.py check`` (and runserver, migrate) says what in the SSO variables was left out.
    Registered here, where ``config/settings.py`` imports it, so it is there from the start."""
    from django.conf import settings

    parsed = parse(getattr(settings, "SSO_OIDC_PROVIDERS", ""), getattr(settings, "SSO_SAML_PROVIDERS", ""))
    return [
        checks.Error(
            error,
            hint="That organisation has no sign-in button until this is fixed; see docs/sso.md.",
            id="accounts.E101",
        )
        for error in parsed.errors
    ]

"""LTI Dynamic Registration (IMS LTI Dynamic Registration 1.0): the platform's administrator pastes
one URL and the platform and Reflect register each other.

The URL is made by a Reflect administrator (``manage.py lti_registration_url``): it carries a
signed, expiring token, so only platforms a Reflect administrator invited can register (an open
endpoint would let anyone make their own "platform"). The flow, in the platform's window:
Reflect reads the platform's OpenID configuration (with the platform's one-time registration
token), checks that it comes from the issuer it names, posts Reflect's tool configuration to the
platform's registration endpoint, and records the registration and deployment it gets back
(active; the courses it may use are still chosen by an administrator).

Written on the spec with ``requests`` rather than django-lti-dynamic-registration 0.1.2: that
package's message serialisation fails (``LtiMessage.to_dict``), it sets no timeouts and prints the
platform's answers, and its closing page is an inline script our CSP forbids. No JWT is involved."""

from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from lti import registrations

SALT = "lti.dynamic-registration"
TIMEOUT_SECONDS = 10
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]


class RegistrationFailed(Exception):
    """What the page says when the registration could not be made."""


def registration_url(*, days: int) -> str:
    token = signing.dumps({"days": days}, salt=SALT, compress=True)
    return f"{settings.SITE_URL}{reverse('lti:dynamic-registration', args=[token])}"


def check_invitation(token: str) -> None:
    try:
        data = signing.loads(token, salt=SALT)
        if int(data["days"]) < 1:
            raise signing.BadSignature("no days")
        signing.loads(token, salt=SALT, max_age=int(data["days"]) * 86400)
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise RegistrationFailed(
            _(
                "This registration link has expired or is not valid: ask your Reflect administrator for a new one."
            )
        ) from error


def tool_configuration() -> dict:
    base = settings.SITE_URL
    launch = f"{base}{reverse('lti:launch')}"
    messages = [
        {"type": "LtiResourceLinkRequest", "target_link_uri": launch, "label": settings.SITE_NAME},
        {
            "type": "LtiDeepLinkingRequest",
            "target_link_uri": launch,
            "label": f"Add a {settings.SITE_NAME} activity",
        },
    ]
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": f"{base}{reverse('lti:login')}",
        "redirect_uris": [launch],
        "client_name": settings.SITE_NAME,
        "jwks_uri": f"{base}{reverse('lti:jwks')}",
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIGURATION: {
            "domain": urlsplit(base).netloc,
            "target_link_uri": launch,
            "claims": ["iss", "sub", "name", "given_name", "family_name"],
            "messages": messages,
        },
    }


def _problems(what: str) -> dict[str, str]:
    """What the page says when the platform's answer to ``what`` ("configuration": the OpenID
    configuration; "registration") is not what the flow needs: whole sentences, each translated."""
    if what == "configuration":
        return {
            # Translators: status is an HTTP status code, e.g. 404.
            "refused": _("The platform refused OpenID configuration (HTTP %(status)s)."),
            "not_json": _("The platform's OpenID configuration is not JSON."),
            "not_object": _("The platform's OpenID configuration is not a JSON object."),
        }
    return {
        # Translators: status is an HTTP status code, e.g. 400.
        "refused": _("The platform refused the registration (HTTP %(status)s)."),
        "not_json": _("The platform's the registration is not JSON."),
        "not_object": _("The platform's the registration is not a JSON object."),
    }


def _json(response: requests.Response, what: str) -> dict:
    if not response.ok:
        raise RegistrationFailed(_problems(what)["refused"] % {"status": response.status_code})
    try:
        data = response.json()
    except ValueError as error:
        raise RegistrationFailed(_problems(what)["not_json"]) from error
    if not isinstance(data, dict):
        raise RegistrationFailed(_problems(what)["not_object"])
    return data


def register(*, openid_configuration: str, registration_token: str):
    """Run the flow; returns the registration made (or updated)."""
    if urlsplit(openid_configuration).scheme not in {"http", "https"} or not registration_token:
        raise RegistrationFailed(_("Open this link from your learning platform's tool registration page."))
    auth = {"Authorization": f"Bearer {registration_token}"}
    try:
        config = _json(
            requests.get(openid_configuration, headers=auth, timeout=TIMEOUT_SECONDS), "configuration"
        )
        issuer = str(config.get("issuer") or "")
        if not issuer or not openid_configuration.startswith(issuer):
            raise RegistrationFailed(
                _("The platform's configuration does not come from the issuer it names.")
            )
        needed = ["authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint"]
        if missing := [name for name in needed if not config.get(name)]:
            raise RegistrationFailed(
                # Translators: fields lists OpenID configuration field names, e.g. "jwks_uri, token_endpoint".
                _("The platform's configuration lacks %(fields)s.") % {"fields": ", ".join(missing)}
            )
        answer = _json(
            requests.post(
                config["registration_endpoint"],
                json=tool_configuration(),
                headers=auth,
                timeout=TIMEOUT_SECONDS,
            ),
            "registration",
        )
    except requests.RequestException as error:
        raise RegistrationFailed(_("The platform could not be reached.")) from error
    client_id = str(answer.get("client_id") or "")
    if not client_id:
        raise RegistrationFailed(_("The platform did not give Reflect a client id."))
    platform = config.get(PLATFORM_CONFIGURATION) or {}
    registration, _created = registrations.register_platform(
        name=f"{platform.get('product_family_code') or issuer} ({issuer})"[:255],
        issuer=issuer,
        client_id=client_id,
        deployment_id=str((answer.get(TOOL_CONFIGURATION) or {}).get("deployment_id") or ""),
        auth_url=config["authorization_endpoint"],
        token_url=config["token_endpoint"],
        keyset_url=config["jwks_uri"],
        audience=str(config.get("authorization_server") or ""),
    )
    return registration

"""Who may show Reflect in a frame. Everything else keeps ``X-Frame-Options: DENY`` and
``frame-ancestors 'none'`` (config/settings.py).

A launched session (one that began with a launch from a registered platform) may be framed by
that platform: the origins of its issuer and auth URL, those listed in its settings
(``Platform.frame_origins``), and the origins the launch's signed claims name for the platform's
pages (``launch_presentation.return_url``, ``tool_platform.url``). They are worked out once, at the
launch, and kept in the session, so a page costs no query for them.

``LaunchedFrameMiddleware`` applies them to every response of such a session, and sets the
session and CSRF cookies ``SameSite=None; Secure`` over HTTPS, so they reach Reflect inside the
platform's (cross-site) iframe. The login initiation and launch pages carry their own list
(``response.lti_frame_ancestors``), as no session is launched yet."""

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from lti_tool.models import LtiRegistration

SESSION_KEY = "lti_frame_ancestors"
_HOST = re.compile(r"[a-z0-9.-]+|\[[0-9a-f:.]+\]")


def origin(url: str | None) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, or None: nothing else reaches the header."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if not _HOST.fullmatch(host):
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def _origins(urls: Iterable[str | None]) -> list[str]:
    return sorted({found for url in urls if (found := origin(url))})


def registration_origins(registration: LtiRegistration) -> list[str]:
    platform = getattr(registration, "reflect_platform", None)
    extra = platform.frame_origins.split() if platform is not None else []
    return _origins([registration.issuer, registration.auth_url, *extra])


def every_registration_origins() -> list[str]:
    """For pages shown before the registration is known (a refused launch)."""
    registrations = LtiRegistration.objects.active().select_related("reflect_platform")
    return sorted({found for registration in registrations for found in registration_origins(registration)})


def launch_origins(registration: LtiRegistration, launch_data: dict) -> list[str]:
    presentation = launch_data.get("https://purl.imsglobal.org/spec/lti/claim/launch_presentation") or {}
    platform = launch_data.get("https://purl.imsglobal.org/spec/lti/claim/tool_platform") or {}
    named = _origins([presentation.get("return_url"), platform.get("url")])
    return sorted({*registration_origins(registration), *named})


class LaunchedFrameMiddleware:
    """Between WhiteNoise and the session middleware: on the way out it runs after the session
    cookie and ``X-Frame-Options`` are set, and before django-csp writes the policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        ancestors = getattr(response, "lti_frame_ancestors", None)
        if ancestors is None:
            session = getattr(request, "session", None)
            ancestors = session.get(SESSION_KEY) if session is not None else None
        if not ancestors:
            return response
        response._csp_replace = {
            **(getattr(response, "_csp_replace", None) or {}),
            "frame-ancestors": ancestors,
        }
        if "X-Frame-Options" in response:
            del response["X-Frame-Options"]
        if request.is_secure():
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["samesite"] = "None"
                    response.cookies[name]["secure"] = True
        return response

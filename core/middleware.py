"""Small middleware that keeps failures polite: headers every response carries, requests with NUL
characters turned away with a 400, and a database outage answered with a 503 page that gives the
member back what they typed.

Order in settings.MIDDLEWARE: ``PermissionsPolicyMiddleware`` and ``RejectNulMiddleware`` right
after SecurityMiddleware (before sessions, so a bad request never reaches the database);
``DatabaseUnavailableMiddleware`` last, so its ``process_exception`` sees a view's error first.
A database error raised by another middleware (before any view) reaches ``config.views.server_error``
(handler500), which answers with the same 503 page.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30

# --- Headers --------------------------------------------------------------------------------------


class PrivatePagesMiddleware:
    """What a signed-in member is shown is theirs: ``Cache-Control: private`` on every response to
    them, so no shared cache (a workshop's office proxy) keeps it; and every download (an
    attachment: a learning log, a member's data, a CSV of learners) ``private, no-store``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Disposition", "").startswith("attachment"):
            patch_cache_control(response, private=True, no_store=True)
        elif (user := getattr(request, "user", None)) is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


class DevelopmentNotFoundMiddleware:
    """With DEBUG on (``make run``), an address that matches nothing gets the real 404 page, as in
    production, not Django's debug page listing every route; errors keep the debug page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not response.streaming
            and b"NONE,NOARCHIVE" in response.content[:2000]
        ):
            return render(request, "404.html", status=404)
        return response


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response: Reflect never needs the camera, the microphone or
    the member's location, so no page (or anything injected into one) may ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# --- NUL characters -------------------------------------------------------------------------------

NUL = "\x00"
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _has_nul(pairs) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


def nul_in_request(request: HttpRequest) -> str:
    """Where a NUL character was sent ("address", "form"), or "" if nowhere. PostgreSQL cannot
    store or compare text containing NUL, so such a value would otherwise fail as a 500."""
    if NUL in request.path or NUL in request.path_info or _has_nul(request.GET.lists()):
        return "address"
    is_form = request.method == "POST" and request.content_type in FORM_CONTENT_TYPES
    if is_form and _has_nul(request.POST.lists()):
        return "form"
    return ""


def multipart_cut_short(request: HttpRequest) -> bool:
    """A multipart form (up to the size Django reads into memory) whose body stops before its
    closing boundary: Django would take the fields it got as the whole form and save a post cut
    short. Larger bodies (file uploads) are left to Django's own parser."""
    if request.method != "POST" or request.content_type != "multipart/form-data":
        return False
    boundary = request.content_params.get("boundary", "")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    if not boundary or length > (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0):
        return False
    return not request.body.rstrip(b"\r\n").endswith(b"--" + boundary.encode("latin-1", "replace") + b"--")


class RejectNulMiddleware:
    """400 for a NUL character (``%00``, ``\\0``) in the path, the query string or a posted form
    field, and for a multipart form cut short (``multipart_cut_short``), before any view (or the
    database) sees it. Forms reject NUL themselves (Django's
    ProhibitNullCharactersValidator); this covers URL parameters and views that read request.POST."""

    MESSAGES = {
        "address": _("The web address contains a character that can’t be used (a NUL character)."),
        "form": _(
            "Something you sent contains a character that can’t be used (a NUL character, "
            "which can come from pasting from some programs). Remove it and send it again."
        ),
        "incomplete": _(
            "What you sent arrived incomplete (the connection may have dropped). "
            "Go back and send it again: your text is still in the form."
        ),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if multipart_cut_short(request):
            logger.info("Refused a multipart request whose body ends before its closing boundary")
            return render(request, "400.html", {"message": self.MESSAGES["incomplete"]}, status=400)
        where = nul_in_request(request)
        if where:
            logger.info("Refused a request with a NUL character in its %s: %s", where, request.method)
            return render(request, "400.html", {"message": self.MESSAGES[where]}, status=400)
        return self.get_response(request)


# --- Database outage -----------------------------------------------------------------------------

# POST fields that hold words a member typed (by name; a form prefix such as "reply-" is ignored).
TYPED_TEXT_FIELDS = {
    "body": _("Your text"),
    "content": _("Your text"),
    "reason": _("Your reason"),
    "note": _("Your note"),
    "bio": _("Your bio"),
    "display_name": _("Your display name"),
    "title": _("Your title"),
}
# Never echoed back or carried in the retry form, whatever the field is called.
SECRET_FIELD_HINTS = ("password", "csrf", "token", "secret", "otp", "code")


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def _is_secret(name: str) -> bool:
    return any(hint in name.lower() for hint in SECRET_FIELD_HINTS)


def typed_text(request: HttpRequest) -> tuple[list[dict], list[tuple[str, str]]]:
    """(text fields to show back, other fields to carry in the retry form) of a posted form."""
    if request.method != "POST" or request.content_type not in FORM_CONTENT_TYPES:
        return [], []
    shown, hidden = [], []
    for name, values in request.POST.lists():
        if _is_secret(name):
            continue
        label = TYPED_TEXT_FIELDS.get(name.rsplit("-", 1)[-1])
        for value in values:
            if label and value.strip():
                shown.append({"name": name, "label": label, "value": value, "id": f"kept-{len(shown)}"})
            elif not label:
                hidden.append((name, value))
    return shown, hidden


def database_unavailable_response(request: HttpRequest, error: BaseException | None = None) -> HttpResponse:
    """The 503 page, rendered without touching the database: a standalone template, no context
    processors (so no user lookup), with the member's typed text back in textareas and a form that
    posts it again (with its other fields, e.g. the key that makes a double post harmless)."""
    try:
        shown, hidden = typed_text(request)
    except Exception:  # a body that cannot be read must not turn the 503 into a 500
        shown, hidden = [], []
    logger.error(
        "Database unavailable (%s): answered 503 to %s %s%s",
        error.__class__.__name__ if error else "error",
        request.method,
        request.path,
        f", {len(shown)} text field(s) shown back" if shown else "",
    )
    context = {
        "kept": shown,
        "hidden_fields": hidden,
        "retry_url": request.get_full_path(),
        "csrf_token": get_token(request) if shown else "",
        "retry_after": RETRY_AFTER_SECONDS,
        "SITE_NAME": settings.SITE_NAME,
    }
    response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view (or its template) that meets a database outage answers 503 with ``Retry-After`` and
    the member's text, instead of a 500 that loses it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            return database_unavailable_response(request, exception)
        return None

import zoneinfo

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.middleware import get_user
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from accounts.backends import REPLACED_BACKENDS, session_key_in_use

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


class UserTimezoneMiddleware:
    """Show every timestamp in the signed-in member's own time zone, and every page in their own
    language when they chose one (else LocaleMiddleware's: the browser's, else LANGUAGE_CODE).
    Both come with the member's row, which this reads anyway: no query of their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if isinstance(getattr(request, "user", None), SimpleLazyObject):
            # This middleware reads the member anyway: from here on ``request.user`` is the member
            # itself, as after ``login()``, not a lazy proxy that every attribute read goes through
            # (a list page reads it thousands of times). Same object: ``get_user`` keeps it on the
            # request (``_cached_user``) for the proxy too.
            session = getattr(request, "session", None)
            if session is not None and (path := session.get(BACKEND_SESSION_KEY)) in REPLACED_BACKENDS:
                session[BACKEND_SESSION_KEY] = REPLACED_BACKENDS[path]  # signed in before accounts.backends
            with session_key_in_use(getattr(session, "session_key", None)):
                request.user = get_user(request)
        user = request.user if hasattr(request, "user") else None
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language in LANGUAGE_CODES:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

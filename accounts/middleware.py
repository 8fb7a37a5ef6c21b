import zoneinfo

from django.contrib.auth.middleware import get_user
from django.utils import timezone
from django.utils.functional import SimpleLazyObject


class UserTimezoneMiddleware:
    """Show every timestamp in the signed-in member's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if isinstance(getattr(request, "user", None), SimpleLazyObject):
            # This middleware reads the member anyway: from here on ``request.user`` is the member
            # itself, as after ``login()``, not a lazy proxy that every attribute read goes through
            # (a list page reads it thousands of times). Same object: ``get_user`` keeps it on the
            # request (``_cached_user``) for the proxy too.
            request.user = get_user(request)
        user = request.user if hasattr(request, "user") else None
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)

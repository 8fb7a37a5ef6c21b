from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    from community.permissions import is_moderator  # late: apps are loaded by the time this runs

    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "viewer_moderates": bool(user is not None and is_moderator(user)),
    }

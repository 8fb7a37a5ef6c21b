from django.conf import settings
from django.http import HttpRequest

from accounts.roles import is_moderator


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "viewer_moderates": bool(user is not None and is_moderator(user)),
    }

from django.conf import settings
from django.http import HttpRequest

from accounts.roles import is_moderator, reads_community
from core import release


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "JS_CATALOG_VERSION": release.digest(),  # the script catalogue's address changes with a deploy
        "viewer_moderates": bool(user is not None and is_moderator(user)),
        # Search reads the community: the header offers it to those who may (not a box that
        # only sends an anonymous visitor to sign in).
        "viewer_searches": bool(user is not None and reads_community(user)),
    }

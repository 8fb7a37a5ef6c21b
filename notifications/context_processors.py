from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications import services


def unread(request: HttpRequest) -> dict:
    """``unread_notifications`` for the header: one small query, and only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: services.unread_count(user))}

"""Per-member rate limits for writing actions: the one place views ask "is this too fast?".

Rates live in settings (``RATE_LIMITS``, and the stricter ``NEW_ACCOUNT_RATE_LIMITS`` for accounts
younger than ``NEW_ACCOUNT_AGE_HOURS``), overridable from the environment. Counters are kept by
django-ratelimit in the cache alias ``settings.RATELIMIT_USE_CACHE`` ("ratelimits": its own Redis,
``REDIS_RATELIMIT_URL``, apart from the evictable default cache); ``RATELIMIT_ENABLE=false``
switches every limit off.

A view calls ``is_rate_limited(request, "post")`` once per attempt, before doing the work, and when
it answers True re-renders the form (keeping the member's text) with
``components/rate_limited_notice.html`` and status 429, or renders ``429.html`` (``too_fast``).
"""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

TOO_MANY_REQUESTS = 429


def _is_new_account(user) -> bool:
    joined = getattr(user, "date_joined", None)
    return joined is None or timezone.now() - joined < timedelta(hours=settings.NEW_ACCOUNT_AGE_HOURS)


def is_rate_limited(request: HttpRequest, action: str) -> bool:
    """Count one ``action`` ("post", "reply", "like", "report") by this member; True if over the limit.

    Every call counts, so call it once per attempt. Counters are per member and per action; a
    signed-out caller is counted by IP address at the new-account rate.
    """
    if action not in settings.RATE_LIMITS:
        raise ValueError(f"Unknown rate-limited action {action!r}; add it to RATE_LIMITS in settings.")
    user = request.user
    new = not user.is_authenticated or _is_new_account(user)
    rate = (settings.NEW_ACCOUNT_RATE_LIMITS if new else settings.RATE_LIMITS)[action]
    return is_ratelimited(request, group=f"reflect:{action}", key="user_or_ip", rate=rate, increment=True)


def too_fast(request: HttpRequest) -> HttpResponse:
    """The friendly "You're going a little fast" page, status 429 (for actions without a form)."""
    return render(request, "429.html", status=TOO_MANY_REQUESTS)

"""A member's language and time zone outside a request: emails, digests and exports made in the
worker are rendered in the recipient's language and zone (decision 111)."""

import contextlib
import zoneinfo
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone, translation


def member_language(user) -> str:
    """The member's chosen language, else the site's (a worker has no browser to ask)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def recipient_zone(user, course=None) -> zoneinfo.ZoneInfo:
    """The member's zone if they (or their browser) set one; else the course's, for mail about a
    course; else the site's default the member's row holds."""
    name = user.time_zone
    if not getattr(user, "time_zone_set", True) and course is not None and getattr(course, "time_zone", ""):
        name = course.time_zone
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@contextlib.contextmanager
def as_recipient(user, course=None) -> Iterator[None]:
    """Render what ``user`` receives in their language and zone."""
    with translation.override(member_language(user)), timezone.override(recipient_zone(user, course)):
        yield

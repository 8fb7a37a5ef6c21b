"""A genuine workshop participant is never stopped: an account made today posts and replies at a
live workshop's pace (30 posts and replies in two hours, in bursts) with the rates as shipped,
while a script is still stopped well before it floods a space."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from core.ratelimits import is_rate_limited

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.RATELIMIT_ENABLE = True
    for cache in caches.all():
        cache.clear()


def test_a_new_member_in_a_live_workshop_is_never_stopped(user):
    """Within the first hour: 10 reflections and 20 replies (the busiest a participant gets)."""
    request = _request(user)
    limited = [is_rate_limited(request, "post") for _ in range(10)]
    limited += [is_rate_limited(request, "reply") for _ in range(20)]
    assert not any(limited)


def test_a_script_is_still_stopped(user):
    request = _request(user)
    assert any(is_rate_limited(request, "post") for _ in range(40))
    assert any(is_rate_limited(request, "reply") for _ in range(80))

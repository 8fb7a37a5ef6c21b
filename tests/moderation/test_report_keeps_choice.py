"""WCAG 2.2 SC 3.3.7 Redundant Entry: a report that comes back (too fast, or without a reason) keeps
the reason chosen and the note written; the member never chooses or types them again."""

import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import make_reflection

pytestmark = pytest.mark.django_db


def checked_reasons(html: str) -> list[str]:
    tags = re.findall(r'<input[^>]*name="reason"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in tags if " checked" in tag]


def test_a_report_sent_too_fast_comes_back_with_its_reason_chosen(auth_client, settings):
    cache.clear()
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "1/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = settings.RATE_LIMITS
    first, second = make_reflection(), make_reflection()
    auth_client.post(reverse("moderation:report", args=[first.pk]), {"reason": "spam"})
    response = auth_client.post(
        reverse("moderation:report", args=[second.pk]), {"reason": "harassment", "note": "Twice now."}
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert checked_reasons(response.text) == ["harassment"]
    assert "Twice now." in response.text
    cache.clear()

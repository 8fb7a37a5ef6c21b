"""A member's time zone from their browser, once (issue 26, decision 111): static/js/time-zone.js
posts the zone Chromium reports; a zone chosen later is never replaced, and the script stops."""

import pytest
from playwright.sync_api import Page

from accounts.models import User
from tests.browser.helpers import log_in


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": "Asia/Dubai"}


def _zone(user) -> tuple[str, bool]:
    user.refresh_from_db()
    return user.time_zone, user.time_zone_set


def test_the_browsers_zone_is_kept_once(page: Page, live_server, user):
    assert not user.time_zone_set
    with page.expect_response(lambda response: response.url.endswith("/accounts/time-zone/")) as posted:
        log_in(page, live_server, user)  # the first page after signing in reports the zone
    assert posted.value.status == 204
    assert _zone(user) == ("Asia/Dubai", True)
    page.reload()
    assert page.locator("script[src*='time-zone.js']").count() == 0  # asked once
    User.objects.filter(pk=user.pk).update(time_zone="Africa/Lagos")  # chosen later
    page.goto(f"{live_server.url}/accounts/profile/")
    assert _zone(user) == ("Africa/Lagos", True)

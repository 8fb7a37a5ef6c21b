"""Playwright drives Debian's Chromium (Playwright's own browser download is not used)."""

import pytest

from community import services
from tests.browser.helpers import let_requests_finish, track_requests
from tests.conftest import BROWSER_MISSING, CHROMIUM
from tests.factories import make_lesson

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if BROWSER_MISSING:
        pytest.fail(f"Chromium is required for browser tests under CI but {CHROMIUM} is missing.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    # The site's default zone: static/js/time-zone.js reports it on a member's first page (issue 26),
    # so the times a journey reads stay those of TIME_ZONE whatever the machine's zone.
    return {
        **browser_context_args,
        "viewport": {"width": 1100, "height": 900},
        "timezone_id": "Europe/London",
    }


@pytest.fixture
def page(page, transactional_db):
    """The test's page, closed before the database is emptied: set up after ``transactional_db``,
    so torn down before it. Requests still in flight (a draft's autosave, an htmx swap) are let
    finish first: a live-server request writing while the flush truncates its tables deadlocks."""
    page.set_default_timeout(10_000)
    in_flight = track_requests(page)
    yield page
    let_requests_finish(page, in_flight)


@pytest.fixture
def lesson(transactional_db):
    return make_lesson(title="Take responsibility for mistakes", slug="take-responsibility")


@pytest.fixture
def prompt(lesson, facilitator):
    return services.create_prompt(
        lesson=lesson,
        author=facilitator,
        title="What lets a workplace learn from its mistakes?",
        body="Think of a time a mistake was handled **well**.",
    )

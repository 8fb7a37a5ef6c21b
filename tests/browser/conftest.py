"""Playwright drives Debian's Chromium (Playwright's own browser download is not used)."""

import pytest

from community import services
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
    return {**browser_context_args, "viewport": {"width": 1100, "height": 900}}


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


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

import os
import shutil

import pytest

from accounts import roles
from tests.factories import make_user

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BROWSER_MISSING = shutil.which(CHROMIUM) is None
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if BROWSER_MISSING and not IN_CI:
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


def pytest_terminal_summary(terminalreporter):
    if BROWSER_MISSING and not IN_CI:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            f"No Chromium at {CHROMIUM}. Install it with `sudo apt-get install chromium` "
            "(or set CHROMIUM_PATH) to run the browser tests.",
            red=True,
        )


@pytest.fixture
def user(db):
    return make_user(handle="amara", display_name="Amara Osei", email="amara@example.com")


@pytest.fixture
def other_user(db):
    return make_user(handle="ben", display_name="Ben Carter", email="ben@example.com")


@pytest.fixture
def facilitator(db):
    return make_user(
        role=roles.FACILITATOR, handle="fran", display_name="Fran Okafor", email="fran@example.com"
    )


@pytest.fixture
def moderator(db):
    return make_user(role=roles.MODERATOR, handle="mo", display_name="Mo Reyes", email="mo@example.com")


@pytest.fixture
def auth_client(client, user):
    client.force_login(user)
    return client

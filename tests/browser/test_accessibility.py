"""axe-core (vendored from the npm package axe-core 4.14.1, tests/browser/vendor/) checks the main
pages for serious and critical accessibility problems: labels, contrast, names, landmarks."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from accounts.models import User
from community.models import Reflection
from demo.members import DEMO_PASSWORD
from tests.browser.helpers import log_in

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
LESSON = "/courses/professional-courage-and-influence/lessons/take-responsibility-for-mistakes/"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", force=True, stdout=io.StringIO())


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/"),
        (None, "/accounts/login/"),
        (None, "/accounts/signup/"),
        ("learner@example.com", "/courses/professional-courage-and-influence/"),  # progress, marks
        ("learner@example.com", LESSON),
        ("learner@example.com", LESSON + "community/"),
        ("learner@example.com", "/accounts/profile/"),
        ("learner@example.com", "/me/learning-log/"),
        ("moderator@example.com", "/moderation/"),
        # Follow-through (issue 25): the library and the Lesson 5 summary below its prompt.
        ("facilitator@example.com", "/facilitate/library/"),
        ("facilitator@example.com", "/facilitate/"),
        (
            "learner@example.com",
            "/courses/professional-courage-and-influence/lessons/giving-and-receiving-difficult-feedback/community/",
        ),
    ],
)
def test_pages_have_no_serious_accessibility_problems(browser: Browser, live_server, demo, who, path):
    # axe is injected by the test, so this context lets it past our Content Security Policy.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        if who:
            log_in(page, live_server, User.objects.get(email=who), DEMO_PASSWORD)
        page.goto(f"{live_server.url}{path}")
        assert serious_violations(page) == []
    finally:
        context.close()


def test_the_reply_page_is_accessible_too(browser: Browser, live_server, demo):
    post = Reflection.objects.filter(thread__isnull=True).first()
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, User.objects.get(email="learner2@example.com"), DEMO_PASSWORD)
        page.goto(f"{live_server.url}/posts/{post.pk}/reply/")
        assert serious_violations(page) == []
    finally:
        context.close()

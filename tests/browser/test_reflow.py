"""Reflow (WCAG 1.4.10, issue 21 item 17): at 320 CSS px no page scrolls sideways, for every role's
main pages (learner, facilitator, moderator). A wide table may scroll inside its own box; the page
itself never does."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser

from accounts.models import User
from community.models import Prompt, Reflection
from demo.members import DEMO_PASSWORD
from lessons.models import Course
from tests.browser.helpers import log_in

COURSE = "/courses/professional-courage-and-influence/"
LESSON = COURSE + "lessons/take-responsibility-for-mistakes/"

OVERFLOW = """() => {
    const root = document.documentElement;
    const wide = [...document.querySelectorAll("body *")].filter(e => {
        const r = e.getBoundingClientRect();
        return r.width && r.right > root.clientWidth + 1 && getComputedStyle(e).visibility !== "hidden";
    }).slice(0, 5).map(e => e.tagName.toLowerCase() + "." + [...e.classList].join(".") + " right=" +
        Math.round(e.getBoundingClientRect().right));
    return {scroll: root.scrollWidth, client: root.clientWidth, wide};
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", force=True, stdout=io.StringIO())


def role_pages(who: str) -> list[str]:
    if who == "learner@example.com":
        return ["/", COURSE, LESSON, LESSON + "community/", "/accounts/profile/", "/me/learning-log/"]
    prompt = Prompt.objects.filter(lesson__course__slug="professional-courage-and-influence").first()
    post = Reflection.objects.filter(prompt=prompt, thread__isnull=True).first()
    if who == "facilitator@example.com":
        course = Course.objects.get(slug="professional-courage-and-influence")
        return [
            "/facilitate/",
            reverse("lessons:invite", args=[course.slug]),
            reverse("insights:activity", args=[prompt.pk]),
            reverse("insights:nudge", args=[prompt.pk]),
            LESSON + "community/",
            COURSE,
        ]
    return [
        "/moderation/",
        "/moderation/log/",
        reverse("moderation:post", args=[post.pk]),
        reverse("moderation:history", args=[post.pk]),
        reverse("moderation:member", args=[post.author.handle]),
        LESSON + "community/",
    ]


@pytest.mark.parametrize("who", ["learner@example.com", "facilitator@example.com", "moderator@example.com"])
def test_no_page_scrolls_sideways_at_320_px(browser: Browser, live_server, demo, who):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, User.objects.get(email=who), DEMO_PASSWORD)
        failures = {}
        for path in role_pages(who):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, f"{path} answered {response.status}"
            found = page.evaluate(OVERFLOW)
            assert found["client"] == 320
            if found["scroll"] > found["client"]:
                failures[path] = found
        assert failures == {}, f"pages scroll sideways at 320 px: {failures}"
    finally:
        context.close()

"""Issue 24's journey: two members in one space. One posts; the other, reading and half-way
through their own reflection, is told "1 new reflection" within seconds, presses "Show", and the
post appears in place with focus on it, their text untouched, axe finding nothing; a member who is
mentioned sees the header's count rise, without a reload (under the site's Content Security
Policy)."""

import re

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, Page, expect

from community import services
from community.models import Reflection
from tests.browser.helpers import log_in, space_url
from tests.browser.test_accessibility import AXE

pytestmark = pytest.mark.skipif("live" not in django_settings.INSTALLED_APPS, reason="live not installed yet")


def axe_violations(page: Page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]]  # fmt: skip


def test_a_colleagues_post_is_announced_and_shown_in_place(
    browser: Browser, page: Page, live_server, lesson, prompt, user, other_user, settings
):
    settings.LIVE_POLL_SECONDS = 1  # every 30 s on the site; the journey need not wait that long
    earlier = services.create_reflection(prompt=prompt, author=user, body="Naming the mistake early helps.")

    # Amara reads the space, half-way through a second thought. (axe is injected by the test, so
    # her context lets it past the Content Security Policy; Ben's keeps it.)
    # She has asked for less motion: the posts arrive without the tint's animation.
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1100, "height": 900}, reduced_motion="reduce"
    )
    reader = context.new_page()
    reader.set_default_timeout(10_000)
    try:
        log_in(reader, live_server, user)
        reader.goto(space_url(live_server, lesson))
        composer = reader.get_by_role("textbox", name="Your reflection")
        composer.fill("And then, half a thought")
        news = reader.locator("#live-news")
        expect(news).to_have_attribute("role", "status")
        expect(news).to_have_text("")

        # Ben posts from his own browser.
        log_in(page, live_server, other_user)
        page.goto(space_url(live_server, lesson))
        page.get_by_role("textbox", name="Your reflection").fill("Our team keeps a blameless log.")
        page.get_by_role("button", name="Post reflection").click()
        expect(page.locator(".post__body", has_text="blameless log")).to_be_visible()
        bens = Reflection.objects.get(author=other_user)

        expect(news).to_contain_text("1 new reflection", timeout=5_000)
        assert reader.locator(f"#post-{bens.pk}").count() == 0  # never inserted unasked
        scrolled = reader.evaluate("window.scrollY")
        reader.get_by_role("button", name="Show").click()
        arrived = reader.locator(f"#post-{bens.pk}")
        expect(arrived).to_be_visible()
        expect(arrived).to_be_focused()
        expect(arrived).to_contain_text("Our team keeps a blameless log.")
        assert arrived.evaluate("(post) => getComputedStyle(post).animationName") == "none"
        # Where the space page would print it: after the thread that was there first.
        order = reader.locator("#threads > .thread").evaluate_all("(ts) => ts.map((t) => t.id)")
        assert order == [f"thread-{earlier.pk}", f"thread-{bens.pk}"]
        expect(news).to_have_text("")
        expect(composer).to_have_value("And then, half a thought")
        assert reader.evaluate("window.scrollY") >= scrolled  # no jump back to the top
        assert axe_violations(reader) == []

        # Amara replies to Ben and mentions him: his header counts it, without a reload.
        bell = page.locator(".notifications-link")
        expect(bell).to_have_attribute("aria-label", "Notifications")
        services.create_reflection(prompt=prompt, author=user, parent=bens, body="@ben how did you start it?")
        expect(bell).to_have_attribute("aria-label", re.compile(r"Notifications, 1 unread"), timeout=5_000)
        expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
        # …and his space says so too, since the reply is news there.
        expect(page.locator("#live-news")).to_contain_text("1 new reply", timeout=5_000)
        page.get_by_role("button", name="Show").click()
        reply = Reflection.objects.get(parent=bens)
        shown = page.locator(f"#replies-{bens.pk} #post-{reply.pk}")
        expect(shown).to_be_focused()
        assert shown.evaluate("(post) => getComputedStyle(post).animationName") == "live-arrived"
    finally:
        context.close()

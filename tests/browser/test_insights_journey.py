"""A facilitator sees who has not reflected, nudges them, and watches the response rate rise."""

import re

from playwright.sync_api import Browser, expect

from community import services
from tests.browser.helpers import log_in, space_url
from tests.browser.test_accessibility import serious_violations


def test_facilitator_nudges_a_learner_who_then_reflects(browser: Browser, live_server, lesson, prompt, facilitator,
                                                        user, other_user, settings):  # fmt: skip
    settings.NOTIFY_EMAIL_DELAY_SECONDS = 0
    lesson.course.cohorts.get().facilitators.add(facilitator)  # Fran runs the cohort: not a learner
    services.create_reflection(prompt=prompt, author=other_user, body="Ben has already reflected.")

    # axe is injected by the test, so the facilitator's context lets it past the CSP.
    fran = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    amara = browser.new_context(viewport={"width": 420, "height": 900})
    try:
        page = fran.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, facilitator)
        page.goto(space_url(live_server, lesson))
        page.get_by_role("link", name="Insights", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Insights: {prompt.title}")
        waiting = page.locator("#not-reflected")
        expect(waiting.get_by_role("heading")).to_have_text("Not yet reflected (1)")
        expect(waiting.get_by_role("row", name=re.compile("Amara Osei"))).to_contain_text("Never opened it")
        expect(page.locator('[data-figure="response-rate"]')).to_have_text("50%")
        assert serious_violations(page) == []

        waiting.get_by_role("link", name="Send a reminder").click()
        expect(page.get_by_role("checkbox", name="Amara Osei")).to_be_checked()
        message = page.get_by_role("textbox", name="Message")
        message.fill("Amara, your colleagues are keen to hear how your team handles mistakes.")
        page.get_by_role("button", name="Preview").click()
        expect(page.locator(".nudge-preview")).to_contain_text("your colleagues are keen to hear")
        expect(page.get_by_role("textbox", name="Message")).to_have_value(re.compile("keen to hear"))
        assert serious_violations(page) == []
        page.get_by_role("button", name="Send reminder").click()
        expect(page.locator(".messages")).to_contain_text("Reminder sent to 1 learner.")
        expect(page.get_by_role("heading", name="Reminders sent")).to_be_visible()

        # Amara hears about it, follows the notice to the activity and reflects.
        learner = amara.new_page()
        learner.set_default_timeout(10_000)
        log_in(learner, live_server, user)
        learner.get_by_role("link", name="Notifications, 1 unread").click()
        learner.get_by_role("link", name=re.compile("Fran Okafor sent a reminder")).click()
        learner.get_by_role("textbox", name="Your reflection").fill(
            "We hold a short, blameless review: what happened, what helped, what we change."
        )
        learner.get_by_role("button", name="Post reflection").click()
        expect(learner.locator(".post__body", has_text="blameless review")).to_be_visible()

        # Back on the insight: Amara has moved to the reflected, the rate has risen.
        page.reload()
        expect(page.locator('[data-figure="response-rate"]')).to_have_text("100%")
        expect(page.locator("#not-reflected")).to_contain_text("Everyone has reflected.")
        row = page.locator("#learners").get_by_role("row", name=re.compile("Amara Osei"))
        expect(row.get_by_role("cell").nth(1)).to_have_text("1")  # reflections
    finally:
        fran.close()
        amara.close()

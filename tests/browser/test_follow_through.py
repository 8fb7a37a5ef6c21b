"""The follow-through (issue 25) in a real browser, with and without JavaScript, at 360 px: a
colleague declines an offer with one click ("Kwame is waiting to hear from you"); the facilitator
switches on "Every reflection gets a response", publishes a summary quoting a reflection (pinned
below the prompt) and saves the activity to the library, then runs it in another lesson. axe is
clean on each page and nothing scrolls sideways."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from community import services as community
from community.models import Prompt
from facilitation import services
from facilitation.models import HeardSettings, ResponseOffer
from tests.browser.helpers import log_in, space_url
from tests.browser.test_messages_accessibility import axe_violations
from tests.factories import make_lesson, make_user

THEIRS = "The handover I missed taught me to write things down before I leave."


def _context(browser: Browser, *, javascript: bool):
    width = 1100 if javascript else 360
    context = browser.new_context(
        bypass_csp=True, java_script_enabled=javascript, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]


def _offer(prompt, colleague):
    services.set_heard(prompt=prompt, enabled=True, window_hours=48)
    type(colleague).objects.filter(pk=colleague.pk).update(last_login=timezone.now())
    kwame = make_user(display_name="Kwame Mensah")
    post = community.create_reflection(prompt=prompt, author=kwame, body=THEIRS)
    return services.offer_reflection(reflection_id=post.pk)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js-360px"])
def test_a_colleague_declines_an_offer_with_one_click(
    browser: Browser, live_server, prompt, user, javascript
):
    offer = _offer(prompt, user)
    assert offer.offered_to_id == user.pk
    context, page = _context(browser, javascript=javascript)
    try:
        log_in(page, live_server, user)
        page.goto(space_url(live_server, prompt.lesson))
        waiting = page.get_by_role("region", name="Waiting to hear from you")
        expect(waiting).to_contain_text("Kwame Mensah is waiting to hear from you")
        if javascript:
            assert axe_violations(page) == []
        else:
            _no_sideways_scroll(page)
        decline = waiting.get_by_role("button", name="Decline")
        box = decline.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
        decline.click()
        if javascript:
            expect(
                page.get_by_role("status").filter(has_text="another colleague will be asked")
            ).to_be_visible()
        else:
            expect(
                page.locator(".message").filter(has_text="another colleague will be asked")
            ).to_be_visible()
            expect(page.get_by_role("region", name="Waiting to hear from you")).to_have_count(0)
        offer.refresh_from_db()
        assert offer.state == ResponseOffer.State.DECLINED
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js-360px"])
def test_the_facilitator_follows_an_activity_through(browser: Browser, live_server, prompt, facilitator, other_user,
                                                     javascript):  # fmt: skip
    prompt.lesson.course.cohorts.first().facilitators.add(facilitator)
    community.create_reflection(prompt=prompt, author=other_user, body=THEIRS)
    later = make_lesson(course=prompt.lesson.course, title="Speak up in meetings", slug="speak-up")
    context, page = _context(browser, javascript=javascript)
    check = (
        (lambda: axe_violations(page) == []) if javascript else (lambda: _no_sideways_scroll(page) or True)
    )
    try:
        log_in(page, live_server, facilitator)
        page.goto(space_url(live_server, prompt.lesson))
        page.get_by_role("link", name="Follow-through: summary, responses, library").click()
        expect(page.get_by_role("heading", name=f"Follow-through: {prompt.title}")).to_be_visible()
        assert check()

        page.get_by_label("Every reflection gets a response").check()
        page.get_by_label("Response window (hours)").fill("24")
        page.get_by_role("button", name="Save response settings").click()
        expect(
            page.locator(".message").filter(has_text="Every reflection here now gets a response")
        ).to_be_visible()
        assert HeardSettings.objects.get(prompt=prompt).window_hours == 24

        page.get_by_label("Summary: what the group learned").fill("We learned to **write it down**.")
        page.get_by_label(f"{other_user.display_name}: The handover", exact=False).check()
        page.get_by_role("button", name="Publish summary").click()
        summary = page.get_by_role("region", name="Summary: what the group learned")
        expect(summary).to_contain_text("write it down")
        expect(summary.locator("blockquote")).to_contain_text("The handover I missed")
        assert check()

        page.get_by_role("link", name="Follow-through: summary, responses, library").click()
        page.get_by_role("button", name="Save to library").click()
        expect(page.get_by_role("heading", name="Prompt library", level=1)).to_be_visible()
        assert check()
        page.get_by_label("Lesson").select_option(
            label=f"{later.course.title}: Lesson {later.number}, {later.title}"
        )
        page.get_by_role("button", name=f"Create an activity from “{prompt.title}”").click()
        expect(page.get_by_role("heading", name=prompt.title)).to_be_visible()
        made = Prompt.objects.get(lesson=later)
        assert HeardSettings.objects.get(prompt=made).window_hours == 24
        page.goto(f"{live_server.url}{reverse('insights:worklist')}")
        expect(page.get_by_role("heading", name="Prompt library")).to_be_visible()
        assert check()
    finally:
        context.close()

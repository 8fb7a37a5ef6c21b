"""Follow-through (issue 25) in a real browser, with and without JavaScript, at 360 px: "Come back
to this" in the composer, changing and cancelling the day on one's own post, the follow-up composer
and its label, "Read by N colleagues", and "How my reflections landed"; axe clean."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, expect

from community import services as community
from community.models import Reflection
from followthrough import services
from followthrough.models import Plan
from tests.browser.helpers import log_in, space_url
from tests.browser.test_messages_accessibility import axe_violations


def _journey(page, live_server, prompt, user, other_user, *, axe: bool) -> None:
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    composer = page.locator("#reflection-form")
    composer.get_by_role("textbox", name="Your reflection").fill("Next time I will ask before I assume.")
    composer.get_by_text("Come back to this").click()  # folded, before the text
    composer.get_by_role("radio", name="In 2 weeks").check()
    assert not axe or axe_violations(page) == []
    composer.get_by_role("button", name="Post reflection").click()
    expect(page.locator("article.post").filter(has_text="ask before I assume")).to_be_visible()
    plan = Plan.objects.get(user=user)
    # In place (with JavaScript) or on the page it lands on: the day, under the new reflection.
    expect(page.locator(f"#followthrough-{plan.reflection_id}")).to_contain_text(
        "Reflect asks you how it went on"
    )
    page.goto(space_url(live_server, prompt.lesson))
    assert plan.due_on == timezone.localdate() + timedelta(days=14)
    controls = page.locator(f"#followthrough-{plan.reflection_id}")
    expect(controls).to_contain_text("Reflect asks you how it went on")

    # Change the day, then cancel the reminder.
    controls.get_by_text("Change the date").first.click()
    day = timezone.localdate() + timedelta(days=30)
    controls.get_by_label("Pick a date").fill(day.isoformat())
    controls.get_by_role("button", name="Change the date").click()
    expect(page.locator(f"#followthrough-{plan.reflection_id}")).to_contain_text(f"{day:%-d %B %Y}")
    assert Plan.objects.get().due_on == day
    assert not axe or axe_violations(page) == []
    page.locator(f"#followthrough-{plan.reflection_id}").get_by_role("button", name="Cancel reminder").click()
    expect(page.locator(f"#followthrough-{plan.reflection_id}")).to_contain_text("Come back to this")
    assert not Plan.objects.exists()

    # Read by: a colleague's later visit, counted by the worker.
    community.record_visit(user=other_user, prompt=prompt)
    services.count_readers(prompt_id=prompt.pk, now=timezone.now())
    page.reload()
    expect(page.locator(f"#followthrough-{plan.reflection_id}")).to_contain_text("Read by 1 colleague")

    # The follow-up.
    page.locator(f"#followthrough-{plan.reflection_id}").get_by_role("link", name="Write a follow-up").click()
    expect(page.get_by_role("heading", name="How did it go?", exact=True)).to_be_visible()
    assert not axe or axe_violations(page) == []
    page.get_by_role("textbox", name="How did it go?").fill("I asked twice; it saved a day of rework.")
    page.get_by_role("button", name="Post follow-up").click()
    follow_up = page.locator("article.post").filter(has_text="saved a day of rework")
    expect(follow_up).to_be_visible()
    expect(follow_up.locator(".badge--follow-up")).to_have_text("Follow-up, the same day")
    assert Reflection.objects.get(follows_up=plan.reflection_id).author == user

    # How my reflections landed.
    like = community.like_reflection(
        reflection=Reflection.objects.get(pk=plan.reflection_id), user=other_user
    )
    community.set_like_reason(like=like, reason="Asking first is brave")
    page.goto(f"{live_server.url}/me/landed/")
    expect(page.get_by_role("heading", name="How my reflections landed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Asking first is brave")
    assert not axe or axe_violations(page) == []


def test_follow_through_with_javascript(browser: Browser, live_server, prompt, user, other_user):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _journey(page, live_server, prompt, user, other_user, axe=True)
    finally:
        context.close()


def test_follow_through_without_javascript_at_360_px(browser: Browser, live_server, prompt, user, other_user):
    context = browser.new_context(
        bypass_csp=True, java_script_enabled=False, viewport={"width": 360, "height": 800}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _journey(page, live_server, prompt, user, other_user, axe=False)  # axe needs JavaScript
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1]
    finally:
        context.close()

"""For the facilitator only and private replies (issue 23) in a real browser: the composer's
"Share with the facilitator only" and the reply form's "Reply privately", with and without
JavaScript, at 360 px; each post is marked, axe is clean and nothing scrolls sideways."""

from playwright.sync_api import Browser, expect

from community import services
from community.models import Reflection
from tests.browser.helpers import log_in, space_url
from tests.browser.test_messages_accessibility import axe_violations

THEIRS = "Owning the missed handover was the hardest part of the week."


def _share_and_reply_privately(page, live_server, prompt, user, theirs, *, axe: bool = True) -> None:
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    composer = page.locator("#reflection-form")
    composer.get_by_role("textbox", name="Your reflection").fill("I blamed a colleague and I was wrong.")
    composer.get_by_role("button", name="Share with the facilitator only").click()
    mine = page.locator("article.post").filter(has_text="I blamed a colleague")
    expect(mine).to_be_visible()
    expect(mine.locator(".badge--private")).to_have_text(
        "For the facilitator only — colleagues do not see this"
    )
    assert Reflection.objects.get(author=user, thread__isnull=True).for_facilitators
    assert not axe or axe_violations(page) == []

    post = page.locator(f"#post-{theirs.pk}")
    post.get_by_role("link", name="Reply", exact=True).click()
    page.locator('textarea[name="reply-body"]').fill("I have been there too; write to me if you like.")
    page.get_by_role("button", name="Reply privately").click()
    reply = page.locator("article.post").filter(has_text="I have been there too")
    expect(reply).to_be_visible()
    expect(reply.locator(".badge--private")).to_contain_text("Private reply")
    stored = Reflection.objects.get(author=user, parent=theirs)
    assert stored.for_facilitators and stored.private_to_id == theirs.author_id
    assert not axe or axe_violations(page) == []


def test_share_with_the_facilitator_and_reply_privately_with_javascript(
    browser: Browser, live_server, prompt, user, other_user
):
    theirs = services.create_reflection(prompt=prompt, author=other_user, body=THEIRS)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server.url)
        _share_and_reply_privately(page, live_server, prompt, user, theirs)
    finally:
        context.close()


def test_without_javascript_at_360_px_both_buttons_work_and_nothing_scrolls_sideways(
    browser: Browser, live_server, prompt, user, other_user
):
    theirs = services.create_reflection(prompt=prompt, author=other_user, body=THEIRS)
    context = browser.new_context(
        bypass_csp=True, java_script_enabled=False, viewport={"width": 360, "height": 800}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _share_and_reply_privately(page, live_server, prompt, user, theirs, axe=False)  # axe needs JavaScript
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1]
    finally:
        context.close()

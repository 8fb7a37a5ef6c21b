"""Flash messages ("Successfully signed in", "Your reflection is posted…") are announced as a
status and stay a list: axe-core finds nothing wrong on the pages that show one.

test_accessibility.py never sees a message: it signs in and then opens another page, and Django
shows a message once, on the page right after the sign-in."""

import re

from playwright.sync_api import Browser, Page, expect

from community.models import Reflection
from tests.browser.helpers import log_in, space_url
from tests.browser.test_accessibility import AXE


def axe_violations(page: Page) -> list[str]:
    """Every violation, whatever its impact."""
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def expect_an_accessible_message(page: Page, text: str) -> None:
    expect(page.locator(".message").filter(has_text=text)).to_be_visible()
    assert axe_violations(page) == []
    status = page.get_by_role("status").filter(has=page.get_by_role("list"))
    expect(status.get_by_role("listitem").filter(has_text=text)).to_have_count(1)


def test_the_page_after_signing_in_shows_an_accessible_message(browser: Browser, live_server, user):
    # axe is injected by the test, so this context lets it past our Content Security Policy.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        expect_an_accessible_message(page, f"Successfully signed in as {user.handle}.")
    finally:
        context.close()


def test_the_space_after_posting_without_htmx_shows_an_accessible_message(
    browser: Browser, live_server, prompt, user
):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        page.goto(space_url(live_server, prompt.lesson))
        page.get_by_role("textbox", name="Your reflection").fill("A reflection, posted the plain way.")
        # form.submit() skips the submit event, so htmx stays out: the server redirects back to
        # the space with a flash message, as it does for a browser without JavaScript.
        page.locator("#reflection-form").evaluate("form => form.submit()")
        expect(page).to_have_url(re.compile(r"#post-\d+$"))
        reflection = Reflection.objects.get(author=user, prompt=prompt)
        assert page.url.endswith(f"#post-{reflection.pk}")
        expect_an_accessible_message(page, "Your reflection is posted. Thank you for sharing it.")
    finally:
        context.close()

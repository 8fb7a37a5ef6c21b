"""Issue 13 in a browser: a lively thread shows its first replies and "Show all N replies", which
htmx expands in place (and which is a plain link to the thread page without JavaScript); the
thread page passes axe."""

from playwright.sync_api import Browser, Page, expect

from community import services
from tests.browser.helpers import log_in, space_url
from tests.browser.test_accessibility import serious_violations
from tests.factories import make_user


def _lively_thread(prompt, author, replies: int):
    thread = services.create_reflection(prompt=prompt, author=author, body="A thread people answered a lot.")
    for n in range(replies):
        services.create_reflection(
            prompt=prompt, author=make_user(), body=f"Answer number {n}.", parent=thread
        )
    return thread


def test_show_all_replies_expands_in_place(page: Page, live_server, prompt, user, other_user, settings):
    settings.REPLIES_SHOWN_PER_THREAD = 3
    thread = _lively_thread(prompt, other_user, 6)
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    page.wait_for_function("() => window.htmx !== undefined")
    replies = page.locator(f"#thread-{thread.pk} .post--reply")
    expect(replies).to_have_count(3)
    page.get_by_role("link", name="Show all 6 replies").click()
    expect(replies).to_have_count(6)
    expect(page).to_have_url(space_url(live_server, prompt.lesson))  # in place, no navigation
    expect(page.get_by_role("link", name="Show all 6 replies")).to_have_count(0)
    # The expanded posts work: liking one swaps its button in place.
    last = page.locator(f"#thread-{thread.pk} .post--reply").last
    last.get_by_role("button", name="Like").click()
    expect(last.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "true")


def test_the_thread_page_without_javascript_is_accessible(
    browser: Browser, live_server, prompt, user, other_user
):
    thread = _lively_thread(prompt, other_user, 5)
    context = browser.new_context(bypass_csp=True, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        page.goto(space_url(live_server, prompt.lesson))
        page.get_by_role("link", name="Show all 5 replies").click()
        expect(page).to_have_url(f"{live_server.url}/posts/{thread.pk}/thread/")
        expect(page.locator(".post--reply")).to_have_count(5)
    finally:
        context.close()
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/posts/{thread.pk}/thread/")
        assert serious_violations(page) == []
    finally:
        context.close()

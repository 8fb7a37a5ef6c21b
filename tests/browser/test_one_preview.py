"""One preview in the composer (issue 21, item 9). The composer's "Preview" button shows the text
as it will look, in a labelled region with its word count; with JavaScript it is the only preview
(no second, live copy under the editor) and the focus goes to it, so a screen reader reads it. In
a space, in a reply (in place, and on the reply page a thread links to), on the edit page; and the
same Preview without JavaScript."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from community import services
from community.models import Reflection
from tests.browser.helpers import log_in, space_url
from tests.browser.test_messages_accessibility import axe_violations

TEXT = "I named **the slip** at stand-up, and the fix took an hour."
WORDS = 13  # "stand-up" is two


def open_in_space(page: Page, live_server, prompt, user, other_user):
    page.goto(space_url(live_server, prompt.lesson))
    return page.locator("#reflection-form")


def open_reply_in_place(page: Page, live_server, prompt, user, other_user):
    theirs = services.create_reflection(prompt=prompt, author=other_user, body="Owning it early helped.")
    services.create_reflection(prompt=prompt, author=user, body="Mine, so the space is open.")
    page.goto(space_url(live_server, prompt.lesson))
    page.wait_for_function("() => window.htmx !== undefined && window.reflectLoaded")
    page.locator(f"#post-{theirs.pk}").get_by_role("link", name="Reply", exact=True).click()
    return page.locator(f"#reply-slot-{theirs.pk} form")


def open_reply_from_the_thread_page(page: Page, live_server, prompt, user, other_user):
    theirs = services.create_reflection(prompt=prompt, author=other_user, body="Owning it early helped.")
    services.create_reflection(prompt=prompt, author=user, body="Mine, so the space is open.")
    page.goto(f"{live_server.url}/posts/{theirs.pk}/thread/")
    page.locator(f"#post-{theirs.pk}").get_by_role("link", name="Reply", exact=True).click()
    expect(page.get_by_role("heading", name="Reply to Ben Carter")).to_be_visible()
    return page.locator("form.reply-form")


def open_edit_page(page: Page, live_server, prompt, user, other_user):
    mine = services.create_reflection(prompt=prompt, author=user, body="A first go at it.")
    page.goto(f"{live_server.url}/posts/{mine.pk}/edit/")
    return page.locator("main form")


@pytest.mark.parametrize(
    "open_composer",
    [open_in_space, open_reply_in_place, open_reply_from_the_thread_page, open_edit_page],
    ids=["space", "reply in place", "reply from the thread page", "edit page"],
)
def test_with_javascript_the_composer_shows_one_preview_the_screen_reader_reaches(
    browser: Browser, live_server, prompt, user, other_user, open_composer: Callable
):
    # axe is injected by the test, so this context lets it past our Content Security Policy.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        form = open_composer(page, live_server, prompt, user, other_user)
        page.wait_for_function("() => window.htmx !== undefined && window.reflectLoaded")
        editor = form.locator("textarea")  # the text (the content note is a one-line field)
        editor.fill("")
        editor.press_sequentially(TEXT[:8])
        editor.fill(TEXT)
        page.wait_for_load_state("networkidle")  # whatever typing set off has come back

        form.get_by_role("button", name="Preview").click()

        preview = page.get_by_role("region", name="Preview of your text")
        expect(preview).to_have_count(1)
        expect(preview).to_contain_text(f"Preview — not posted yet · {WORDS} words")
        expect(preview.locator("strong")).to_have_text("the slip")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(800)  # longer than any live preview's pause after typing
        # The text appears rendered once on the page: in the preview, nowhere else.
        expect(page.locator("strong", has_text="the slip")).to_have_count(1)
        expect(page.locator("p", has_text="at stand-up, and the fix took an hour.")).to_have_count(1)
        expect(editor).to_have_value(TEXT)  # still there to edit or post
        expect(preview).to_be_focused()  # so a screen reader reads it out
        assert axe_violations(page) == []
    finally:
        context.close()


def test_without_javascript_the_preview_button_shows_the_preview(browser: Browser, live_server, prompt, user):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        page.goto(space_url(live_server, prompt.lesson))
        page.get_by_role("textbox", name="Your reflection").fill(TEXT)
        page.get_by_role("button", name="Preview").click()

        preview = page.get_by_role("region", name="Preview of your text")
        expect(preview).to_have_count(1)
        expect(preview).to_contain_text(re.compile(rf"Preview — not posted yet · {WORDS} words"))
        expect(preview.locator("strong")).to_have_text("the slip")
        expect(page.get_by_role("textbox", name="Your reflection")).to_have_value(TEXT)
        expect(preview).to_be_focused()  # autofocus: the page opens at the preview
    finally:
        context.close()


def test_the_reply_page_a_thread_links_to_posts_its_reply_with_javascript(
    page: Page, live_server, prompt, user, other_user
):
    """The reply page has no thread list to add the reply to: its form posts as a plain form (it
    used to aim htmx at the missing list, and "Post reply" did nothing)."""
    theirs = services.create_reflection(prompt=prompt, author=other_user, body="Owning it early helped.")
    services.create_reflection(prompt=prompt, author=user, body="Mine, so the space is open.")
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/posts/{theirs.pk}/reply/")
    page.wait_for_function("() => window.htmx !== undefined && window.reflectLoaded")
    page.get_by_role("textbox", name="Your reply to Ben Carter").fill("A reply from the reply page.")
    page.get_by_role("button", name="Post reply").click()

    expect(page.get_by_text("Your reply is posted.")).to_be_visible()
    reply = Reflection.objects.get(body="A reply from the reply page.")
    assert reply.parent_id == theirs.pk


def test_the_editor_grows_to_show_all_of_the_text(page: Page, live_server, prompt, user):
    """As markdownx's script did: a long post opens in a box that shows all of it, and typing
    more grows the box, so the member never scrolls inside it."""
    long = "\n\n".join(f"Paragraph {n} of what happened." for n in range(1, 13))
    mine = services.create_reflection(prompt=prompt, author=user, body=long)
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/posts/{mine.pk}/edit/")
    page.wait_for_function("() => window.reflectLoaded")
    editor = page.get_by_role("textbox", name="Edit your post")
    shows_all = "e => e.scrollHeight <= e.clientHeight + 1"
    assert editor.evaluate(shows_all)
    editor.press("End")
    editor.press_sequentially("\n\nOne more.\n\nAnd another.")
    assert editor.evaluate(shows_all)

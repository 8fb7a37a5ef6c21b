"""Anonymous to colleagues (issue 23) in a real browser: the composer's "Post anonymously to
colleagues", then the same space read by the author ("You (posted anonymously)"), a colleague
("Colleague 1", no link to follow) and a facilitator (the name, "shown to colleagues as
Colleague 1"); with and without JavaScript, at 360 px; axe clean, nothing scrolls sideways."""

from playwright.sync_api import Browser, expect

from community import services
from community.models import Prompt, Reflection
from tests.browser.helpers import log_in, space_url
from tests.browser.test_messages_accessibility import axe_violations

WORDS = "I signed off a rota I knew was short-staffed and said nothing."


def _post_and_read(page, live_server, prompt, user, other_user, facilitator, *, axe: bool = True) -> None:
    prompt.anonymous_posting = Prompt.AnonymousPosting.ALLOWED
    prompt.save(update_fields=["anonymous_posting"])
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    composer = page.locator("#reflection-form")
    checkbox = composer.get_by_role("checkbox", name="Post anonymously to colleagues")
    expect(checkbox).to_be_visible()
    expect(composer).to_contain_text("Facilitators and moderators still see who wrote it.")
    assert not axe or axe_violations(page) == []
    composer.get_by_role("textbox", name="Your reflection").fill(WORDS)
    checkbox.check()
    composer.get_by_role("button", name="Post reflection").click()
    mine = page.locator("article.post").filter(has_text=WORDS)
    expect(mine).to_be_visible()
    expect(mine.locator(".post__meta")).to_contain_text(
        "You (posted anonymously: colleagues see “Colleague 1”)"
    )
    stored = Reflection.objects.get(author=user, thread__isnull=True)
    assert stored.anonymous and stored.pseudonym == 1
    assert not axe or axe_violations(page) == []

    page.context.clear_cookies()
    log_in(page, live_server, other_user)
    page.goto(space_url(live_server, prompt.lesson))
    theirs = page.locator("article.post").filter(has_text=WORDS)
    expect(theirs).to_have_attribute("aria-label", "Reflection by Colleague 1")
    expect(theirs.locator(".post__author")).to_have_text("Colleague 1")
    expect(theirs.locator(".post__author")).not_to_have_attribute("href", r".*")  # nothing to follow
    assert user.display_name not in page.content() and user.handle not in page.content()
    assert not axe or axe_violations(page) == []

    page.context.clear_cookies()
    log_in(page, live_server, facilitator)
    page.goto(space_url(live_server, prompt.lesson))
    named = page.locator("article.post").filter(has_text=WORDS)
    expect(named.locator(".post__author")).to_have_text(user.display_name)
    expect(named.locator(".post__pseudonym")).to_have_text("shown to colleagues as Colleague 1")
    assert not axe or axe_violations(page) == []


def test_post_anonymously_and_read_it_as_each_viewer_with_javascript(
    browser: Browser, live_server, prompt, user, other_user, facilitator
):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server.url)
        _post_and_read(page, live_server, prompt, user, other_user, facilitator)
    finally:
        context.close()


def test_without_javascript_at_360_px_it_works_and_nothing_scrolls_sideways(
    browser: Browser, live_server, prompt, user, other_user, facilitator
):
    context = browser.new_context(
        bypass_csp=True, java_script_enabled=False, viewport={"width": 360, "height": 800}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _post_and_read(page, live_server, prompt, user, other_user, facilitator, axe=False)  # axe needs JS
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1]
    finally:
        context.close()


def _share_from_the_log(page, live_server, prompt, user, *, axe: bool = True) -> None:
    prompt.anonymous_posting = Prompt.AnonymousPosting.ALLOWED
    prompt.save(update_fields=["anonymous_posting"])
    kept = services.create_reflection(
        prompt=prompt, author=user, body="A draft of my thinking.", is_private=True
    )
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/me/learning-log/")
    entry = page.locator(f"#log-post-{kept.pk}")
    expect(entry.get_by_role("button", name="Share with the facilitator only")).to_be_visible()
    assert not axe or axe_violations(page) == []
    entry.get_by_role("button", name="Share anonymously with the course").click()
    expect(page.get_by_text("Your reflection is shared with the course anonymously")).to_be_visible()
    entry = page.locator(f"#log-post-{kept.pk}")
    expect(entry).to_contain_text("Posted anonymously: colleagues see “Colleague 1”")
    expect(entry.get_by_role("button", name="Share with the course")).to_have_count(0)
    kept.refresh_from_db()
    assert kept.anonymous and not kept.is_private
    assert not axe or axe_violations(page) == []


def test_share_a_private_reflection_from_the_learning_log_with_javascript(
    browser: Browser, live_server, prompt, user
):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server.url)
        _share_from_the_log(page, live_server, prompt, user)
    finally:
        context.close()


def test_share_from_the_learning_log_without_javascript_at_360_px(
    browser: Browser, live_server, prompt, user
):
    context = browser.new_context(
        bypass_csp=True, java_script_enabled=False, viewport={"width": 360, "height": 800}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _share_from_the_log(page, live_server, prompt, user, axe=False)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1]
    finally:
        context.close()

"""Content notes (issue 23) in a real browser: a learner writes a reflection with a note in the
composer; a colleague's noted reflection shows only its note and a "Show" control until it is
opened, with the keyboard, with or without JavaScript; axe is clean, the control is at least
24 × 24 px, and at 320 px nothing scrolls sideways."""

import re

from playwright.sync_api import Browser, expect

from community import services
from community.models import Reflection
from tests.browser.helpers import log_in, space_url
from tests.browser.test_messages_accessibility import axe_violations

NOTE = "mentions bereavement"
SECRET = "My grandmother died the week of the audit, and I missed the deadline."


def test_a_noted_reflection_opens_on_request_and_the_composer_takes_a_note(
    browser: Browser, live_server, prompt, user, other_user
):
    theirs = services.create_reflection(prompt=prompt, author=other_user, body=SECRET, content_note=NOTE)
    # axe is injected by the test, so this context lets it past our Content Security Policy.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        page.goto(space_url(live_server, prompt.lesson))
        page.wait_for_function("() => window.htmx !== undefined && window.reflectLoaded")

        # The composer: an optional note with its hint, posted with the reflection.
        composer = page.locator("#reflection-form")
        note_field = composer.get_by_role("textbox", name="Content note (optional)")
        expect(note_field).to_have_accessible_description(
            "e.g. mentions bereavement: others see this first and choose to read on"
        )
        composer.get_by_role("textbox", name="Your reflection").fill(
            "Losing a patient changed how I hand over."
        )
        note_field.fill("mentions a death at work")
        composer.get_by_role("button", name="Post reflection").click()
        mine = page.locator("article.post").filter(has_text="Losing a patient")
        expect(mine).to_be_visible()
        expect(mine.locator(".content-note-label")).to_have_text(
            re.compile("Content note: mentions a death at work")
        )
        assert Reflection.objects.get(author=user).content_note == "mentions a death at work"

        # A colleague's noted reflection: the note and "Show"; the text stays closed until asked for.
        post = page.locator(f"#post-{theirs.pk}")
        summary = post.locator("summary")
        expect(summary).to_have_accessible_name(re.compile(r"^Content note: mentions bereavement\s*Show$"))
        expect(post.get_by_text("My grandmother")).to_be_hidden()
        box = summary.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24
        assert axe_violations(page) == []

        summary.focus()
        page.keyboard.press("Enter")  # the keyboard opens it
        expect(post.get_by_text("My grandmother")).to_be_visible()
        expect(post.locator("details.content-note")).to_have_attribute("open", "")
        assert axe_violations(page) == []
        page.keyboard.press("Enter")
        expect(post.get_by_text("My grandmother")).to_be_hidden()
    finally:
        context.close()


def test_without_javascript_and_at_320_px_the_note_opens_and_nothing_scrolls_sideways(
    browser: Browser, live_server, prompt, user, other_user
):
    long_note = "mentions bereavement, a miscarriage and a colleague's suicide attempt at work"
    theirs = services.create_reflection(prompt=prompt, author=other_user, body=SECRET, content_note=long_note)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        page.goto(space_url(live_server, prompt.lesson))
        post = page.locator(f"#post-{theirs.pk}")
        expect(post.get_by_text("My grandmother")).to_be_hidden()
        post.locator("summary").click()
        expect(post.get_by_text("My grandmother")).to_be_visible()
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths
    finally:
        context.close()

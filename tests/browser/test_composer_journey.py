"""The composer (issue 12) in a real browser: a learner writes a Gibbs-scaffolded reflection
section by section (live word count, autosaved draft), leaves, comes back to the draft, posts it
and sees it rendered with a heading per section; and the same draft without JavaScript."""

import re

from playwright.sync_api import Browser, Page, expect

from community import services
from community.models import Draft, Reflection
from tests.browser.helpers import log_in, space_url
from tests.browser.test_messages_accessibility import axe_violations

SECTIONS = {
    "Description": "A colleague and I disagreed in a planning meeting about the rota.",
    "Feelings": "I felt tense and a little defensive.",
    "Action plan": "Next time I will summarise her view before giving mine.",
}


def gibbs(prompt):
    return services.update_prompt(prompt=prompt, scaffold="gibbs", suggested_words=20)


def test_a_learner_writes_in_gibbs_sections_leaves_finds_the_draft_and_posts_it(
    browser: Browser, live_server, prompt, user
):
    prompt = gibbs(prompt)
    # axe is injected by the test, so this context lets it past our Content Security Policy.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        page.goto(space_url(live_server, prompt.lesson))
        page.wait_for_function("() => window.htmx !== undefined && window.reflectLoaded")

        composer = page.locator("#reflection-form")
        expect(composer.get_by_role("group", name=re.compile("in the sections of Gibbs"))).to_be_visible()
        description = composer.get_by_role("textbox", name="Description")
        expect(description).to_have_accessible_description(re.compile(r"^What happened\?"))
        expect(composer.get_by_text("Aim for at least 20 words")).to_be_visible()

        for heading, text in SECTIONS.items():
            composer.get_by_role("textbox", name=heading, exact=True).press_sequentially(text[:12])
            composer.get_by_role("textbox", name=heading, exact=True).fill(text)
        words = sum(len(text.split()) for text in SECTIONS.values())
        expect(composer.locator("[data-word-count]")).to_have_text(f"{words} words (the suggestion was 20)")
        expect(composer.get_by_role("status")).to_have_text("Draft saved")
        # Reaching the suggested length is said once, politely; the count itself is not read out.
        expect(page.locator("#live-status")).to_have_text(
            re.compile(r"^You have written 2\d words, past the suggested 20\.$")
        )
        expect(page.locator("#live-status")).to_have_attribute("aria-live", "polite")
        expect(composer.locator("[data-word-count]")).not_to_have_attribute("aria-live", re.compile("."))
        assert Draft.objects.get(user=user, prompt=prompt).fields["mode"] == "sections"

        # Away and back: the sections come back as they were.
        page.goto(f"{live_server.url}{prompt.lesson.get_absolute_url()}")
        page.goto(space_url(live_server, prompt.lesson))
        for heading, text in SECTIONS.items():
            expect(composer.get_by_role("textbox", name=heading, exact=True)).to_have_value(text)
        expect(composer.get_by_role("textbox", name="Evaluation")).to_have_value("")
        expect(composer.get_by_role("status")).to_contain_text("is restored")
        expect(composer.get_by_role("button", name="Discard draft")).to_be_visible()
        assert axe_violations(page) == []

        page.wait_for_function("() => window.htmx !== undefined")
        composer.get_by_role("button", name="Post reflection").click()
        post = page.locator("#threads article.post").filter(has_text=SECTIONS["Description"])
        expect(post).to_have_count(1)
        expect(post.get_by_role("heading")).to_have_text(list(SECTIONS))
        expect(
            post.get_by_role("heading", name="Feelings").locator("xpath=following-sibling::p[1]")
        ).to_have_text(SECTIONS["Feelings"])
        expect(composer.get_by_role("textbox", name="Description")).to_have_value("")
        expect(composer.get_by_role("button", name="Discard draft")).to_have_count(0)
        assert not Draft.objects.filter(user=user).exists()
        assert Reflection.objects.get(author=user).body.startswith("## Description\n\n")

        # Coming back after posting: an empty composer, no draft.
        page.reload()
        expect(composer.get_by_role("textbox", name="Description")).to_have_value("")
    finally:
        context.close()


def test_write_freely_instead_keeps_the_sections_text(page: Page, live_server, prompt, user):
    gibbs(prompt)
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    page.wait_for_function("() => window.htmx !== undefined && window.reflectLoaded")
    composer = page.locator("#reflection-form")
    composer.get_by_role("textbox", name="Feelings").fill("Relieved.")
    composer.get_by_role("button", name="Write freely instead").click()
    editor = composer.get_by_role("textbox", name="Your reflection")
    expect(editor).to_have_value("## Feelings\n\nRelieved.")
    editor.press("End")
    editor.type(" And glad.")
    # Written freely, the heading is part of the member's text, so it counts as a word.
    expect(composer.locator("[data-word-count]")).to_have_text("4 words of the suggested 20")
    expect(composer.get_by_role("button", name=re.compile("Use the sections"))).to_be_visible()


def test_a_draft_is_saved_and_restored_without_javascript(browser: Browser, live_server, prompt, user):
    gibbs(prompt)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, user)
        page.goto(space_url(live_server, prompt.lesson))
        composer = page.locator("#reflection-form")
        expect(composer.locator("[data-word-count]")).to_be_hidden()  # the count comes with Preview
        composer.get_by_role("textbox", name="Description").fill("Written with no script at all.")
        composer.get_by_role("button", name="Preview").click()
        expect(page.get_by_text("Preview — not posted yet · 6 words")).to_be_visible()
        page.locator("#reflection-form").get_by_role("button", name="Save draft").click()
        expect(page.get_by_text("Your draft is saved.")).to_be_visible()
        page.goto(f"{live_server.url}/")
        page.goto(space_url(live_server, prompt.lesson))
        expect(page.locator("#reflection-form").get_by_role("textbox", name="Description")).to_have_value(
            "Written with no script at all."
        )
    finally:
        context.close()

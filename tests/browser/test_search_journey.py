"""Search journey: learner A posts a reflection with a rare word; learner B searches for it from
the header and finds it highlighted; a moderator hides it; B's search no longer finds it, while A's
still does, marked as hidden. Then the page's accessibility (axe) and its targets at 360 px wide.

Each person has their own browser context; every login goes through the real login form.
"""

from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from moderation.services import hide_reflection
from tests.browser.helpers import log_in, space_url
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_target_size import MINIMUM, SMALL_TARGETS
from tests.factories import make_user

RARE = "quokkaesque"
POST_TEXT = f"Our ward's handover felt almost {RARE} once we named one near miss a day."


def new_page(browser: Browser, contexts: list[BrowserContext], **options) -> Page:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, **options)
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def search_from_header(page: Page, words: str) -> None:
    header = page.get_by_role("search")
    header.get_by_role("searchbox", name="Search").fill(words)
    header.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()


def test_a_reflection_is_found_from_the_header_until_a_moderator_hides_it(
    browser: Browser, live_server, prompt, user, other_user, moderator
):
    author, reader = user, other_user
    contexts: list[BrowserContext] = []
    try:
        # Learner A posts a reflection with a rare word, through the space's form.
        author_page = new_page(browser, contexts)
        log_in(author_page, live_server, author)
        author_page.goto(space_url(live_server, prompt.lesson))
        author_page.get_by_role("textbox", name="Your reflection").fill(POST_TEXT)
        author_page.get_by_role("button", name="Post reflection").click()
        expect(author_page.locator("#threads article.post").filter(has_text=RARE)).to_have_count(1)

        # Learner B searches for it from the header of another page and finds it, highlighted.
        reader_page = new_page(browser, contexts)
        log_in(reader_page, live_server, reader)
        reader_page.goto(f"{live_server.url}/")
        search_from_header(reader_page, RARE)
        results = reader_page.locator(".search-result")
        expect(results).to_have_count(1)
        expect(results.locator("mark")).to_have_text(RARE)
        expect(results).to_contain_text(f"Reflection by {author.display_name}")
        expect(results).to_contain_text(prompt.title)
        expect(reader_page.get_by_text("1 result", exact=True)).to_be_visible()
        # Its link leads to the post in its space.
        results.get_by_role("link", name=f"Reflection by {author.display_name}").click()
        expect(reader_page.locator("article.post").filter(has_text=RARE)).to_be_visible()

        # A moderator hides it.
        from community.models import Reflection

        post = Reflection.objects.get(author=author, body=POST_TEXT)
        hide_reflection(reflection=post, moderator=moderator, reason="Names a colleague's ward.")

        # B's search no longer finds it: no result, no snippet, no count.
        search_from_header(reader_page, RARE)
        expect(reader_page.locator(".search-result")).to_have_count(0)
        expect(reader_page.get_by_text("Nothing found")).to_be_visible()
        expect(reader_page.locator("mark")).to_have_count(0)

        # A's search still finds it, marked as hidden.
        search_from_header(author_page, RARE)
        own = author_page.locator(".search-result")
        expect(own).to_have_count(1)
        expect(own.locator("mark")).to_have_text(RARE)
        expect(own).to_contain_text("Hidden by a moderator")
        expect(own).to_contain_text("Only you and the moderators can see it.")
    finally:
        for context in contexts:
            context.close()


def test_search_works_without_javascript(browser: Browser, live_server, prompt, user, other_user):
    from community.services import create_reflection

    create_reflection(prompt=prompt, author=other_user, body=f"A {RARE} thought, read without scripts.")
    contexts: list[BrowserContext] = []
    try:
        page = new_page(browser, contexts, java_script_enabled=False)
        log_in(page, live_server, user)
        search_from_header(page, f'"{RARE} thought"')
        expect(page.locator(".search-result mark")).to_have_text([RARE, "thought"])
        page.get_by_text("Filters").click()
        page.get_by_label("Only what I wrote").check()
        page.locator(".search-form").get_by_role("button", name="Search").click()
        expect(page.get_by_text("Nothing found")).to_be_visible()
    finally:
        for context in contexts:
            context.close()


def test_the_results_page_is_accessible_and_its_targets_fit_a_phone(
    browser: Browser, live_server, prompt, user, other_user, output_path
):
    from community.services import create_reflection

    for n in range(25):
        create_reflection(prompt=prompt, author=other_user, body=f"{RARE} note {n} about handovers.")
    make_user(handle="quokka_fan", display_name="Quokka Fan")
    contexts: list[BrowserContext] = []
    try:
        # axe is injected by the test, so this context lets it past our Content Security Policy.
        page = new_page(browser, contexts, bypass_csp=True)
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/search/?q={RARE}")
        expect(page.locator(".search-result")).to_have_count(20)
        page.get_by_text("Filters").click()
        assert serious_violations(page) == []
        page.goto(f"{live_server.url}/search/?q=quokka_fan")
        assert serious_violations(page) == []
        page.goto(f"{live_server.url}/search/")
        assert serious_violations(page) == []

        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(f"{live_server.url}/search/?q={RARE}")
        page.get_by_text("Filters").click()
        page.screenshot(path=Path(output_path) / "search-360px.png", full_page=True)
        assert page.evaluate(SMALL_TARGETS, MINIMUM) == []
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the page scrolls sideways at 360 px ({width} px wide)"
        # The header's search box fits and is reachable.
        box = page.get_by_role("search").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    finally:
        for context in contexts:
            context.close()

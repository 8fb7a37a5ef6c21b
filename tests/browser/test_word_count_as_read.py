"""The composer's live word count counts as a reader would, like the server (issue 21, item 13):
a Markdown link by its text, a bare address, an email or an @mention as one word each."""

from playwright.sync_api import Page, expect

from core.text import count_words
from tests.browser.helpers import log_in, space_url

TEXT = (
    "I asked @fran_okafor about [the rota for week twelve](https://example.com/teams/rota?week=12#today) "
    "and she sent https://example.com/docs/rota-guide/v2?lang=en plus ops@example.co.uk. Don't worry."
)
WORDS = 17  # I asked @fran_okafor about the rota for week twelve and she sent <url> plus <email> Don't worry


def test_the_live_count_matches_the_server_and_a_reader(page: Page, live_server, prompt, user):
    assert count_words(TEXT) == WORDS
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    page.wait_for_function("() => window.htmx !== undefined && window.reflectLoaded")
    composer = page.locator("#reflection-form")
    editor = composer.get_by_role("textbox", name="Your reflection")
    editor.fill(TEXT)
    expect(composer.locator("[data-word-count]")).to_have_text(f"{WORDS} words")
    editor.press("End")
    editor.type(" www.example.org/a-b_c")
    expect(composer.locator("[data-word-count]")).to_have_text(f"{WORDS + 1} words")

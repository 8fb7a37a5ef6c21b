"""Arabic pages read right to left (issue 26): at 360 and 1280 px the space is laid out as the
English one mirrored. The header's brand, the composer's label and box, a post's author, time and
buttons, and a reply's indent sit as far from the right edge in Arabic as from the left in
English; nothing scrolls sideways; axe finds nothing."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, expect

from community import services
from tests.browser.helpers import let_requests_finish, space_url, track_requests
from tests.browser.test_messages_accessibility import axe_violations

WORDS = "I stopped guessing and asked the team what went wrong."
REPLY = "Asking first saved us a week."


def _signed_in(browser: Browser, live_server, user, width: int):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    return context


def _start_offset(page, selector: str, within: str, rtl: bool) -> float:
    """How far ``selector``'s box starts from ``within``'s start edge (left in English, right in Arabic)."""
    box = page.locator(selector).first.bounding_box()
    outer = page.locator(within).first.bounding_box()
    if rtl:
        return (outer["x"] + outer["width"]) - (box["x"] + box["width"])
    return box["x"] - outer["x"]


def _layout(page, rtl: bool) -> dict:
    post = f'article.post:has-text("{WORDS}")'
    author = page.locator(f"{post} .post__author").bounding_box()
    time = page.locator(f"{post} .post__time").bounding_box()
    return {
        "brand": _start_offset(page, ".brand", ".site-header__inner", rtl),
        "composer label": _start_offset(page, "#reflection-form label", "#reflection-form", rtl),
        "composer box": _start_offset(page, "#reflection-form textarea", "#reflection-form", rtl),
        "post author": _start_offset(page, f"{post} .post__author", post, rtl),
        "post button": _start_offset(page, f"{post} .post__actions > *", post, rtl),
        # A reply is indented from the start edge, its rule on that side.
        "reply indent": _start_offset(page, f'article.post:has-text("{REPLY}")', post, rtl),
        # On one line, the time follows the author: to its right in English, to its left in Arabic.
        "time after author": None
        if abs(author["y"] - time["y"]) > 4
        else (time["x"] < author["x"] if rtl else time["x"] > author["x"]),
    }


@pytest.mark.parametrize("width", [360, 1280])
def test_the_arabic_space_is_the_english_one_mirrored(
    browser: Browser, live_server, prompt, user, other_user, width
):
    post = services.create_reflection(prompt=prompt, author=other_user, body=WORDS)
    services.create_reflection(prompt=prompt, author=user, body=REPLY, parent=post)
    layouts = {}
    for language in ("en-gb", "ar"):
        user.language = language
        user.time_zone_set = True  # no report of the browser's zone: one write fewer in flight
        user.save(update_fields=["language", "time_zone_set"])
        context = _signed_in(browser, live_server, user, width)
        page = context.new_page()
        page.set_default_timeout(10_000)
        in_flight = track_requests(page)  # the draft's autosave: let it finish before the flush
        page.goto(space_url(live_server, prompt.lesson))
        rtl = language == "ar"
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if rtl else "ltr")
        expect(page.locator("html")).to_have_attribute("lang", language)
        if rtl:
            expect(page.get_by_role("button", name="نشر التأمل")).to_be_visible()  # "Post reflection"
            # The script's own words come from the Arabic catalogue too, with Arabic's plural forms.
            page.locator("#reflection-form textarea").first.fill("كلمة أخرى")
            expect(page.locator("#reflection-form [data-word-count]")).to_have_text("كلمتان")  # "2 words"
            page.locator("#reflection-form textarea").first.fill("")
        # Nothing wider than the window: no sideways scrolling, in either direction.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{language} at {width} px scrolls sideways by {overflow} px"
        layouts[language] = _layout(page, rtl)
        if rtl:
            assert axe_violations(page) == []
            # The brand sits in the right half of the header, the composer's label at its right.
            brand = page.locator(".brand").bounding_box()
            assert brand["x"] + brand["width"] / 2 > width / 2
        let_requests_finish(page, in_flight)
        context.close()
    english, arabic = layouts["en-gb"], layouts["ar"]
    assert english["reply indent"] > 8  # indented at all
    for part in ("brand", "composer label", "composer box", "post author", "post button", "reply indent"):
        assert abs(english[part] - arabic[part]) <= 2, (part, english[part], arabic[part])
    assert english["time after author"] in (True, None) and arabic["time after author"] in (True, None)

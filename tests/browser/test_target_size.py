"""Target size (WCAG 2.2, 2.5.8 Minimum, AA): on a phone-sized screen every link, button and field
of a busy community space is at least 24 × 24 CSS pixels, except links inside running text (post
bodies, field help). A full-page screenshot is kept in the test output folder to look at."""

from pathlib import Path

from playwright.sync_api import Page, expect

from community import services
from tests.browser.helpers import log_in, space_url
from tests.factories import make_user

MINIMUM = 24

SMALL_TARGETS = """(minimum) => {
    const targets = document.querySelectorAll("a, button, input, select, textarea, summary");
    const small = [];
    for (const element of targets) {
        if (element.closest(".prose, .field__help")) continue;      // inline in running text
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        if (style.visibility === "hidden" || box.width === 0 || box.height === 0) continue;
        const width = Math.round(box.width * 100) / 100, height = Math.round(box.height * 100) / 100;
        if (width < minimum || height < minimum) {
            small.push(`${width}×${height}: ${element.outerHTML.replace(/\\s+/g, " ").slice(0, 140)}`);
        }
    }
    return small;
}"""


def busy_space(prompt, user, other_user, facilitator):
    """Two activities; on page 1 of 4: a liked conversation with replies (one in reply to a reply),
    the viewer's own reflection, and others'."""
    services.create_prompt(
        lesson=prompt.lesson, author=facilitator, title="A second activity", body="And another thing."
    )
    writers = [make_user(display_name=name) for name in ("Jo", "Kwame Mensah", "Li Wei", "Priya Shah")]
    first = services.create_reflection(
        prompt=prompt, author=other_user, body="Owning a mistake early made it *smaller*."
    )
    reply = services.create_reflection(prompt=prompt, author=writers[0], body="Agreed.", parent=first)
    services.create_reflection(prompt=prompt, author=writers[1], body="Why smaller?", parent=reply)
    for liker in (user, *writers):
        services.like_reflection(reflection=first, user=liker)
    mine = services.create_reflection(prompt=prompt, author=user, body="Mine: I said sorry first.")
    services.like_reflection(reflection=mine, user=other_user)
    for n in range(6):
        services.create_reflection(prompt=prompt, author=writers[n % 4], body=f"Thought number {n}.")
    return first


def test_every_target_in_a_busy_space_is_at_least_24px_at_360px_wide(
    page: Page, live_server, prompt, user, other_user, facilitator, settings, output_path
):
    settings.REFLECTIONS_PER_PAGE = 2
    first = busy_space(prompt, user, other_user, facilitator)

    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    page.wait_for_function("() => document.readyState === 'complete' && window.htmx !== undefined")
    expect(page.get_by_role("navigation", name="Pages of reflections").get_by_role("link")).not_to_have_count(
        0
    )
    expect(page.get_by_role("navigation", name="Reflective activities in this space")).to_be_visible()
    expect(page.locator(".post__context a")).to_have_count(1)

    # The skip link, as it looks when it has the focus.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    small = page.evaluate(SMALL_TARGETS, MINIMUM)

    # And with a reply editor open.
    page.locator(f"#post-{first.pk}").get_by_role("link", name="Reply", exact=True).press("Enter")
    expect(page.get_by_label(f"Your reply to {other_user.display_name}")).to_be_focused()
    small += page.evaluate(SMALL_TARGETS, MINIMUM)

    page.screenshot(path=Path(output_path) / "space-360px.png", full_page=True)
    assert sorted(set(small)) == [], "Targets smaller than 24 × 24 px:\n" + "\n".join(sorted(set(small)))
    # Nothing overflows sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360

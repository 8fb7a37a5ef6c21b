"""Where the focus goes after htmx swaps (issue 21, items 15 and 16; WCAG 2.4.3 Focus Order, 4.1.3
Status Messages): saving a like's reason keeps the focus in the post's like area (the saved reason),
and posting a reflection moves the focus to the new post, which is announced."""

import pytest
from playwright.sync_api import Page, expect

from community import services
from community.models import Reflection
from tests.browser.helpers import log_in, space_url

ACTIVE = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return "body";
    const post = e.closest("article.post");
    return (post ? post.id + " " : "") + e.tagName.toLowerCase() + "." + [...e.classList].join(".");
}"""


def open_space(page, live_server, lesson):
    page.goto(space_url(live_server, lesson))
    page.wait_for_function("() => window.htmx !== undefined && window.reflectLoaded")


@pytest.mark.parametrize("submit", ["Enter", "button"])
def test_saving_a_like_reason_keeps_the_focus_on_the_saved_reason(
    page: Page, live_server, prompt, user, other_user, submit
):
    theirs = services.create_reflection(prompt=prompt, author=other_user, body="Naming the mistake helped.")
    log_in(page, live_server, user)
    open_space(page, live_server, prompt.lesson)
    post = page.locator(f"#post-{theirs.pk}")
    post.get_by_role("button", name="Like").focus()
    page.keyboard.press("Enter")
    reason = post.get_by_role("textbox", name="What helped you?")
    expect(reason).to_be_visible()
    reason.focus()
    page.keyboard.type("Owning it first")
    if submit == "Enter":
        page.keyboard.press("Enter")
    else:
        post.get_by_role("button", name="Save what helped you").focus()
        page.keyboard.press("Enter")
    expect(post.get_by_role("status")).to_have_text("Thank you: the author can see why it helped you.")
    expect(post.locator(".like__reason")).to_be_focused()
    assert page.evaluate(ACTIVE) == f"post-{theirs.pk} span.like__reason"
    # Tab goes on from there: to the reason's own controls, not back to the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE).startswith(f"post-{theirs.pk} ")


def test_posting_a_reflection_focuses_and_announces_the_new_post(
    page: Page, live_server, prompt, user, other_user
):
    for n in range(12):  # a long page: the new post is far below the composer
        services.create_reflection(
            prompt=prompt, author=other_user, body=f"Earlier thought {n}.\n\n" + "Words. " * 80
        )
    log_in(page, live_server, user)
    open_space(page, live_server, prompt.lesson)
    editor = page.get_by_role("textbox", name="Your reflection")
    editor.fill("Owning it early made the fix quicker.")
    page.get_by_role("button", name="Post reflection").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#threads article.post").filter(has_text="Owning it early")).to_have_count(1)
    mine = Reflection.objects.get(author=user, prompt=prompt)
    new_post = page.locator(f"#post-{mine.pk}")
    expect(new_post).to_be_focused()
    assert page.evaluate(ACTIVE).startswith(f"post-{mine.pk} article.post")
    expect(page.locator("#live-status")).to_have_text("Your reflection is posted.")
    # The focused post is on screen (the page scrolled to it), not under the composer far above.
    assert new_post.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }"
    )

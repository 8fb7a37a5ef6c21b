"""Keyboard-only journeys through a community space (WCAG 2.1.1 Keyboard, 2.1.2 No Keyboard Trap,
2.4.3 Focus Order, 4.1.3 Status Messages): no mouse clicks from signing in to liking a post.

The reflection editor is a plain textarea: Tab leaves it (no editor script turns Tab into "insert a
tab character").
"""

from playwright.sync_api import Locator, Page, expect

from community import services
from community.models import Reflection
from tests.browser.helpers import space_url
from tests.factories import PASSWORD


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def focused_html(page: Page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return e ? e.outerHTML.slice(0, 160) : 'nothing'; }"
    )


def press_until_focused(page: Page, locator: Locator, key: str = "Tab", limit: int = 60) -> int:
    """Press ``key`` until ``locator`` has the focus; how many presses it took."""
    seen = []
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if locator.count() == 1 and is_focused(locator):
            return presses
        seen.append(focused_html(page))
    raise AssertionError(f"{key} never reached {locator}; focus went through:\n" + "\n".join(seen[-15:]))


def keyboard_log_in(page: Page, live_server, user) -> None:
    """Sign in through the real login form, by keyboard."""
    page.goto(f"{live_server.url}/accounts/login/")
    press_until_focused(page, page.get_by_label("Email"))
    page.keyboard.type(user.email)
    press_until_focused(page, page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=f"{user.display_name} (your profile)")).to_be_visible()


def open_space(page: Page, live_server, lesson) -> None:
    page.goto(space_url(live_server, lesson))
    # Every deferred script has run (htmx, reflect.js).
    page.wait_for_function(
        "() => document.readyState === 'complete' && window.htmx !== undefined && window.reflectLoaded"
    )


def test_a_learner_reflects_and_likes_with_the_keyboard_alone(
    page: Page, live_server, prompt, user, other_user
):
    theirs = services.create_reflection(prompt=prompt, author=other_user, body="Naming the mistake helped.")
    keyboard_log_in(page, live_server, user)
    open_space(page, live_server, prompt.lesson)

    editor = page.get_by_role("textbox", name="Your reflection")
    press_until_focused(page, editor)
    page.keyboard.type("Owning it early made the fix quicker.")

    # Tab leaves the editor (no tab character typed into it) and lands on the submit button.
    page.keyboard.press("Tab")
    post_button = page.get_by_role("button", name="Post reflection")
    expect(post_button).to_be_focused()
    expect(editor).to_have_value("Owning it early made the fix quicker.")

    # Shift+Tab goes back into the editor, and out again.
    page.keyboard.press("Shift+Tab")
    expect(editor).to_be_focused()
    expect(editor).to_have_value("Owning it early made the fix quicker.")
    page.keyboard.press("Tab")
    expect(post_button).to_be_focused()

    page.keyboard.press("Enter")
    mine = page.locator("#threads article.post").filter(has_text="Owning it early made the fix quicker.")
    expect(mine).to_have_count(1)
    expect(editor).to_have_value("")
    reflection = Reflection.objects.get(author=user, prompt=prompt)
    assert reflection.body == "Owning it early made the fix quicker."

    like = page.locator(f"#post-{theirs.pk} .like__button")
    expect(like).to_have_attribute("aria-pressed", "false")
    press_until_focused(page, like)
    page.keyboard.press("Enter")
    expect(page.locator(f"#post-{theirs.pk} .like__count")).to_have_text("1 like")
    liked = page.locator(f"#post-{theirs.pk} .like__button")
    expect(liked).to_have_attribute("aria-pressed", "true")
    expect(liked).to_be_focused()

    # Space works too, and the focus stays put for the next press.
    page.keyboard.press("Space")
    expect(page.locator(f"#post-{theirs.pk} .like__count")).to_have_text("0 likes")
    expect(liked).to_have_attribute("aria-pressed", "false")
    expect(liked).to_be_focused()


def test_focus_stays_on_the_like_button_and_the_new_state_is_announced(
    page: Page, live_server, prompt, user, other_user
):
    theirs = services.create_reflection(prompt=prompt, author=other_user, body="Say it out loud.")
    keyboard_log_in(page, live_server, user)
    open_space(page, live_server, prompt.lesson)

    # Straight to the button (the journey above tabs there), then the keyboard presses it.
    page.locator(f"#post-{theirs.pk} .like__button").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#post-{theirs.pk} .like__count")).to_have_text("1 like")
    # The button was swapped for a new one: the focus is on the new one, pressed.
    expect(page.locator(f"#like-{theirs.pk} .like__button")).to_be_focused()
    active = page.evaluate(
        """(id) => {
            const e = document.activeElement;
            return {
                isTheNewButton: e === document.querySelector(`#like-${id} .like__button`) && e.isConnected,
                pressed: e.getAttribute("aria-pressed"),
            };
        }""",
        theirs.pk,
    )
    assert active == {"isTheNewButton": True, "pressed": "true"}, focused_html(page)
    status = page.locator("#live-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("Liked")

    page.keyboard.press("Enter")
    expect(page.locator(f"#post-{theirs.pk} .like__count")).to_have_text("0 likes")
    expect(page.locator(f"#post-{theirs.pk} .like__button")).to_be_focused()
    expect(page.locator(f"#post-{theirs.pk} .like__button")).to_have_attribute("aria-pressed", "false")
    expect(status).to_have_text("Like removed")
    expect(page.locator("[aria-live]#live-status")).to_have_count(1)


def test_ctrl_enter_posts_the_reflection(page: Page, live_server, prompt, user):
    keyboard_log_in(page, live_server, user)
    open_space(page, live_server, prompt.lesson)

    editor = page.get_by_role("textbox", name="Your reflection")
    press_until_focused(page, editor)
    page.keyboard.type("Posted with Ctrl+Enter.")
    page.keyboard.press("Control+Enter")

    expect(page.locator("#threads article.post").filter(has_text="Posted with Ctrl+Enter.")).to_have_count(1)
    expect(editor).to_have_value("")
    assert Reflection.objects.get(author=user, prompt=prompt).body == "Posted with Ctrl+Enter."


def test_ctrl_enter_posts_a_reply_and_tab_leaves_the_reply_editor(
    page: Page, live_server, prompt, user, other_user
):
    theirs = services.create_reflection(prompt=prompt, author=other_user, body="What would you add?")
    keyboard_log_in(page, live_server, user)
    open_space(page, live_server, prompt.lesson)

    press_until_focused(
        page, page.locator(f"#post-{theirs.pk}").get_by_role("link", name="Reply", exact=True)
    )
    page.keyboard.press("Enter")
    reply_box = page.get_by_label(f"Your reply to {other_user.display_name}")
    expect(reply_box).to_be_focused()
    page.keyboard.type("A first line.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post reply")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(reply_box).to_be_focused()
    expect(reply_box).to_have_value("A first line.")

    page.keyboard.press("Meta+Enter")  # Cmd+Enter on a Mac
    reply = page.locator(f"#replies-{theirs.pk} article.post--reply").filter(has_text="A first line.")
    expect(reply).to_have_count(1)
    assert Reflection.objects.get(author=user, parent=theirs).body == "A first line."

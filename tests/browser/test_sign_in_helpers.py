"""WCAG 2.2 additions (issue 21, item 19): signing in works with a password manager and with paste
(3.3.8 Accessible Authentication), and nothing focused hides under a sticky or fixed header (2.4.11
Focus Not Obscured)."""

from playwright.sync_api import Page

from community import services
from tests.browser.helpers import log_in, space_url

AUTOCOMPLETE = "(e) => e.getAttribute('autocomplete')"


def test_sign_in_and_sign_up_name_their_fields_for_password_managers(page: Page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_label("Email").evaluate(AUTOCOMPLETE) in {"username", "email"}
    assert page.get_by_label("Password").evaluate(AUTOCOMPLETE) == "current-password"
    page.goto(f"{live_server.url}/accounts/signup/")
    # Members sign in with their email: that is the name a password manager must save.
    fields = page.locator("form input:not([type=hidden]):not([type=checkbox])")
    marks = dict(zip(fields.evaluate_all("es => es.map(e => e.name)"),
                     fields.evaluate_all("es => es.map(e => e.getAttribute('autocomplete'))"), strict=True))  # fmt: skip
    assert marks == {
        "display_name": "name",
        "email": "username",
        "username": "nickname",  # the @handle is not what members sign in with
        "password1": "new-password",
        "password2": "new-password",
    }


def test_paste_is_never_blocked_on_the_sign_in_form(page: Page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("load")
    for label in ("Email", "Password"):
        blocked = page.get_by_label(label).evaluate(
            """(e) => { const data = new DataTransfer(); data.setData("text/plain", "pasted");
                 const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
                 e.dispatchEvent(event); return event.defaultPrevented; }"""
        )
        assert blocked is False, f"paste is blocked in {label}"
        assert page.get_by_label(label).get_attribute("onpaste") is None
    log_in(page, live_server, user)  # and the form still signs in


OBSCURED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const r = e.getBoundingClientRect();
    const covers = [...document.querySelectorAll("body *")].filter(o => {
        const s = getComputedStyle(o);
        if (!["sticky", "fixed"].includes(s.position) || o.contains(e) || e.contains(o)) return false;
        const c = o.getBoundingClientRect();
        return c.bottom > r.top && c.top < r.bottom && c.right > r.left && c.left < r.right;
    });
    return covers.length ? e.outerHTML.slice(0, 80) : null;
}"""


def test_nothing_focused_hides_under_a_sticky_header(page: Page, live_server, prompt, user, other_user):
    for n in range(8):
        services.create_reflection(
            prompt=prompt, author=other_user, body=f"Thought {n}.\n\n" + "Words. " * 60
        )
    page.set_viewport_size({"width": 1100, "height": 500})
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    obscured = []
    for _ in range(80):
        page.keyboard.press("Tab")
        if found := page.evaluate(OBSCURED):
            obscured.append(found)
    assert obscured == []
    # The check can fail: with a sticky header and no scroll padding, a post focused just below the
    # top of the window is under the header, and OBSCURED reports it.
    page.add_style_tag(
        content=".site-header { position: sticky; top: 0; z-index: 5; } html { scroll-padding-top: 0 !important; }"
    )
    post = page.locator("article.post").nth(1)  # early: the page can scroll it to the top
    post.evaluate(
        "(e) => { e.tabIndex = -1; e.focus({preventScroll: true});"
        " window.scrollTo({top: e.getBoundingClientRect().top + scrollY - 10, behavior: 'instant'}); }"
    )
    where = page.evaluate(
        "() => [scrollY, document.querySelector('.site-header').getBoundingClientRect().toJSON(),"
        " document.activeElement.getBoundingClientRect().toJSON(), getComputedStyle(document.querySelector('.site-header')).position]"
    )
    assert page.evaluate(OBSCURED), where

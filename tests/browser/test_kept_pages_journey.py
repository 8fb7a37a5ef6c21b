"""The member's browser keeps the space page (core.conditional): going back to an unchanged page,
Chromium revalidates its copy and the server answers 304 without building it; after a colleague
posts, the page is built again, with the new reflection."""

from playwright.sync_api import Page, expect

from accounts.models import User
from community import space_page
from tests.browser.helpers import log_in, space_url
from tests.factories import make_reflection, make_user


def test_an_unchanged_space_comes_from_the_browsers_copy_and_a_changed_one_afresh(
    page: Page, live_server, prompt, user, monkeypatch
):
    built = []
    build_space = space_page.build_space
    monkeypatch.setattr(space_page, "build_space", lambda *a, **k: built.append(1) or build_space(*a, **k))
    # A member whose zone is set: otherwise their browser reports it once after signing in (issue 26),
    # a change to their row that rightly builds their next page afresh.
    User.objects.filter(pk=user.pk).update(time_zone_set=True)
    log_in(page, live_server, user)
    url = space_url(live_server, prompt.lesson)
    page.goto(url)
    assert len(built) == 1
    page.goto(f"{live_server.url}/")  # away, then back, as a member does
    page.goto(url)
    expect(page.get_by_role("heading", name=prompt.title)).to_be_visible()
    assert len(built) == 1, "the unchanged page was built again instead of revalidated"

    make_reflection(
        prompt=prompt, author=make_user(display_name="Kwame Colleague"), body="A colleague's view"
    )
    page.goto(f"{live_server.url}/")
    page.goto(url)
    expect(page.get_by_text("A colleague's view")).to_be_visible()
    assert len(built) == 2

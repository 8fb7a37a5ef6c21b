"""Steps the browser journeys share."""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def log_in(page: Page, live_server, user, password: str = PASSWORD) -> None:
    """Sign in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name=f"{user.display_name} (your profile)")).to_be_visible()


def space_url(live_server, lesson) -> str:
    return f"{live_server.url}{lesson.get_community_url()}"

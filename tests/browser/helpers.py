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


def track_requests(page: Page) -> set:
    """The page's requests still in flight, kept up to date as they start and end."""
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    return in_flight


def let_requests_finish(page: Page, in_flight: set) -> None:
    """Wait (at most 5 s) for what is in flight (a draft's autosave, an htmx swap), then leave the
    page so its timers stop: a live-server request writing while the test's database is flushed
    deadlocks."""
    for _ in range(50):
        if not in_flight:
            break
        page.wait_for_timeout(100)
    page.goto("about:blank")

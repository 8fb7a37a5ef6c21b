"""Issue 24 with streams on: the site served under ASGI (uvicorn, as the ASGI worker serves
/live/events/), polling slowed to a minute, so what arrives within seconds came by the stream's
nudge: a colleague's reflection becomes "1 new reflection", and a mention raises the header's
count, without a reload."""

import re
import socket
import threading
import time

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from community import services
from community.models import Reflection
from tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.skipif("live" not in django_settings.INSTALLED_APPS, reason="live not installed yet"),
]
uvicorn = pytest.importorskip("uvicorn")
pytest.importorskip("django_eventstream")


class AsgiServer:
    """The project's ASGI application (static files served as the live server serves them) under
    uvicorn, in a thread, against the test database."""

    def __init__(self):
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from django.core.asgi import get_asgi_application

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            ASGIStaticFilesHandler(get_asgi_application()), host="127.0.0.1", port=self.port,
            log_level="warning", lifespan="off", timeout_graceful_shutdown=1,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        for _ in range(100):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("uvicorn did not start")

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def asgi_server(transactional_db, settings):
    settings.LIVE_STREAMS = True
    settings.LIVE_POLL_SECONDS = 60  # a poll would come too late: the news must come by the stream
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    from django.db import connection

    from live import streams

    # Each ASGI request runs in a thread of its own: its connection is closed when it ends (not
    # kept for a minute, CONN_MAX_AGE), so none is left open on the test database at the end.
    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 0
    try:
        with AsgiServer() as server:
            yield server
    finally:
        streams.watcher.stop()
        connection.settings_dict["CONN_MAX_AGE"] = kept
        with connection.cursor() as cursor:  # a stream cut off mid-read may leave its thread's
            cursor.execute(  # connection behind: this test database's, no one else's
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def test_nudges_bring_the_news_and_the_count_within_seconds(
    page: Page, asgi_server, lesson, prompt, user, other_user
):
    mine = services.create_reflection(prompt=prompt, author=user, body="Naming the mistake early helps.")
    log_in(page, asgi_server, user)
    page.goto(f"{asgi_server.url}{lesson.get_community_url()}")
    news = page.locator("#live-news")
    expect(news).to_have_text("")
    page.wait_for_timeout(1_500)  # the stream is open and the page's first check has answered

    theirs = services.create_reflection(
        prompt=prompt, author=other_user, body="Our team keeps a blameless log."
    )
    expect(news).to_contain_text("1 new reflection", timeout=5_000)
    page.get_by_role("button", name="Show").click()
    expect(page.locator(f"#post-{theirs.pk}")).to_be_focused()

    bell = page.locator(".notifications-link")
    expect(bell).to_have_attribute("aria-label", "Notifications")
    services.create_reflection(prompt=prompt, author=other_user, parent=mine, body="@amara how did it go?")
    expect(bell).to_have_attribute("aria-label", re.compile(r"Notifications, 1 unread"), timeout=5_000)
    assert Reflection.objects.filter(parent=mine).count() == 1

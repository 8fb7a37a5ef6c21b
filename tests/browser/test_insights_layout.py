"""The insight page uses a wide window and stays legible on a phone (issue 21, item 18): the per-day
table is not clipped at 1280 px, dates in the learner table stay on one line (the full date in the
<time>'s datetime and title), the chart labels its axis every few days, legibly at 360 px."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from accounts.models import User
from community.models import Prompt
from demo.members import DEMO_PASSWORD
from tests.browser.helpers import log_in


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", force=True, stdout=io.StringIO())


def busiest_prompt() -> Prompt:
    return max(Prompt.objects.all(), key=lambda p: p.reflections.count())


def open_insights(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, User.objects.get(email="facilitator@example.com"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/activities/{busiest_prompt().pk}/insights/")
    return context, page


def test_at_1280_px_the_tables_use_the_width_and_dates_stay_on_one_line(browser: Browser, live_server, demo):
    context, page = open_insights(browser, live_server, 1280)
    try:
        trend = page.locator(".trend__table")
        clipped = trend.evaluate("(w) => w.querySelector('table').scrollWidth - w.clientWidth")
        assert clipped <= 0, f"the per-day table is clipped by {clipped} px"
        assert trend.evaluate("(w) => w.clientWidth") >= 300
        times = page.locator("#learners-table time, .table time")
        assert times.count() > 0
        lines = times.evaluate_all("ts => ts.map(t => [t.textContent, t.getClientRects().length, t.title])")
        wrapped = [t for t in lines if t[1] > 1]
        assert wrapped == [], f"dates wrap onto several lines: {wrapped[:5]}"
        assert all(title for _, _, title in lines), "each short date carries the full date in its title"
        labels = page.locator("svg.trend__chart text.trend__label--day")
        days = page.locator(".trend__table tbody tr").count()
        if days >= 7:
            assert labels.count() >= 3, f"{days} days but only {labels.count()} dates on the chart's axis"
    finally:
        context.close()


def test_at_360_px_the_chart_labels_are_legible(browser: Browser, live_server, demo):
    context, page = open_insights(browser, live_server, 360)
    try:
        heights = page.locator("svg.trend__chart text.trend__label").evaluate_all(
            "ts => ts.map(t => t.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 10, f"chart labels are {min(heights):.1f} px tall at 360 px"
        root = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert root[0] <= root[1]
    finally:
        context.close()

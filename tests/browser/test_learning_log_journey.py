"""Learning-log journey: a learner opens "My learning log" from the header, sees their reflection
with the reason a colleague gave with their like, filters by course, and downloads the log as PDF
(built by the worker; JOBS_INLINE runs it as soon as the request commits) and as CSV. Then the
page's accessibility (axe) and its targets at 360 px wide.
"""

import io
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from community import services
from community.models import Like
from tests.browser.helpers import log_in
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_target_size import MINIMUM, SMALL_TARGETS
from tests.factories import make_course, make_lesson

POST_TEXT = "Naming one near miss a day made our handover safer — even the café staff joined in."


def new_page(browser: Browser, contexts: list[BrowserContext], **options) -> Page:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True, **options)
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def write_log(prompt, user, other_user) -> None:
    post = services.create_reflection(prompt=prompt, author=user, body=POST_TEXT)
    services.like_reflection(reflection=post, user=other_user)
    Like.objects.filter(reflection=post).update(reason="It made me try it on my ward.")
    services.create_reflection(prompt=prompt, author=other_user, body="Ben's own words.", parent=post)
    elsewhere = services.create_prompt(
        lesson=make_lesson(course=make_course(title="A second course")),
        author=prompt.author,
        title="Another question",
        body="…",
    )
    services.create_reflection(prompt=elsewhere, author=user, body="Written in the second course.")


def test_a_learner_reads_their_log_and_downloads_it_as_pdf_and_csv(
    browser: Browser, live_server, prompt, user, other_user, tmp_path
):
    write_log(prompt, user, other_user)
    contexts: list[BrowserContext] = []
    try:
        page = new_page(browser, contexts)
        log_in(page, live_server, user)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning log").click()
        expect(page.get_by_role("heading", name="My learning log", level=1)).to_be_visible()
        posts = page.locator("article.log-post")
        expect(posts).to_have_count(2)
        mine = posts.filter(has_text="near miss")
        expect(mine).to_contain_text("1 like")
        expect(mine).to_contain_text("1 reply")
        expect(mine).to_contain_text("It made me try it on my ward.")
        expect(mine).to_contain_text(other_user.display_name)
        expect(page.get_by_text("Ben's own words.")).to_have_count(0)

        # Filter to the first course: the list and the downloads follow.
        page.get_by_label("Course").select_option(label=prompt.lesson.course.title)
        page.get_by_role("button", name="Show").click()
        expect(posts).to_have_count(1)
        expect(posts).to_contain_text("near miss")

        # "Download PDF": the worker builds it; its page offers the file.
        page.get_by_role("button", name="Download PDF").click()
        expect(page.get_by_role("heading", name="Your learning log as PDF")).to_be_visible()
        expect(page.get_by_text("Your PDF is ready: 1 post")).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download PDF").click()
        download = download_info.value
        assert download.suggested_filename.startswith(f"learning-log-{user.handle}-")
        assert download.suggested_filename.endswith(".pdf")
        saved = tmp_path / "log.pdf"
        download.save_as(saved)
        content = saved.read_bytes()
        assert content.startswith(b"%PDF")
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)
        assert POST_TEXT in text and user.display_name in text
        assert "Written in the second course." not in text

        # The CSV of the same filter.
        page.get_by_role("link", name="Back to my learning log").click()
        page.goto(f"{live_server.url}/me/learning-log/?course={prompt.lesson.course.pk}")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download CSV (spreadsheet)").click()
        csv_path = tmp_path / "log.csv"
        download_info.value.save_as(csv_path)
        csv_text = csv_path.read_bytes().decode("utf-8-sig")
        assert POST_TEXT in csv_text and "Written in the second course." not in csv_text
    finally:
        for context in contexts:
            context.close()


def test_the_log_page_is_accessible_and_its_targets_fit_a_phone(
    browser: Browser, live_server, prompt, user, other_user, output_path
):
    write_log(prompt, user, other_user)
    contexts: list[BrowserContext] = []
    try:
        # axe is injected by the test, so this context lets it past our Content Security Policy.
        page = new_page(browser, contexts, bypass_csp=True)
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/me/learning-log/")
        expect(page.locator("article.log-post")).to_have_count(2)
        assert serious_violations(page) == []
        page.goto(f"{live_server.url}/me/learning-log/?from=2026-03-31&to=2026-03-01")
        expect(page.get_by_text("The end date is before the start date.")).to_be_visible()
        assert serious_violations(page) == []
        page.goto(f"{live_server.url}/me/learning-log/")
        page.get_by_role("button", name="Download PDF").click()
        expect(page.get_by_text("Your PDF is ready")).to_be_visible()
        assert serious_violations(page) == []

        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(f"{live_server.url}/me/learning-log/")
        page.screenshot(path=Path(output_path) / "learning-log-360px.png", full_page=True)
        assert page.evaluate(SMALL_TARGETS, MINIMUM) == []
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the page scrolls sideways at 360 px ({width} px wide)"
    finally:
        for context in contexts:
            context.close()


def test_the_pdf_page_shows_the_download_once_the_worker_is_done(browser: Browser, live_server, prompt, user):
    """The page polls (htmx, every 2 s) while the PDF is being made, then offers it, without a reload."""
    from journal.models import LogExport
    from journal.services import build_log_export

    services.create_reflection(prompt=prompt, author=user, body=POST_TEXT)
    export = LogExport.objects.create(user=user)  # as request_log_pdf leaves it, before the worker
    contexts: list[BrowserContext] = []
    try:
        page = new_page(browser, contexts)
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}{export.get_absolute_url()}")
        expect(page.get_by_text("Preparing your PDF")).to_be_visible()
        page.evaluate("window.notReloaded = true")
        build_log_export(export_id=export.pk)  # the worker's part
        expect(page.get_by_text("Your PDF is ready: 1 post")).to_be_visible()
        assert page.evaluate("window.notReloaded === true"), "the page was reloaded, not updated in place"
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download PDF").click()
        assert download_info.value.suggested_filename.endswith(".pdf")
    finally:
        for context in contexts:
            context.close()

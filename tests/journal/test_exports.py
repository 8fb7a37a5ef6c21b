"""The learning log's downloads: Markdown and CSV streamed from the request, the PDF built by the
worker and downloaded by its member only."""

import csv
import io
import re
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from accounts.services import delete_account
from community import services as community
from community.models import Like, Reflection
from core.markdown import render_markdown
from journal import exports
from journal.models import LogExport
from journal.queries import LogFilters
from tests.factories import make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

MARKDOWN = reverse("journal:export-markdown")
CSV = reverse("journal:export-csv")
PDF = reverse("journal:export-pdf")

# Every tag core/markdown.py allows, in the shapes a post can take.
EVERY_TAG = """# A heading
## Second level
### Third
#### Fourth
##### Fifth
###### Sixth

A paragraph with **bold**, *emphasis*, ~~struck~~, `code`, a [link](https://example.com) and
a line break.

- a list
  - nested, with `code`
1. numbered
2. more

Between the lists.

7. starting at seven

> a quotation
> - with a list

```python
print("code block — ünïcode")
```

---

| Header | **Bold** |
|---|---|
| `code` in a cell | [a link](https://example.com) |

- after the table, a list
"""
UNICODE = "Café — “quotes” ’apostrophes’ é ü ñ ß, Ελληνικά, Русский, 中文 and emoji 😀🎉✅"


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def posts(user, other_user):
    course = make_course(title="Safety culture")
    lesson = make_lesson(course=course, number=2, title="Speaking up")
    prompt = make_prompt(lesson=lesson, title="When did you speak up?")
    first = make_reflection(prompt=prompt, author=user, body="I spoke up about the *handover*.")
    make_reflection(parent=first, author=other_user, body="Thank you for this.")
    community.like_reflection(reflection=first, user=other_user)
    Like.objects.filter(reflection=first).update(reason="It was brave.")
    formula = make_reflection(prompt=prompt, author=user, body='=HYPERLINK("http://evil.example","x")')
    other_course = make_course(title="Another course")
    elsewhere = make_reflection(prompt=make_prompt(lesson=make_lesson(course=other_course)), author=user,
                                body="In another course.")  # fmt: skip
    make_reflection(prompt=prompt, author=other_user, body="Not Amara's words.")
    return {
        "course": course,
        "first": first,
        "formula": formula,
        "elsewhere": elsewhere,
        "other_course": other_course,
    }


# --- Markdown ---------------------------------------------------------------------------------------


def test_markdown_is_streamed_with_the_log_grouped_and_counted(auth_client, user, posts):
    response = auth_client.get(MARKDOWN)
    assert response.status_code == HTTPStatus.OK
    assert response.streaming
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="learning-log-amara-\d{4}-\d{2}-\d{2}\.md"', response["Content-Disposition"]
    )
    text = body(response)
    assert text.startswith("# Learning log: Amara Osei\n\nAll dates.")
    assert "## Safety culture\n\n### Lesson 2: Speaking up\n\n#### Activity: When did you speak up?" in text
    assert "**Reflection · " in text and " · 1 like · 1 reply**" in text
    assert "> I spoke up about the *handover*." in text  # the author's Markdown, quoted
    assert "- Liked by Ben Carter: “It was brave.”" in text
    assert "Not Amara's words." not in text


def test_markdown_keeps_to_the_filters(auth_client, posts):
    text = body(auth_client.get(MARKDOWN, {"course": posts["other_course"].pk}))
    assert "In another course." in text and "handover" not in text


# --- CSV ---------------------------------------------------------------------------------------------


def test_csv_is_streamed_utf8_with_bom_and_one_row_per_post(auth_client, posts):
    response = auth_client.get(CSV)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbfCourse,Lesson,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["Text"] for row in rows] == [
        "In another course.",
        "I spoke up about the *handover*.",
        '\'=HYPERLINK("http://evil.example","x")',
    ]
    first = rows[1]
    assert first["Course"] == "Safety culture"
    assert first["Lesson"] == "Lesson 2: Speaking up"
    assert first["Activity question"] == "When did you speak up?"
    assert first["Type"] == "Reflection"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", first["Date"])
    assert (first["Likes"], first["Replies"]) == ("1", "1")
    assert first["Reasons given with likes"] == "It was brave. (Ben Carter)"


def test_csv_escapes_every_cell_that_could_run_as_a_formula(auth_client, user):
    prompt = make_prompt(
        title="+SUM(A1:A2)", lesson=make_lesson(title="-1 lesson", course=make_course(title="@course"))
    )
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1"):
        make_reflection(prompt=prompt, author=user, body=text)
    rows = list(csv.reader(io.StringIO(b"".join(auth_client.get(CSV).streaming_content).decode("utf-8-sig"))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert [row[5] for row in rows[1:]] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1+1", "'\r=1+1"]
    assert rows[1][0] == "'@course" and rows[1][2] == "'+SUM(A1:A2)"


def test_an_export_with_bad_filters_shows_the_log_page_with_the_error(auth_client, posts):
    response = auth_client.get(CSV, {"from": "2026-02-30"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Enter a date as year-month-day" in response.content.decode()


def test_exports_are_rate_limited(auth_client, posts, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "2/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = {**settings.NEW_ACCOUNT_RATE_LIMITS, "export": "2/h"}
    assert auth_client.get(CSV).status_code == HTTPStatus.OK
    assert auth_client.get(MARKDOWN).status_code == HTTPStatus.OK
    assert auth_client.get(CSV).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert auth_client.post(PDF).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not LogExport.objects.exists()


def test_a_long_log_streams_through_a_few_queries_per_chunk(auth_client, user, django_assert_max_num_queries):
    """The rows come through a server-side cursor, CHUNK at a time, with one query for the reasons of
    each chunk: never one query per post."""
    prompt = make_prompt()
    Reflection.objects.bulk_create(
        [
            Reflection(prompt=prompt, author=user, body=f"Post {n}", body_html=f"<p>Post {n}</p>")
            for n in range(450)
        ]
    )
    response = auth_client.get(CSV)
    with django_assert_max_num_queries(10) as captured:
        rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 451
    assert sum("community_like" in q["sql"] for q in captured.captured_queries) == 3  # 200 + 200 + 50


# --- PDF ---------------------------------------------------------------------------------------------


def test_the_pdf_starts_with_pdf_and_holds_the_text_name_and_range(user, posts):
    result = exports.build_pdf(user, LogFilters())
    assert result.content.startswith(b"%PDF")
    assert result.posts == 3
    text = pdf_text(result.content)
    assert "Learning log" in text and "Amara Osei" in text
    assert "I spoke up about the handover." in text
    assert "Lesson 2: Speaking up" in text and "Activity: When did you speak up?" in text
    assert "Liked by Ben Carter: “It was brave.”" in text
    assert "Not Amara's words." not in text


def test_the_pdfs_first_page_names_the_member_and_the_date_range(user, posts):
    from datetime import date

    content = exports.build_pdf(user, LogFilters(since=date(2020, 1, 1), until=date(2099, 12, 31))).content
    first_page = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "Amara Osei" in first_page
    assert "From 1 January 2020 to 31 December 2099" in first_page


def test_unicode_and_emoji_do_not_break_the_pdf(user):
    make_reflection(prompt=make_prompt(title="Qu’est-ce qui a changé ?"), author=user, body=UNICODE)
    content = exports.build_pdf(user, LogFilters()).content
    text = pdf_text(content)
    assert "Café — “quotes” ’apostrophes’ é ü ñ ß, Ελληνικά, Русский" in text
    assert "Qu’est-ce qui a changé ?" in text


def test_every_tag_the_markdown_pipeline_allows_is_laid_out(user, caplog):
    post = make_reflection(prompt=make_prompt(), author=user, body=EVERY_TAG)
    for tag in ("<h1>", "<h6>", "<s>", '<ol start="7">', "<blockquote>", "<pre>", "<hr>", "<table>", "<td>"):
        assert tag in post.body_html, tag
    text = pdf_text(exports.build_pdf(user, LogFilters()).content)
    assert "plain text" not in caplog.text  # no post needed the fallback
    for words in ("A heading", "Sixth", "struck", "nested, with code", "starting at seven", "a quotation",
                  "code block — ünïcode", "Header | Bold", "code in a cell | a link", "after the table"):  # fmt: skip
        assert words in text, words


# Blocks a post can be made of; mixed at random below (fpdf2's table once lost its state when a
# list came after it, which only such mixes showed).
BLOCKS = [
    "# Heading with `code` and a [link](https://example.com)",
    "A paragraph with **bold**, *emphasis*, ~~struck~~ and `code`.",
    "- one\n  - nested\n    - deeper",
    "3. three\n4. four",
    "> quoted\n> - list in a quote\n>\n> ```\n> code in a quote\n> ```",
    "```\n" + "long line " * 30 + "\n```",
    "| a | **b** |\n|---|---|\n| **x** `y` | [d](https://example.com) |\n| short row |",
    "- # heading in a list\n- > quote in a list",
    "---",
    "x" * 300,
    UNICODE,
    "line\nbreaks\nhere",
]


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(blocks=st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=6))
def test_fpdf2_lays_out_any_mix_of_what_posts_may_hold(blocks):
    """Directly, without the plain-text fallback: any mix of the allowed tags must not raise."""
    pdf = exports.LogPDF(SimpleNamespace(display_name="Tester"))
    pdf.add_page()
    pdf.set_font(exports.FAMILY, "", 10.5)
    pdf.write_html(exports.pdf_html(render_markdown("\n\n".join(blocks))), tag_styles=exports.POST_STYLES,
                   font_family=exports.FAMILY)  # fmt: skip
    assert bytes(pdf.output()).startswith(b"%PDF")


def test_a_post_fpdf2_cannot_lay_out_is_written_as_plain_text(user, monkeypatch):
    make_reflection(prompt=make_prompt(), author=user, body="Words that **survive** a layout failure.")

    def broken(self, *args, **kwargs):
        raise NotImplementedError("Unsupported nested HTML tags")

    monkeypatch.setattr(exports.LogPDF, "write_html", broken)
    text = pdf_text(exports.build_pdf(user, LogFilters()).content)
    assert "Words that **survive** a layout failure." in text


def test_an_empty_log_still_makes_a_pdf_that_says_so(user):
    text = pdf_text(exports.build_pdf(user, LogFilters()).content)
    assert "You wrote no reflections or replies in this range." in text


def test_download_pdf_builds_it_in_the_worker_and_offers_it_to_its_member(
    auth_client, user, posts, committed
):
    with committed():
        response = auth_client.post(PDF, {"course": posts["course"].pk})
    export = LogExport.objects.get(user=user)
    assert response.status_code == HTTPStatus.FOUND and response.url == export.get_absolute_url()
    assert export.status == LogExport.Status.READY  # JOBS_INLINE: the job ran after the commit
    assert export.course == posts["course"] and export.post_count == 2
    page = auth_client.get(export.get_absolute_url()).content.decode()
    assert "Your PDF is ready: 2 posts" in page and "Safety culture" in page
    download = auth_client.get(reverse("journal:pdf-download", args=[export.pk]))
    assert download.status_code == HTTPStatus.OK
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="learning-log-amara-')
    assert download.content.startswith(b"%PDF")
    assert "In another course." not in pdf_text(download.content)


def test_the_pdf_is_queued_for_the_worker_and_the_page_waits_for_it(
    auth_client, user, posts, jobs, committed
):
    with committed():
        auth_client.post(PDF)
    export = LogExport.objects.get(user=user)
    assert export.status == LogExport.Status.PENDING and jobs.names() == ["journal.build_log_pdf"]
    page = auth_client.get(export.get_absolute_url()).content.decode()
    assert "Preparing your PDF" in page and 'data-hx-trigger="every 2s"' in page
    assert auth_client.get(reverse("journal:pdf-download", args=[export.pk])).url == export.get_absolute_url()
    assert jobs.run() == 1
    partial = auth_client.get(export.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert (
        "<html" not in partial
        and "Your PDF is ready: 3 posts" in partial
        and "data-hx-trigger" not in partial
    )


def test_a_new_pdf_replaces_the_members_earlier_one(auth_client, user, posts):
    auth_client.post(PDF)
    auth_client.post(PDF)
    assert LogExport.objects.filter(user=user).count() == 1


def test_a_failed_pdf_says_so(auth_client, user, posts, monkeypatch, jobs, committed):
    with committed():
        auth_client.post(PDF)
    monkeypatch.setattr(exports, "log_items", lambda *args: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        jobs.run()
    export = LogExport.objects.get(user=user)
    assert export.status == LogExport.Status.FAILED
    assert "the PDF could not be made" in auth_client.get(export.get_absolute_url()).content.decode()


def test_no_one_else_can_see_or_download_a_members_pdf(client, user, posts, committed):
    client.force_login(user)
    with committed():
        client.post(PDF)
    export = LogExport.objects.get(user=user, status=LogExport.Status.READY)
    for someone in (make_user(), make_user(is_staff=True, is_superuser=True, role="")):
        client.force_login(someone)
        assert client.get(export.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
        assert (
            client.get(reverse("journal:pdf-download", args=[export.pk])).status_code == HTTPStatus.NOT_FOUND
        )


def test_deleting_the_account_removes_its_pdfs(auth_client, user, posts):
    auth_client.post(PDF)
    delete_account(user=user, remove_posts=False)
    assert not LogExport.objects.exists()


# --- Other scripts (issue 26) --------------------------------------------------------------------------

ARABIC = "نتعلم من أخطائنا معا"
GREEK_CYRILLIC = "Ελληνικά και Русский"


def _letters(text: str) -> str:
    """The Arabic letters of ``text`` in order, whatever forms (isolated, joined) the PDF drew."""
    import unicodedata

    return "".join(
        unicodedata.normalize("NFKC", char)
        for char in text
        if "\u0600" <= unicodedata.normalize("NFKC", char) <= "\u06ff"
    )


def test_a_reflection_in_arabic_is_printed_with_its_own_letters(user):
    make_reflection(
        prompt=make_prompt(title="سؤال اليوم"),
        author=user,
        body=f"{ARABIC}\n\n*{ARABIC}*\n\n{GREEK_CYRILLIC}",
    )
    content = exports.build_pdf(user, LogFilters()).content
    text = pdf_text(content)
    assert "?" not in text  # no character replaced (fpdf2 prints "?" for a missing glyph)
    letters = _letters(text)
    wanted = _letters(ARABIC)
    assert wanted in letters or wanted[::-1] in letters  # logical or visual order, both words whole
    assert GREEK_CYRILLIC in text


def test_arabic_is_shaped_right_to_left():
    """HarfBuzz shapes the log's text: Arabic is set in other glyphs (joined forms, right to left)
    than the same words unshaped, and still reads back as the same words."""

    def page(shaping: bool):
        pdf = exports.LogPDF(SimpleNamespace(display_name="Amal", language="ar"))
        pdf.set_text_shaping(use_shaping_engine=shaping)
        pdf.add_page()
        pdf.set_font(exports.FAMILY, "", 12)
        pdf.multi_cell(0, 6, ARABIC)
        return PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0]

    shaped, unshaped = page(True), page(False)
    assert shaped.get_contents().get_data() != unshaped.get_contents().get_data()
    letters = _letters(shaped.extract_text())
    assert letters in (_letters(ARABIC), _letters(ARABIC)[::-1])

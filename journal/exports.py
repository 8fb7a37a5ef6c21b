"""The learning log as files for a CPD record: Markdown and CSV (streamed from the request) and
PDF (built by the worker, see ``journal.tasks``; docs/decisions.md says why).

For each post every format has the course, lesson, activity question, date, type (reflection or
reply), the text, the likes and replies it received, and the reasons given with likes. The rows
come from ``queries.log_entries`` through a server-side cursor, ``CHUNK`` at a time, with one
query for the reasons of each chunk, so a log of any length streams in constant memory.
"""

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from fpdf import FPDF, FontFace, TextStyle

from core.csvsafe import safe_row
from core.dates import display_format
from journal.queries import LogFilters, log_entries, member_zone, reasons_for

logger = logging.getLogger(__name__)

CHUNK = 200
FONTS = Path(__file__).resolve().parent / "fonts"


def csv_header() -> list[str]:
    """The CSV's column headings, in the active language."""
    return [
        _("Course"),
        _("Lesson"),
        _("Activity question"),
        _("Type"),
        _("Date"),
        _("Text"),
        _("Content note"),
        _("Likes"),
        _("Replies"),
        _("Visibility"),
        _("Reasons given with likes"),
        _("Link"),
    ]


# --- The rows, in chunks -------------------------------------------------------------------------


def log_items(member, filters: LogFilters) -> Iterator:
    """The member's filtered log, each post with ``reasons`` (a list of ``queries.Reason``)."""
    batch: list = []
    for post in log_entries(member, filters).iterator(chunk_size=CHUNK):
        batch.append(post)
        if len(batch) == CHUNK:
            yield from _with_reasons(batch)
            batch = []
    yield from _with_reasons(batch)


def _with_reasons(batch: list) -> Iterator:
    if not batch:
        return
    reasons = reasons_for(post.pk for post in batch)
    for post in batch:
        post.reasons = reasons.get(post.pk, [])
        yield post


def kind(post) -> str:
    if post.follows_up_id:  # issue 25: "Follow-up, 3 weeks later", right after its reflection
        # Translators: the type of a log entry; %(gap)s is how long after its reflection ("3 weeks later").
        return _("Follow-up, %(gap)s") % {"gap": post.follow_up_gap}
    return pgettext("noun", "Reply") if post.is_reply else _("Reflection")


def is_shared(post) -> bool:
    """Shared with colleagues under the author's name: the log says nothing about who reads it."""
    return not (post.is_hidden or post.is_private or post.for_facilitators or post.anonymous)


def visibility(post) -> str:
    """What the author is told about who can read the post (as the page says)."""
    if post.is_hidden:
        return _("Hidden by a moderator") if post.hidden_by_id else _("Hidden pending review")
    if post.is_private:
        return _("Private")
    if post.for_facilitators:
        return (
            _("Private reply (its author, you and the facilitators)")
            if post.is_reply
            else _("For the facilitator only")
        )
    if post.anonymous:
        return _("Shared anonymously (colleagues see “%(name)s”)") % {"name": post.pseudonym_label}
    return _("Shared")


def lesson_label(lesson) -> str:
    return _("Lesson %(number)s: %(title)s") % {"number": lesson.number, "title": lesson.title}


def local(value: datetime, member) -> datetime:
    return timezone.localtime(value, member_zone(member))


def post_link(post) -> str:
    return f"{settings.SITE_URL}{post.get_absolute_url()}"


def filename(member, extension: str) -> str:
    return f"learning-log-{member.handle}-{timezone.localdate(timezone=member_zone(member)):%Y-%m-%d}.{extension}"


def range_text(filters: LogFilters, first: date | None = None, last: date | None = None) -> str:
    """ "From 1 March 2026 to 31 March 2026", from the filters, else the posts' own first and last days."""
    since, until = filters.since or first, filters.until or last
    if since and until:
        return _("From %(since)s to %(until)s") % {
            "since": format_date(since, get_format("DATE_FORMAT")),
            "until": format_date(until, get_format("DATE_FORMAT")),
        }
    if since:
        return _("From %(since)s") % {"since": format_date(since, get_format("DATE_FORMAT"))}
    if until:
        return _("Up to %(until)s") % {"until": format_date(until, get_format("DATE_FORMAT"))}
    return _("All dates")


def _reflections(n: int) -> str:
    return ngettext("%(count)s reflection", "%(count)s reflections", n) % {"count": n}


def _replies(n: int) -> str:
    return ngettext("%(count)s reply", "%(count)s replies", n) % {"count": n}


def _likes(n: int) -> str:
    return ngettext("%(count)s like", "%(count)s likes", n) % {"count": n}


def _exported(member) -> str:
    """ "Exported from Reflect on 8 December 2026." (the member's day)."""
    today = format_date(timezone.localdate(timezone=member_zone(member)), get_format("DATE_FORMAT"))
    return _("Exported from %(site)s on %(date)s.") % {"site": settings.SITE_NAME, "date": today}


def _liked_by(reason) -> str:
    return _("Liked by %(name)s: “%(reason)s”") % {
        "name": _one_line(reason.by),
        "reason": _one_line(reason.text),
    }


# --- CSV -----------------------------------------------------------------------------------------


class _Echo:
    """csv.writer writes to this and gets the line back, so rows can be yielded as they are made."""

    def write(self, value: str) -> str:
        return value


def csv_lines(member, filters: LogFilters) -> Iterator[str]:
    """UTF-8 with a byte order mark (so spreadsheets read it as UTF-8), every cell formula-safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(csv_header())
    for post in log_items(member, filters):
        lesson = post.prompt.lesson
        yield writer.writerow(
            safe_row(
                [
                    lesson.course.title,
                    lesson_label(lesson),
                    post.prompt.title,
                    kind(post),
                    f"{local(post.created_at, member):%Y-%m-%d %H:%M}",
                    post.body,
                    post.content_note,
                    post.like_count,
                    post.replies_received,
                    visibility(post),
                    "; ".join(f"{reason.text} ({reason.by})" for reason in post.reasons),
                    post_link(post),
                ]
            )
        )


# --- Markdown ------------------------------------------------------------------------------------


def _quoted(text: str) -> str:
    """The post's Markdown as a block quote, so its own headings stay inside it."""
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines()) or ">"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def markdown_chunks(member, filters: LogFilters) -> Iterator[str]:
    yield "# " + _("Learning log: %(name)s") % {"name": _one_line(member.display_name)} + "\n\n"
    # Translators: the line under the Markdown log's title: the dates it covers, then when it was made.
    yield (
        _("%(range)s. %(exported)s") % {"range": range_text(filters), "exported": _exported(member)} + "\n\n"
    )
    course = lesson = prompt = None
    for post in log_items(member, filters):
        parts = []
        if post.prompt.lesson.course_id != course:
            course, lesson, prompt = post.prompt.lesson.course_id, None, None
            parts.append(f"## {_one_line(post.prompt.lesson.course.title)}\n\n")
        if post.prompt.lesson_id != lesson:
            lesson, prompt = post.prompt.lesson_id, None
            parts.append(f"### {_one_line(lesson_label(post.prompt.lesson))}\n\n")
        if post.prompt_id != prompt:
            prompt = post.prompt_id
            parts.append(
                "#### " + _("Activity: %(title)s") % {"title": _one_line(post.prompt.title)} + "\n\n"
            )
        facts = _facts(post, member)
        # Translators: the Markdown log's link to a post on the site.
        parts.append(f"**{' · '.join(facts)}** ([{_('link')}]({post_link(post)}))\n\n")
        parts.append(_quoted(post.body) + "\n\n")
        for reason in post.reasons:
            parts.append(f"- {_liked_by(reason)}\n")
        if post.reasons:
            parts.append("\n")
        yield "".join(parts)


# --- PDF -----------------------------------------------------------------------------------------

FAMILY, MONO, FALLBACK = "dejavu", "dejavumono", "dejavufallback"
INK, MUTED, BRAND = (31, 41, 39), (90, 99, 97), (20, 94, 84)
_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(t[dh])>(.*?)</\1>", re.S)
# The post's own HTML, sized below the log's headings (course 16 pt, lesson 13, activity 11).
POST_STYLES = {
    "a": FontFace(color=BRAND, emphasis="UNDERLINE"),
    "code": FontFace(family=MONO),
    "pre": TextStyle(font_family=MONO, t_margin=2, b_margin=2),
    "blockquote": TextStyle(color=MUTED, l_margin=6, t_margin=2, b_margin=2),
    **{
        f"h{level}": TextStyle(font_style="B", font_size_pt=size, color=INK, t_margin=3, b_margin=1)
        for level, size in zip(range(1, 7), (12.5, 12, 11.5, 11, 10.5, 10.5), strict=True)
    },
}


def _flatten_tables(html: str) -> str:
    """Tables as lines of "cell | cell" (header row in bold): fpdf2's tables refuse some inline
    markup in cells (code after bold) and failed an internal assertion in some mixes of tables and
    lists (tests/journal/test_exports.py renders random mixes)."""

    def flatten(match: re.Match) -> str:
        rows = []
        for row in _ROW.findall(match.group(1)):
            cells = _CELL.findall(row)
            text = " | ".join(inner.strip() for _tag, inner in cells)
            rows.append(
                f"<strong>{text}</strong>" if cells and all(t == "th" for t, _inner in cells) else text
            )
        return "<p>" + "<br>".join(rows) + "</p>"

    return _TABLE.sub(flatten, html)


def pdf_html(body_html: str) -> str:
    """The stored, sanitised ``body_html`` in the shape fpdf2's ``write_html`` renders reliably."""
    return _flatten_tables(body_html)


class LogPDF(FPDF):
    def __init__(self, member):
        super().__init__(format="A4")
        self.member_name = _one_line(member.display_name)
        for style, file in (
            ("", "DejaVuSans.ttf"),
            ("B", "DejaVuSans-Bold.ttf"),
            ("I", "DejaVuSans-Oblique.ttf"),
            ("BI", "DejaVuSans-BoldOblique.ttf"),
        ):
            self.add_font(FAMILY, style, FONTS / file)
        for style in ("", "B", "I", "BI"):  # code keeps one face: bold or italic code is rare
            self.add_font(MONO, style, FONTS / "DejaVuSansMono.ttf")
        # DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew and Arabic; its oblique faces have no
        # Arabic, so italic Arabic falls back to the upright face (decision 113).
        self.add_font(FALLBACK, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FALLBACK, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_fallback_fonts([FALLBACK], exact_match=False)
        # HarfBuzz (uharfbuzz): Arabic letters joined, right-to-left runs; each paragraph's
        # direction from its text.
        self.set_text_shaping(use_shaping_engine=True)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(_("Learning log: %(name)s") % {"name": self.member_name})
        self.set_author(self.member_name)
        self.set_creator(settings.SITE_NAME)
        self.set_lang(getattr(member, "language", "") or settings.LANGUAGE_CODE)
        self.set_text_color(*INK)

    def footer(self):
        self.set_y(-13)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        # Translators: the PDF's footer; {nb} is the number of pages, filled in by the PDF library.
        text = _("%(name)s · Learning log · page %(page)s of {nb}") % {
            "name": self.member_name,
            "page": self.page_no(),
        }
        self.cell(0, 5, text, align="C")
        self.set_text_color(*INK)

    def heading(self, text: str, size: float, style: str = "B", space: float = 4) -> None:
        self.ln(space)
        self.set_font(FAMILY, style, size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def line_of(self, text: str, size: float = 9, style: str = "", color=MUTED) -> None:
        self.set_font(FAMILY, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def rule(self) -> None:
        """A light line under a post."""
        self.ln(2)
        self.set_draw_color(215, 222, 220)
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)
        self.ln(1)

    def post_body(self, post) -> None:
        self.set_font(FAMILY, "", 10.5)
        try:
            self.write_html(
                pdf_html(post.body_html), tag_styles=POST_STYLES, font_family=FAMILY, li_prefix_color=INK
            )
        except Exception:  # fpdf2 met a shape it cannot lay out: this post as plain text instead
            logger.warning("PDF: post %s written as plain text", post.pk, exc_info=True)
            self.set_x(self.l_margin)
            self.set_font(FAMILY, "", 10.5)
            self.multi_cell(0, 5, post.body, new_x="LMARGIN", new_y="NEXT")
        self.set_x(self.l_margin)


@dataclass
class PdfResult:
    content: bytes
    posts: int


def build_pdf(member, filters: LogFilters) -> PdfResult:
    """The whole filtered log as a PDF (in memory: a worker job, see ``journal.tasks``)."""
    posts = list(log_items(member, filters))
    days = [local(post.created_at, member).date() for post in posts]
    pdf = LogPDF(member)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 22)
    pdf.cell(0, 12, _("Learning log"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, pdf.member_name, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.line_of(range_text(filters, min(days, default=None), max(days, default=None)), size=11, color=INK)
    if filters.course_id and posts:
        pdf.line_of(
            _("Course: %(title)s") % {"title": posts[0].prompt.lesson.course.title}, size=11, color=INK
        )
    reflections = sum(1 for post in posts if not post.is_reply)
    # Translators: the PDF's figures: "3 reflections and 2 replies; 5 likes and 1 reply received."
    # Each %(…)s is already a counted phrase ("3 reflections", "1 reply").
    figures = _("%(reflections)s and %(replies)s; %(likes)s and %(received)s received.") % {
        "reflections": _reflections(reflections),
        "replies": _replies(len(posts) - reflections),
        "likes": _likes(sum(p.like_count for p in posts)),
        "received": _replies(sum(p.replies_received for p in posts)),
    }
    pdf.line_of(figures, size=10)
    pdf.line_of(_exported(member), size=10)
    if not posts:
        pdf.ln(6)
        pdf.line_of(_("You wrote no reflections or replies in this range."), size=11, color=INK)
    course = lesson = prompt = None
    for post in posts:
        if post.prompt.lesson.course_id != course:
            course, lesson, prompt = post.prompt.lesson.course_id, None, None
            pdf.heading(post.prompt.lesson.course.title, 16, space=8)
        if post.prompt.lesson_id != lesson:
            lesson, prompt = post.prompt.lesson_id, None
            pdf.heading(lesson_label(post.prompt.lesson), 13)
        if post.prompt_id != prompt:
            prompt = post.prompt_id
            pdf.heading(_("Activity: %(title)s") % {"title": post.prompt.title}, 11, style="BI", space=2)
        facts = _facts(post, member)
        pdf.ln(2)
        pdf.line_of(" · ".join(facts), size=9, style="B", color=BRAND)
        pdf.post_body(post)
        if post.reasons:
            pdf.ln(1)
        for reason in post.reasons:
            pdf.line_of(_liked_by(reason), size=9, style="I")
        pdf.rule()
    return PdfResult(content=bytes(pdf.output()), posts=len(posts))


def _facts(post, member) -> list[str]:
    """What a log entry says about a post: its kind, date, likes, replies and (unless shared) its
    visibility, for both the Markdown and the PDF."""
    facts = [
        kind(post),
        format_date(local(post.created_at, member), display_format()),
        _likes(post.like_count),
        _replies(post.replies_received),
    ]
    if not is_shared(post):
        facts.append(visibility(post))
    if post.content_note:  # the author's own words stay whole; the note they gave others, beside
        facts.append(_("Content note: %(note)s") % {"note": _one_line(post.content_note)})
    return facts

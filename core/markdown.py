"""The one Markdown pipeline for everything people write on Reflect.

markdown-it-py (CommonMark, raw HTML off, so any HTML typed is escaped before bleach sees it)
→ one pass over its tokens (a link without text shows its address; bidirectional controls leave
link text) → bleach allow-list of tags, attributes and URL schemes, which also turns bare
addresses into links and puts rel="nofollow ugc noopener" on every link. bleach is deprecated
upstream: keeping it behind ``render_markdown`` makes a swap cheap.

Bounded work. Whatever its shape, a 20,000-character post (``REFLECTION_MAX_LENGTH``) renders in
a fraction of a second on one core (tests/core/test_markdown_limits.py measures the worst shapes):

- ``[`` and ``![`` are tried as links at most ``MAX_BRACKETS`` times per text; after that they
  are plain characters (markdown-it-py spends ~20 µs on each, more when they nest);
- a table takes at most ``MAX_TABLE_CELLS`` cells (markdown-it-py would fill short rows of a wide
  header up to 65,536 empty cells); the rows after that stay text;
- nesting (quotes in lists in quotes…, brackets in brackets) stops at ``MAX_NESTING`` levels;
  quotes and list items deeper than ``MAX_BLOCK_MARKERS`` on a line are flattened to that depth
  first, so their words still show;
- bleach's html5lib pass costs ~30-60 µs per element, so Markdown that would expand into more
  than ``MAX_TAGS`` tags or ``MAX_HTML`` characters per 20,000 characters of text (thousands of
  line breaks, table cells or code spans) is shown as plain text: paragraphs and line breaks.
"""

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from types import SimpleNamespace

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt, helpers
from markdown_it.rules_block.table import table as _table_rule
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as _image_rule
from markdown_it.rules_inline.link import link as _link_rule
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "del", "s", "a", "ul", "ol", "li", "blockquote", "code", "pre",
        "hr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+-]{1,30}")
# A handle after "@" that does not follow a word character (so e-mail addresses are left alone).
MENTION_PATTERN = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{1,30})\b")
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,30}\b")
# Embeddings and overrides (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): fine in running text, which the
# page shows inside dir="auto", but never inside a link's text, where they can disguise an address.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Limits on the work one text may cause (see the module docstring). Per 20,000 characters of text
# for MAX_TAGS and MAX_HTML, so a long lesson written by staff may be proportionally bigger.
MAX_BRACKETS = 1_000
MAX_LABEL_STEPS = 40_000
MAX_TABLE_CELLS = 1_000
MAX_NESTING = 20
MAX_TAGS = 4_000
MAX_HTML = 60_000
_BUDGET_UNIT = 20_000


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title", "rel"} or (name == "class" and value == "mention")
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag == "code":
        return name == "class" and bool(_LANGUAGE_CLASS.fullmatch(value))
    return False


def _set_link_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _clean_bare_address(attrs: dict, new: bool = False) -> dict | None:
    """A bare address that linkify turned into a link: none with a scheme outside the allow-list
    (linkify runs after the sanitizer and knows ``data:``, ``ftp:``…; such text stays text), and
    no bidirectional controls in it."""
    if not new:
        return attrs
    href = BIDI_CONTROLS.sub("", attrs.get((None, "href"), ""))
    scheme = href.partition(":")[0].lower() if ":" in href else ""
    if scheme not in ALLOWED_PROTOCOLS:
        return None
    attrs[(None, "href")] = href
    attrs["_text"] = BIDI_CONTROLS.sub("", attrs.get("_text", ""))
    return attrs


def _mention(state: StateInline, silent: bool) -> bool:
    """``@handle`` → a link to the member's profile, for handles the caller knows exist."""
    pos = state.pos
    if state.src[pos] != "@" or state.linkLevel > 0:
        return False
    if pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "_@/"):
        return False
    match = _HANDLE.match(state.src, pos + 1)
    if not match or match.group(0).lower() not in state.env.get("mentions", ()):
        return False
    if not silent:
        handle = match.group(0).lower()
        link = state.push("link_open", "a", 1)
        link.attrs = {"href": f"/u/{handle}/", "class": "mention"}
        state.push("text", "", 0).content = f"@{match.group(0)}"
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def _bracket_budget(rule, opener: str):
    """``rule`` (link at ``[``, image at ``![``), tried at most ``MAX_BRACKETS`` times per text:
    each try scans ahead for the closing ``]``, and ``"![" * 10_000`` would cost a third of a second."""

    def limited(state: StateInline, silent: bool) -> bool:
        if not state.src.startswith(opener, state.pos):
            return False
        left = state.env.get("_brackets_left", MAX_BRACKETS)
        if left <= 0:
            return False
        state.env["_brackets_left"] = left - 1
        return rule(state, silent)

    return limited


def _parse_link_label(state: StateInline, start: int, disableNested: bool = False) -> int:  # noqa: N803
    """markdown-it-py's ``parseLinkLabel`` (the end of the ``[label]`` opening at ``start``, or -1)
    within a budget of ``MAX_LABEL_STEPS`` steps per text: each unclosed ``[`` scans to the end of
    its paragraph, so without it ``"[" * 20_000`` takes a few hundred thousand steps."""
    env = state.env
    old_pos = state.pos
    state.pos = start + 1
    level = 1
    while state.pos < state.posMax:
        env["_label_steps_left"] = env.get("_label_steps_left", MAX_LABEL_STEPS) - 1
        if env["_label_steps_left"] < 0:
            break
        marker = state.src[state.pos]
        if marker == "]":
            level -= 1
            if level == 0:
                label_end = state.pos
                state.pos = old_pos
                return label_end
        previous = state.pos
        state.md.inline.skipToken(state)
        if marker == "[":
            if previous == state.pos - 1:
                level += 1  # a "[" of text, not part of a token
            elif disableNested:
                break
    state.pos = old_pos
    return -1


def _bounded_table(state, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it-py's table, ending after ``MAX_TABLE_CELLS`` cells; the lines after stay text."""
    if silent or not _table_rule(state, start_line, end_line, True):
        return _table_rule(state, start_line, end_line, silent)
    delimiter_row = state.src[state.bMarks[start_line + 1] : state.eMarks[start_line + 1]]
    columns = max(1, sum(1 for cell in delimiter_row.split("|") if cell.strip()))
    last_line = start_line + 2 + max(1, MAX_TABLE_CELLS // columns)
    return _table_rule(state, start_line, min(end_line, last_line), silent)


def _visible(text: str) -> bool:
    """Whether ``text`` has a character that shows: not a space, a format or control character
    (zero-width space, word joiner, BOM, bidi controls…), a lone combining mark, or a blank
    filler (Hangul fillers, braille blank)."""
    for char in text:
        if char.isspace() or char in _BLANK_FILLERS:
            continue
        if unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
            return True
    return False


_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u034f")
# Markup typed as text (HTML is never rendered, so it shows as these characters, but a post of
# nothing else has nothing to say): tags and comments.
_TYPED_MARKUP = re.compile(r"<!--.*?(?:-->|$)|</?[A-Za-z][^<>]*>", re.DOTALL)


def _link_text(state: StateCore) -> None:
    """Core rule, after inline parsing: a link whose text shows nothing (``[](https://…)``) gets
    its address as text, marked ``meta["filled"]`` (or is dropped when it has no address); link
    text and titles lose bidirectional controls."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        index = 0
        while index < len(children):
            if children[index].type != "link_open":
                index += 1
                continue
            link = children[index]
            end = next((j for j in range(index + 1, len(children)) if children[j].type == "link_close"), None)
            if end is None:
                break
            inside = children[index + 1 : end]
            for token in inside:
                if token.type in {"text", "code_inline"}:
                    token.content = BIDI_CONTROLS.sub("", token.content)
            if link.attrGet("title"):
                link.attrSet("title", BIDI_CONTROLS.sub("", str(link.attrGet("title"))))
            if not any(token.type in {"text", "code_inline"} and _visible(token.content) for token in inside):
                href = str(link.attrGet("href") or "")
                if href:
                    address = state.md.normalizeLinkText(href)
                    address = BIDI_CONTROLS.sub("", address.removeprefix("mailto:"))
                    filled = Token("text", "", 0, content=address, meta={"filled": True})
                    children[index + 1 : end] = [filled]
                    end = index + 2
                else:
                    del children[end]
                    del children[index]
                    end = index
            index = end + 1


_parser = MarkdownIt("commonmark", {"html": False, "breaks": True, "maxNesting": MAX_NESTING})
_parser.enable(["strikethrough", "table"])
_parser.helpers = SimpleNamespace(  # this parser's own, so no other MarkdownIt instance changes
    parseLinkLabel=_parse_link_label,
    parseLinkDestination=helpers.parseLinkDestination,
    parseLinkTitle=helpers.parseLinkTitle,
)
_parser.inline.ruler.before("emphasis", "mention", _mention)
_parser.inline.ruler.at("link", _bracket_budget(_link_rule, "["))
_parser.inline.ruler.at("image", _bracket_budget(_image_rule, "!["))
_parser.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
_parser.core.ruler.push("link_text", _link_text)


def _make_cleaner(tags, *, no_links_in: set[str]) -> bleach.Cleaner:
    """The allowlist for ``tags``, with bare addresses linked (except inside ``no_links_in``)."""
    return bleach.Cleaner(
        tags=tags,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(
                LinkifyFilter,
                callbacks=[_set_link_rel, _clean_bare_address],
                skip_tags=no_links_in,
                parse_email=False,
            )
        ],
    )


_cleaner = _make_cleaner(ALLOWED_TAGS, no_links_in={"pre", "code"})


@dataclass(frozen=True)
class Rendering:
    """A text rendered, with what a form needs to judge it."""

    html: str
    #: Whether a reader would see any of the author's own text: not only spaces, invisible
    #: characters, Markdown punctuation, typed HTML tags or links without text.
    has_visible_text: bool
    #: Whether the text was too expensive as Markdown and is shown as plain text.
    plain: bool = False

    @property
    def link_count(self) -> int:
        """``<a>`` elements other than @mentions: Markdown links, <autolinks> and bare addresses."""
        counter = _LinkCounter()
        counter.feed(self.html)
        return counter.links


class _LinkCounter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a" and ("class", "mention") not in attrs:
            self.links += 1


def _within_budget(text: str, rendered: str) -> bool:
    scale = max(1.0, len(text) / _BUDGET_UNIT)
    return rendered.count("<") <= MAX_TAGS * scale and len(rendered) <= MAX_HTML * scale


def _plain(text: str) -> str:
    """``text`` as paragraphs (at blank lines) and line breaks, every character escaped."""
    paragraphs = re.split(r"\n[ \t]*\n+", text.strip().replace("\r\n", "\n"))
    return "\n".join(
        "<p>" + "<br>\n".join(html.escape(line.strip(), quote=True) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p.strip()
    )


def _has_visible_text(tokens: list[Token]) -> bool:
    for token in tokens:
        if token.type in {"fence", "code_block"} and _visible(token.content):
            return True
        if token.type != "inline":
            continue
        words = "".join(
            child.content
            for child in token.children or ()
            if child.type == "text" and not child.meta.get("filled")
        )
        if _visible(_TYPED_MARKUP.sub("", words)):
            return True
        if any(child.type == "code_inline" and _visible(child.content) for child in token.children or ()):
            return True
    return False


# Quotes and list items nested deeper than this on one line are flattened to this depth before
# parsing: markdown-it drops what lies beyond ``MAX_NESTING`` levels (a list item is two), so the
# words would vanish from the page while staying in the exports of the text.
MAX_BLOCK_MARKERS = 8
_BLOCK_MARKER = re.compile(r"[ \t]{0,3}(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?")
_BLOCK_MARKERS = re.compile(rf"^(?:{_BLOCK_MARKER.pattern}){{{MAX_BLOCK_MARKERS + 1},}}", re.MULTILINE)


def _flatten_deep_blocks(text: str) -> str:
    def flatten(match: re.Match) -> str:
        markers = _BLOCK_MARKER.findall(match.group(0))
        return "".join(markers[:MAX_BLOCK_MARKERS])

    return _BLOCK_MARKERS.sub(flatten, text)


def render(text: str, *, mentions: Iterable[str] = ()) -> Rendering:
    """Render Markdown ``text`` (see ``render_markdown``) and say whether it shows anything."""
    if not text:
        return Rendering(html="", has_visible_text=False)
    text = _flatten_deep_blocks(text)
    env = {"mentions": frozenset(mentions)}
    tokens = _parser.parse(text, env)
    rendered = _parser.renderer.render(tokens, _parser.options, env)
    if not _within_budget(text, rendered):
        return Rendering(
            html=_plain(text), has_visible_text=_visible(_TYPED_MARKUP.sub("", text)), plain=True
        )
    return Rendering(html=_cleaner.clean(rendered).strip(), has_visible_text=_has_visible_text(tokens))


def render_markdown(text: str, *, mentions: Iterable[str] = ()) -> str:
    """Return safe HTML for Markdown ``text``. The only function that turns user text into HTML.

    ``mentions``: lower-case handles of existing members; ``@handle`` for those becomes a
    profile link, any other ``@word`` stays plain text.
    """
    return render(text, mentions=mentions).html


def mentioned_handles(text: str) -> set[str]:
    """Lower-case handles that ``text`` mentions (whether or not such members exist)."""
    return {match.group(1).lower() for match in MENTION_PATTERN.finditer(text or "")}


# --- Short notes: one line of inline Markdown (a like's "What helped you?") ------------------------

INLINE_TAGS = frozenset({"strong", "em", "del", "s", "a", "code"})
_inline_parser = MarkdownIt("zero", {"html": False, "maxNesting": MAX_NESTING})
_inline_parser.enable(["emphasis", "backticks", "link", "strikethrough", "escape", "entity"])
_inline_parser.core.ruler.push("link_text", _link_text)
_inline_cleaner = _make_cleaner(INLINE_TAGS, no_links_in={"code"})


def render_inline_markdown(text: str) -> str:
    """Safe HTML for a short note: one line (whitespace collapsed), with **bold**, *italic*,
    `code`, ~~struck~~ and links only. Headings, lists, quotes, tables and images are not parsed,
    so their characters show as typed; typed HTML is escaped. Same allow-list and link rules as
    ``render_markdown``."""
    line = " ".join((text or "").split())
    if not line:
        return ""
    return _inline_cleaner.clean(_inline_parser.renderInline(line, {})).strip()

"""The one Markdown pipeline for everything people write on Reflect.

markdown-it-py (CommonMark, raw HTML off, so any HTML typed is escaped before bleach sees it)
→ bleach allow-list of tags, attributes and URL schemes, which also puts rel="nofollow ugc noopener"
on every link. markdown-it-py is linear on hostile input; Python-Markdown (markdownx's default)
is not. bleach is deprecated upstream: keeping it behind ``render_markdown`` makes a swap cheap.
"""

import re
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "del", "s", "a", "ul", "ol", "li", "blockquote", "code", "pre",
        "hr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+-]{1,30}")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title", "rel"}
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag == "code":
        return name == "class" and bool(_LANGUAGE_CLASS.fullmatch(value))
    return False


def _set_link_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


_parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(["strikethrough", "table"])
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"}, parse_email=False)],
)


def render_markdown(text: str) -> str:
    """Return safe HTML for Markdown ``text``. The only function that turns user text into HTML."""
    if not text:
        return ""
    return _cleaner.clean(_parser.render(text)).strip()

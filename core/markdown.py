"""The one Markdown pipeline for everything people write on Reflect.

markdown-it-py (CommonMark, raw HTML off, so any HTML typed is escaped before bleach sees it)
→ bleach allow-list of tags, attributes and URL schemes, which also puts rel="nofollow ugc noopener"
on every link. markdown-it-py is linear on hostile input; Python-Markdown (markdownx's default)
is not. bleach is deprecated upstream: keeping it behind ``render_markdown`` makes a swap cheap.
"""

import re
from collections.abc import Iterable
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

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


_parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(["strikethrough", "table"])
_parser.inline.ruler.before("emphasis", "mention", _mention)
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"}, parse_email=False)],
)


def render_markdown(text: str, *, mentions: Iterable[str] = ()) -> str:
    """Return safe HTML for Markdown ``text``. The only function that turns user text into HTML.

    ``mentions``: lower-case handles of existing members; ``@handle`` for those becomes a
    profile link, any other ``@word`` stays plain text.
    """
    if not text:
        return ""
    env = {"mentions": frozenset(mentions)}
    return _cleaner.clean(_parser.render(text, env)).strip()


def mentioned_handles(text: str) -> set[str]:
    """Lower-case handles that ``text`` mentions (whether or not such members exist)."""
    return {match.group(1).lower() for match in MENTION_PATTERN.finditer(text or "")}

"""Counting words the same way in Python (the composer, exports), in PostgreSQL (stored counts) and
in the browser (static/js/reflect.js mirrors these patterns).

Words are counted as a reader would count them:
- a word is a run of letters or digits, with inner apostrophes kept ("don't" is one word);
- a Markdown link counts by its text (``[the rota](https://…)`` is two words), an image by its alt;
- a bare address (``https://example.com/a/b?c=d``, ``www.example.com``) is one word;
- an @mention (``@sam_lee``) is one word, as is an email address.
Markdown marks, punctuation and list bullets are not words.
"""

import re
from html import unescape

from django.db.models import F, Func, IntegerField, TextField, Value
from django.utils.html import strip_tags

# A Markdown link or image, replaced by its text before counting: [text](address "title").
_PYTHON_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
SQL_LINK = r"!?\[([^]]*)\]\([^)]*\)"

# One alternation, first match wins: an address, an email, a mention, then a plain word.
_PYTHON_WORD = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|@[A-Za-z0-9_]+"
    r"|[^\W_]+(?:['’][^\W_]+)*"
)
# PostgreSQL's regular expressions (ARE) spell "a letter or digit" and "not a space" differently.
SQL_WORD = (
    r"(https?://|www\.)[^][:space:]<>()[]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
    r"|@[A-Za-z0-9_]+"
    r"|[[:alnum:]]+(['’][[:alnum:]]+)*"
)


def count_words(text: str) -> int:
    text = _PYTHON_LINK.sub(r" \1 ", text or "")
    return sum(1 for _ in _PYTHON_WORD.finditer(text))


def word_count_expression(field: str) -> Func:
    """``regexp_count(regexp_replace(field, SQL_LINK, ' \\1 ', 'g'), SQL_WORD)`` (immutable, so
    usable in a generated column)."""
    without_links = Func(
        F(field),
        Value(SQL_LINK),
        Value(r" \1 "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return Func(without_links, Value(SQL_WORD), function="regexp_count", output_field=IntegerField())


_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|tr|div)>|<br\s*/?>", re.IGNORECASE)


def excerpt(html: str, limit: int = 200) -> str:
    """Plain text of rendered (sanitised) HTML, at most ``limit`` characters, cut between words
    with an ellipsis. Made from ``body_html``, never the Markdown source, so a reader sees "wrong
    rota", not ``**wrong rota**``, and a link by its text. The result is plain text: templates
    escape it as usual."""
    text = strip_tags(_BLOCK_END.sub(lambda m: f"{m.group(0)} ", html or ""))
    text = " ".join(unescape(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[: limit - 1]
    return cut.rstrip(" .,;:!?–—-") + "…"

"""The text that full-text search reads, as SQL expressions shared by the models that store a
search vector (``community.Prompt``, ``community.Reflection``, ``lessons.Lesson``) and by the
``search`` app, which builds snippets from the same text.

What is searched is what people see: the stored, sanitised ``body_html`` with its tags replaced by
spaces, in SQL (a generated column may only use immutable SQL, and ``regexp_replace`` and
``to_tsvector(regconfig, text)`` are). The tag pattern skips quoted attribute values, which may
hold a ``>``. Character references (``&amp;``, ``&lt;``) stay in the text: PostgreSQL's parser
reads them as "entity" tokens, which no configuration indexes, and snippets unescape them before
escaping the whole snippet again (``search.services.highlight``).

The text-search configuration comes from ``settings.SEARCH_CONFIG``. A generated column keeps the
configuration it was created with: changing the setting later needs
``manage.py rebuild_search_columns`` (docs/decisions.md).
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db.models import F, Func, TextField, Value

# A tag: "<", then any characters but ">" and quotes, or whole quoted strings, then ">".
TAG_PATTERN = r"""<(?:[^>"']|"[^"]*"|'[^']*')*>"""


def search_config() -> str:
    return settings.SEARCH_CONFIG


def visible_text(field: str) -> Func:
    """``field`` (sanitised HTML) as the words a reader sees: every tag becomes a space."""
    return Func(
        F(field),
        Value(TAG_PATTERN),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def weighted(expression, weight: str, config: str) -> SearchVector:
    return SearchVector(expression, config=config, weight=weight)


def html_document(*, title: str | None = None, html: tuple[str, ...] = (), plain: tuple[str, ...] = (),
                  config: str | None = None) -> SearchVector:  # fmt: skip
    """The search vector of a row: ``title`` at weight A, the other fields (plain text, then
    sanitised HTML) at weight B. Immutable SQL, so it can be a stored generated column."""
    config = config or search_config()
    parts = []
    if title:
        parts.append(weighted(F(title), "A", config))
    parts += [weighted(F(field), "B", config) for field in plain]
    parts += [weighted(visible_text(field), "B", config) for field in html]
    document = parts[0]
    for part in parts[1:]:
        document = document + part
    return document

"""The text that full-text search reads, as SQL expressions shared by the models that store a
search vector (``community.Prompt``, ``community.Reflection``, ``lessons.Lesson``) and by the
``search`` app, which builds snippets from the same text.

What is searched is what people see: the stored, sanitised ``body_html`` with its tags replaced by
spaces, in SQL (a generated column may only use immutable SQL, and ``regexp_replace`` and
``to_tsvector(regconfig, text)`` are). The tag pattern skips quoted attribute values, which may
hold a ``>``. Character references (``&amp;``, ``&lt;``) stay in the text: PostgreSQL's parser
reads them as "entity" tokens, which no configuration indexes, and snippets unescape them before
escaping the whole snippet again (``search.services.highlight``).

Each row is indexed with its course's language (decision 112): a ``search_config`` column of
PostgreSQL's ``regconfig`` type beside the vector, which the database keeps (triggers from the
course's language, through ``reflect_search_config(language)``, whose table is
``settings.SEARCH_CONFIGS``), and which the generated column reads: ``to_tsvector(search_config, …)``
is immutable, while a generated column may not read another table. Searching asks each configuration
for its own rows (``search.services.TextQuery``). Changing ``SEARCH_CONFIGS`` later needs
``manage.py rebuild_search_columns``.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import F, Func, TextField, Value

# A tag: "<", then any characters but ">" and quotes, or whole quoted strings, then ">".
TAG_PATTERN = r"""<(?:[^>"']|"[^"]*"|'[^']*')*>"""


def search_config() -> str:
    """The English configuration (and the one before a row has a course)."""
    return settings.SEARCH_CONFIG


def search_configs() -> dict[str, str]:
    """Language code → text-search configuration (``settings.SEARCH_CONFIGS``)."""
    return dict(settings.SEARCH_CONFIGS)


class RegConfigField(models.CharField):
    """A PostgreSQL ``regconfig`` (a text-search configuration's name, e.g. ``spanish``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 63)
        super().__init__(*args, **kwargs)

    def db_type(self, connection) -> str:
        return "regconfig"

    def cast_db_type(self, connection) -> str:
        return "regconfig"


def config_function_sql() -> str:
    """``reflect_search_config(language)``: the configuration for a course language, from
    ``settings.SEARCH_CONFIGS`` as it is now (migrations and ``rebuild_search_columns`` run it)."""
    configs = search_configs()
    default = configs.get(settings.LANGUAGE_CODE, search_config())  # and any language not listed
    whens = " ".join(f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in configs.items())
    return (
        "CREATE OR REPLACE FUNCTION reflect_search_config(language text) RETURNS regconfig "
        f"LANGUAGE sql IMMUTABLE AS $$ SELECT CASE language {whens} ELSE '{default}'::regconfig END $$"
    )


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
                  config=None) -> SearchVector:  # fmt: skip
    """The search vector of a row: ``title`` at weight A, the other fields (plain text, then
    sanitised HTML) at weight B, with the row's ``search_config``. Immutable SQL, so it can be a
    stored generated column."""
    config = config or F("search_config")
    parts = []
    if title:
        parts.append(weighted(F(title), "A", config))
    parts += [weighted(F(field), "B", config) for field in plain]
    parts += [weighted(visible_text(field), "B", config) for field in html]
    document = parts[0]
    for part in parts[1:]:
        document = document + part
    return document

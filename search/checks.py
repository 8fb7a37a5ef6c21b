"""search.E001: the search columns were indexed with other text-search configurations than
``SEARCH_CONFIGS`` (the setting changed after the migrations ran). Queries would then stem words
one way and the stored words another, and miss. A database check: `manage.py check --database
default` and `migrate` run it."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from core.search_text import search_configs
from search.columns import configured_functions


@register(Tags.database)
def search_columns_use_the_configured_language(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    try:
        indexed = configured_functions()
    except DatabaseError:  # no database yet, not reachable, or not migrated: nothing to compare
        return []
    wanted = search_configs()
    return [
        Error(
            f"Search indexes {language!r} posts, activities and lessons with {indexed.get(language)!r}, "
            f"not with SEARCH_CONFIGS[{language!r}]={config!r}.",
            hint="Run `manage.py rebuild_search_columns` (docs/decisions.md).",
            id="search.E001",
        )
        for language, config in wanted.items()
        if indexed.get(language) not in (config, f"pg_catalog.{config}")
    ]

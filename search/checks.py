"""search.E001: the search columns were generated with another text-search configuration than
``SEARCH_CONFIG`` (the setting changed after the migrations ran). Queries would then stem words
one way and the stored words another, and miss. A database check: `manage.py check --database
default` and `migrate` run it."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError, connections

from search.columns import SEARCH_COLUMNS


@register(Tags.database)
def search_columns_use_the_configured_language(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    wanted = f"'{settings.SEARCH_CONFIG}'::regconfig"
    errors = []
    try:
        with connections["default"].cursor() as cursor:
            for model in SEARCH_COLUMNS:
                cursor.execute(
                    "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
                    "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                    "WHERE d.adrelid = to_regclass(%s) AND a.attname = 'search_vector'",
                    [model._meta.db_table],
                )
                row = cursor.fetchone()
                if row and wanted not in row[0]:
                    errors.append(
                        Error(
                            f"{model._meta.db_table}.search_vector was generated with another text-search "
                            f"configuration than SEARCH_CONFIG={settings.SEARCH_CONFIG!r}.",
                            hint="Run `manage.py rebuild_search_columns` (docs/decisions.md).",
                            id="search.E001",
                        )
                    )
    except DatabaseError:  # no database yet, or not reachable: nothing to compare
        return []
    return errors

"""The models that store a search vector, and re-indexing them after ``SEARCH_CONFIGS`` changed."""

from django.db import connection, transaction

from community.models import Prompt, Reflection
from core.search_text import config_function_sql, search_configs
from lessons.models import Lesson

SEARCH_COLUMNS = (Reflection, Prompt, Lesson)


def rebuild_search_columns() -> list[str]:
    """Re-create ``reflect_search_config(language)`` from ``settings.SEARCH_CONFIGS`` as it is now
    and re-index every row with it: the triggers work out each row's ``search_config`` again, and
    PostgreSQL regenerates its ``search_vector`` (decision 112). Lessons and activities before posts,
    which take their activity's. Rewrites every row: minutes for a few hundred thousand posts."""
    rebuilt = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(config_function_sql())
        for model in (Lesson, Prompt, Reflection):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"UPDATE {table} SET search_config = search_config")  # noqa: S608 - our table
        rebuilt = [model._meta.db_table for model in SEARCH_COLUMNS]
    return rebuilt


def configured_functions() -> dict[str, str]:
    """What ``reflect_search_config`` gives for each language now (language → configuration)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, reflect_search_config(code)::text FROM unnest(%s::text[]) code",
            [list(search_configs())],
        )
        return dict(cursor.fetchall())

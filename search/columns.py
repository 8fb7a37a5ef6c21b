"""The models that store a search vector, and rebuilding their columns for another language."""

from django.contrib.postgres.indexes import GinIndex
from django.db import connection, transaction

from community.models import Prompt, Reflection
from lessons.models import Lesson

SEARCH_COLUMNS = (Reflection, Prompt, Lesson)


def rebuild_search_columns() -> list[str]:
    """Drop and re-create each ``search_vector`` column and its GIN index with the model's current
    expression, i.e. with ``settings.SEARCH_CONFIG`` as it is now. PostgreSQL cannot change a
    generated column's expression in place (``ALTER COLUMN … SET EXPRESSION`` arrives in 17), and
    the migrations read the setting when they run, so the recorded migration state already matches.
    Each table is rewritten under an exclusive lock: minutes for a few hundred thousand posts."""
    rebuilt = []
    with transaction.atomic(), connection.schema_editor() as editor:
        # Checks deferred earlier in an enclosing transaction would block ALTER TABLE: run them now.
        editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in SEARCH_COLUMNS:
            field = model._meta.get_field("search_vector")
            index = next(
                i for i in model._meta.indexes if isinstance(i, GinIndex) and i.fields == ["search_vector"]
            )
            editor.remove_field(model, field)  # takes its index with it
            editor.add_field(model, field)
            editor.add_index(model, index)
            rebuilt.append(model._meta.db_table)
    return rebuilt

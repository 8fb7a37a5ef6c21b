"""Stamps: numbers kept by database triggers that change whenever what they cover changes
(``core.models.Stamp``), so a page kept in the cache can be checked in one small query instead of
being built again (docs/decisions.md 89).

Each app installs the triggers on its own tables in a migration, with ``trigger_sql``: a
statement-level trigger per table (a bulk write bumps each scope it touched once) that names the
scopes of the changed rows, old and new. A reader compares the numbers of the scopes
it depends on with those it kept (``community.page_store``); ``snapshot`` runs a block of reads in one consistent snapshot, so that numbers read at its end
describe exactly the data read inside it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

BUMP_FUNCTION = """
CREATE SEQUENCE core_stamp_seq;
CREATE FUNCTION core_bump_stamps(names text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO core_stamp (name, version)
    SELECT name, nextval('core_stamp_seq')
    FROM (SELECT DISTINCT name FROM unnest(names) AS name WHERE name IS NOT NULL ORDER BY name) changed
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
$$;
"""
DROP_BUMP_FUNCTION = "DROP FUNCTION core_bump_stamps(text[]); DROP SEQUENCE core_stamp_seq;"


def trigger_sql(table: str, scope: str, *, join: str = "",
                operations: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")) -> tuple[str, str]:  # fmt: skip
    """(create, drop) SQL for triggers on ``table`` that bump the scopes ``scope`` names: an SQL
    expression over a changed row ``r`` (and any table ``join`` brings in), e.g.
    ``'user:' || r.user_id``, after each statement of ``operations``. Rows are locked in name
    order (``core_bump_stamps``), so two statements never wait for each other's stamps in
    opposite orders."""
    function = f"core_stamp_{table}"
    rows = "SELECT {scope} FROM {rows} r {join}"
    old, new = (rows.format(scope=scope, rows=name, join=join) for name in ("old_rows", "new_rows"))
    create = f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM core_bump_stamps(ARRAY({new}));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM core_bump_stamps(ARRAY({old} UNION {new}));
    ELSE
        PERFORM core_bump_stamps(ARRAY({old}));
    END IF;
    RETURN NULL;
END;
$$;
"""
    transitions = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }
    drop = ""
    for operation in operations:
        trigger = f"{function}_{operation.lower()}"
        create += (
            f"CREATE TRIGGER {trigger} AFTER {operation} ON {table} REFERENCING {transitions[operation]}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {function}();\n"
        )
        drop += f"DROP TRIGGER {trigger} ON {table};\n"
    return create, drop + f"DROP FUNCTION {function}();\n"


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


def course_scope(course_id: int) -> str:
    return f"course:{course_id}"


def notices_scope(user_id: int) -> str:
    """A member's notifications (their own scope: see notifications' ``0004_stamps``)."""
    return f"notices:{user_id}"


@contextmanager
def snapshot() -> Iterator[None]:
    """Run the block's reads in one read-only, repeatable-read transaction: every query in it
    sees the database as of the first one, so stamps read at the end describe what was read.
    Inside an open transaction (tests) the block simply joins it."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield

"""What changed: one number per *scope*, moved whenever anything the scope covers is written.

This is the project's one way to know that something changed. A page that was built from some
scopes can be checked against their numbers in one small query (``read``) instead of being built
again (``core.conditional``: the ``ETag`` of the space, thread and landing pages).

The scopes (``core.models.Version.name``):

- ``space:<prompt id>``: an activity's space: its posts, likes and their reasons, the activity;
- ``course:<id>``: the course, its lessons, the list of its activities, cohorts, enrolments;
- ``user:<id>``: a member's row (name, post count…), roles, suspensions, drafts, follows;
- ``notices:<id>``: a member's notifications.

What moves them, and who must do what:

- **Database triggers**, whatever wrote the row (a service, the admin, a data migration): each app
  installs them on its own tables in a migration with ``trigger_sql``. A new table that a page
  shows needs one (``tests/core/test_versions.py`` fails otherwise: every table a page's build
  reads is covered or on its commented allow-list).
- **Every service that writes in a space calls ``community.services.lock_space`` first**, which is
  ``lock(space_scope(prompt_id))``: it moves the space's number and takes its row, so all writes
  in one space queue in one order instead of deadlocking (the triggers then lock the other scopes
  in name order). ``tests/community/test_space_locks.py`` enumerates the services.

Numbers come from one sequence, so a scope never takes a value it had before; rows are never
deleted. ``snapshot`` runs a block of reads in one consistent snapshot, so numbers read at its end
describe exactly what was read inside it.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress

import psycopg
from django.db import connection, transaction

TABLE = "core_version"
SEQUENCE = "core_version_seq"
BUMP = "core_bump_versions"


def space_scope(prompt_id: int) -> str:
    return f"space:{prompt_id}"


def course_scope(course_id: int) -> str:
    return f"course:{course_id}"


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


def notices_scope(user_id: int) -> str:
    return f"notices:{user_id}"


def read(names: Iterable[str]) -> dict[str, int]:
    """The current number of each scope in ``names`` that has one, in one query (a scope never
    written to has none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, version FROM {TABLE} WHERE name = ANY(%s::text[])", [sorted(set(names))]
        )
        return dict(cursor.fetchall())


def lock(name: str) -> None:
    """Move scope ``name`` and hold its row until the transaction ends (``lock_space``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (name, version) VALUES (%s, nextval('{SEQUENCE}'))"
            " ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version",
            [name],
        )


def move_all() -> int:
    """Move every scope (``manage.py move_versions``: after writes no trigger saw). Returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET version = nextval('{SEQUENCE}')")
        return cursor.rowcount


def trigger_sql(table: str, scope: str, *, join: str = "", function: str = "",
                operations: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE"),
                bump: str = BUMP) -> tuple[str, str]:  # fmt: skip
    """(create, drop) SQL for triggers on ``table`` that move the scopes ``scope`` names: an SQL
    expression over a changed row ``r`` (and any table ``join`` brings in), e.g.
    ``'user:' || r.user_id``, after each statement of ``operations``. Statement-level, with
    transition tables: a bulk write moves each scope it touched once. Rows are locked in name
    order (``core_bump_versions``), so two statements never wait for each other's rows in
    opposite orders. ``function`` names the trigger function when a table has two sets;
    ``bump`` is kept for the migrations written before ``core.0002`` (``core_bump_stamps``)."""
    function = function or f"core_version_{table}"
    if bump != BUMP:  # the earlier migrations' own names, unchanged
        function = function.replace("core_version_", "core_stamp_", 1)
    rows = "SELECT {scope} FROM {rows} r {join}"
    old, new = (rows.format(scope=scope, rows=name, join=join) for name in ("old_rows", "new_rows"))
    create = f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM {bump}(ARRAY({new}));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM {bump}(ARRAY({old} UNION {new}));
    ELSE
        PERFORM {bump}(ARRAY({old}));
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


def covered_tables() -> set[str]:
    """The tables whose writes move a version (a trigger calling one of this module's functions),
    read from the database's catalogue (``tests/core/test_versions.py``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE NOT t.tgisinternal AND (p.prosrc LIKE %s OR p.prosrc LIKE %s)",
            [f"%{BUMP}(%", "%core_bump_stamps(%"],
        )
        return {row[0] for row in cursor.fetchall()}


@contextmanager
def snapshot() -> Iterator[None]:
    """Run the block's reads in one read-only, repeatable-read transaction: every query in it
    sees the database as of the first one, so numbers read at the end describe what was read.
    Inside an open transaction (tests) the block simply joins it."""
    if connection.in_atomic_block:
        yield
        return
    # psycopg opens the transaction with these in its BEGIN: no round trip of its own.
    connection.ensure_connection()
    raw = connection.connection
    before = raw.isolation_level, raw.read_only
    raw.isolation_level, raw.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True
    try:
        with transaction.atomic():
            yield
    finally:
        if not raw.closed:
            with suppress(psycopg.Error):  # a broken connection: Django replaces it
                raw.isolation_level, raw.read_only = before

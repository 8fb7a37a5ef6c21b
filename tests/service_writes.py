"""Every write goes through a service (STYLE.md §2), the admin and the demo included: a check for
tests. ``with writes_outside_services() as outside: …`` lists each INSERT, UPDATE or DELETE the
block sends that has no ``services.py`` of ours on its call stack; a test asserts the list is empty.

Django's own bookkeeping is left out: the admin's History (``django_admin_log``) and sessions.
"""

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
WRITES = ("INSERT", "UPDATE", "DELETE")
BOOKKEEPING = ('"django_admin_log"', '"django_session"')


def _ours(filename: str) -> bool:
    path = Path(filename)
    return (
        path.is_absolute() and path.is_relative_to(ROOT) and not {".venv", "site-packages"} & set(path.parts)
    )


@contextmanager
def writes_outside_services() -> Iterator[list[str]]:
    outside: list[str] = []

    def check(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES) and not any(table in sql for table in BOOKKEEPING):
            ours = [frame for frame in traceback.extract_stack() if _ours(frame.filename)]
            if not any(Path(frame.filename).name == "services.py" for frame in ours):
                where = " ← ".join(f"{Path(f.filename).relative_to(ROOT)}:{f.lineno}" for f in reversed(ours))
                outside.append(f"{sql[:120]}  [{where}]")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(check):
        yield outside

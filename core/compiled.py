"""Querysets compiled once per shape, then run with each request's values.

The space page's reads go through the read rule (``Reflection.objects.visible_to``): a dozen
clauses and subqueries that Django's ORM turns into SQL on every request, which costs more than
PostgreSQL takes to run them. ``run(key, build, values)`` builds and compiles the queryset once per
process and ``key``, with a stand-in for each of ``values`` (distinctive numbers and times), notes
where each stand-in went among the SQL's parameters, and from then on runs that SQL with the
request's own values, through Django's own iteration (model instances, ``select_related``,
annotations as usual).

``key`` must fix the queryset's shape: everything ``build`` decides in Python (which clauses, how
many values a list holds, the settings it reads). Values are ints, datetimes or lists of them;
``build`` must pass each to the ORM unchanged (a value computed from one, such as ``-value``, would
not be found: give the computed value instead). ``COMPILED_QUERIES_CHECK`` (on in the tests)
compiles the real queryset too and fails loudly if the SQL or the parameters differ.
"""

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connections

KEPT = 2048
_compiled: OrderedDict = OrderedDict()
_lock = threading.Lock()
_BASE_INT = -7_340_032_000_000_000_000
_BASE_TIME = datetime(1903, 3, 3, 3, 3, 3, tzinfo=UTC)


class _Compiled:
    def __init__(self, queryset, stand_ins: dict):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(queryset.db)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        found = {}
        for index, param in enumerate(self.params):
            for name, stand_in in stand_ins.items():
                if type(param) is type(stand_in) and param == stand_in:
                    found[index] = name
        missing = set(stand_ins) - set(found.values())
        if missing:
            raise ValueError(f"compiled query: values {sorted(missing)} were not passed to the ORM unchanged")
        self.positions = found

    def queryset_for(self, flat: dict):
        params = list(self.params)
        for index, name in self.positions.items():
            params[index] = flat[name]
        sql, compiler = self.sql, copy.copy(self.compiler)
        compiler.connection = connections[self.queryset.db]  # this thread's
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        clone = self.queryset._chain()
        clone.query.get_compiler = lambda *args, **kwargs: compiler
        return clone


def _flatten(values: dict) -> dict:
    flat = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            flat.update({f"{name}[{i}]": item for i, item in enumerate(value)})
        else:
            flat[name] = value
    return flat


def _stand_ins(values: dict) -> tuple[dict, dict]:
    """(the values as ``build`` takes them, made of stand-ins; the stand-ins by flat name)."""
    made, flat = {}, {}
    counter = 0

    def stand_in(value, name):
        nonlocal counter
        counter += 1
        if isinstance(value, datetime):
            result = _BASE_TIME + timedelta(microseconds=counter)
        elif isinstance(value, int) and not isinstance(value, bool):
            result = _BASE_INT - counter
        else:
            raise TypeError(f"compiled query: {name} must be an int or a datetime, not {type(value)}")
        flat[name] = result
        return result

    for name, value in values.items():
        if isinstance(value, list | tuple):
            made[name] = [stand_in(item, f"{name}[{i}]") for i, item in enumerate(value)]
        else:
            made[name] = stand_in(value, name)
    return made, flat


def run(key: tuple, build: Callable, values: dict, *, per_request: Callable | None = None) -> list:
    """``list(build(**values))``, compiled once per ``key`` (the module's docstring).

    ``per_request``: applied to the compiled queryset on every run, for what a queryset carries
    beside its SQL for this request only (whose authors it masks: ``community.bylines``); the
    kept queryset holds the first request's."""
    shape = (
        key,
        tuple((name, len(v) if isinstance(v, list | tuple) else None) for name, v in values.items()),
    )
    with _lock:
        entry = _compiled.get(shape)
        if entry is not None:
            _compiled.move_to_end(shape)
    if entry is None:
        made, flat = _stand_ins(values)
        entry = _Compiled(build(**made), flat)
        with _lock:
            _compiled[shape] = entry
            while len(_compiled) > KEPT:
                _compiled.popitem(last=False)
    queryset = entry.queryset_for(_flatten(values))
    if per_request is not None:
        queryset = per_request(queryset)
    if settings.COMPILED_QUERIES_CHECK:
        real = build(**values)
        expected = real.query.get_compiler(real.db).as_sql()
        got = queryset.query.get_compiler(queryset.db).as_sql()
        assert (expected[0], tuple(expected[1])) == got, f"compiled query {key} differs:\n{expected}\n{got}"
    return list(queryset)

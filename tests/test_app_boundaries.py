"""Dependencies between our apps run one way: core ← accounts ← lessons ← community ← moderation.

An app may import the apps to its left, never one to its right (when a lower app needs something
from a higher one, the higher app registers a hook, e.g. ``accounts.member_data``, or renders it
with a template tag). ``config`` and ``demo`` sit above everything and may import anything.
Migrations and tests are not checked. Imports are read with ``ast``, so nothing is executed.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
ORDER = [
    "core",
    "accounts",
    "lessons",
    "community",
    "moderation",
    "notifications",
    "search",
    "insights",
    "journal",
]
EXEMPT = {"config", "demo"}  # may import every app; no app imports them (checked below too)


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, dotted module name) for every absolute import, including
    ``importlib.import_module("…")`` and ``find_spec("…")`` with a literal name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"import_module", "find_spec"} and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


def violations_in(app: str, path: Path, source: str) -> list[str]:
    allowed = set(ORDER[: ORDER.index(app) + 1]) if app in ORDER else None
    found = []
    for line, module in sorted(imported_modules(ast.parse(source, filename=str(path)))):
        target = module.split(".")[0]
        if target in EXEMPT or (allowed is not None and target in ORDER and target not in allowed):
            found.append(f"{path.relative_to(ROOT)}:{line}: {app} imports {module}")
    return found


def app_files(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" not in parts and "tests" not in parts and not path.name.startswith("test_"):
            yield path


def test_every_project_app_has_a_place_in_the_order():
    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]
    assert [app for app in ours if app not in EXEMPT] == ORDER, "add a new app to ORDER (and STYLE.md §1)"


def test_no_app_imports_an_app_to_its_right():
    found = [
        violation
        for app in ORDER
        for path in app_files(app)
        for violation in violations_in(app, path, path.read_text(encoding="utf-8"))
    ]
    assert not found, "Imports against the dependency direction:\n" + "\n".join(found)


def test_the_check_catches_what_it_should():
    path = ROOT / "accounts" / "example.py"
    source = (
        "from core.markdown import render_markdown\n"  # leftward: fine
        "from . import roles\n"  # relative, within the app: fine
        "from community.models import Reflection\n"
        "import moderation.services\n"
        "def f():\n"
        "    from lessons import models\n"
        "    importlib.import_module('demo.loader')\n"
    )
    assert violations_in("accounts", path, source) == [
        "accounts/example.py:3: accounts imports community.models",
        "accounts/example.py:4: accounts imports moderation.services",
        "accounts/example.py:6: accounts imports lessons",
        "accounts/example.py:7: accounts imports demo.loader",
    ]

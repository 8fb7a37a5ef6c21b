"""Dependencies between our apps form a tree (STYLE.md §1): the trunk core ← accounts ← lessons ←
community, and the leaves moderation, notifications, search, insights and journal beside it.

A trunk app may use the trunk apps to its left; a leaf may use the whole trunk and never another
leaf. When a lower app needs something from a higher one, or a leaf must cause an effect in another,
the other app answers a signal or registers in a small registry of the trunk (``accounts.member_data``,
``community.signals``), or a template tag of the higher trunk app renders it. ``config`` and ``demo``
sit above everything and may use anything; nothing uses them. The project's ``templates/`` directory
(``base.html``, ``components/``, the allauth overrides) belongs to the whole site, like ``config``.

"Use" means any of:
- an import (also ``import_module``/``find_spec``/``import_string`` with a literal name), a lazy
  model reference (``"community.Reflection"``) or ``apps.get_model("community", ...)``;
- a URL name: a literal ``"app:name"`` in Python (``reverse``, ``reverse_lazy``, ``redirect``, or a
  table of names reversed later) and ``{% url 'app:name' %}`` in a template; names without an app's
  namespace (allauth's ``account_*``, ``admin:``, the health checks) belong to the site;
- a template: a literal ``"app/….html"`` in Python (``render``, ``render_to_string``,
  ``template_name``) and ``{% include %}``/``{% extends %}`` (any quoted template path in a tag) in a
  template. A template belongs to the app whose ``templates/`` directory holds it, else to the app
  its first path segment names; one in ``templates/`` or a library's belongs to the site;
- a template tag library in ``{% load %}``: the library belongs to the app that defines it, and a
  higher trunk app's library on a lower trunk page is the documented plug-in (the course page's
  progress), so ``{% load %}`` may reach anywhere along the trunk, never into a leaf.

Migrations and tests are not checked. Python is read with ``ast`` and templates with a regular
expression, so nothing is executed. What cannot be fixed now is in ``EXCEPTIONS``, each with why.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
TRUNK = ["core", "accounts", "lessons", "community"]
LEAVES = ["moderation", "notifications", "search", "insights", "journal"]
LEAVES += ["learning_records"]  # learning records (xAPI)
LEAVES += ["lti"]  # LTI 1.3 (Reflect as the tool)
LEAVES += ["live"]  # live news: the space's news bar, the header's count (issue 24)
LEAVES += ["facilitation"]  # follow-through: every reflection heard, summaries, the prompt library (issue 25)
LEAVES += ["followthrough"]  # follow-through: come back to this, how my reflections landed (issue 25)
APPS = TRUNK + LEAVES
EXEMPT = {"config", "demo"}  # may use every app; no app uses them (checked below too)

# (file, what it uses) → why it may, for now. An entry that no longer happens fails the test, so
# the list only shrinks.
EXCEPTIONS = {
    # The course page's "Facilitator worklist" link for those who may invite; should become a
    # course-page extension that insights registers (lessons/views.py is not ours to edit now).
    ("lessons/templates/lessons/course_detail.html", "insights:worklist"): "facilitator's link",
    # Lesson.get_community_url, the lesson page's link to its space (and many tests' way there);
    # could be a community template tag, as the lesson page's counts are.
    ("lessons/models.py", "community:space"): "the lesson's space",
}

URL_NAME = re.compile(r"^([a-z_]+):([\w-]+)$")
TEMPLATE_PATH = re.compile(r"^[\w-]+(?:/[\w.-]+)+\.(?:html|txt|xml)(?:#[\w-]+)?$")
MODEL_LABEL = re.compile(r"^([a-z_]+)\.[A-Z]\w*$")
TEMPLATE_TAG = re.compile(r"\{%\s*(.*?)\s*%\}", re.DOTALL)
QUOTED = re.compile(r"""(["'])(.*?)\1""")


@dataclass(frozen=True)
class Use:
    line: int
    what: str  # "imports", "reverses", "renders", "loads", "refers to"
    name: str  # the module, URL name, template path or tag library as written
    app: str | None  # the app it belongs to; None for the site, Django and libraries


def allowed(app: str) -> set[str]:
    """The apps ``app`` may use: itself and the trunk to its left, or, for a leaf, the trunk."""
    if app in TRUNK:
        return set(TRUNK[: TRUNK.index(app) + 1])
    return {*TRUNK, app}


def _app_of_module(name: str) -> str | None:
    first = name.split(".")[0]
    return first if first in APPS or first in EXEMPT else None


# --- Who owns a template or a tag library -----------------------------------------------------------


def _templates_of(app: str) -> Iterator[tuple[str, Path]]:
    base = ROOT / app / "templates"
    for path in sorted(base.rglob("*")) if base.is_dir() else ():
        if path.is_file():
            yield path.relative_to(base).as_posix(), path


def template_owners() -> dict[str, str | None]:
    """Template path → the app that holds it. The site's ``templates/`` wins, as in Django's
    loaders (``DIRS`` before ``APP_DIRS``); among apps, the first in ``INSTALLED_APPS``."""
    owners: dict[str, str | None] = {}
    for app in [a for a in settings.INSTALLED_APPS if a in APPS or a in EXEMPT]:
        for name, _ in _templates_of(app):
            owners.setdefault(name, app)
    for path in (ROOT / "templates").rglob("*"):
        owners[path.relative_to(ROOT / "templates").as_posix()] = None
    return owners


def library_owners() -> dict[str, str]:
    return {
        path.stem: app
        for app in [*APPS, *EXEMPT]
        for path in (ROOT / app).glob("templatetags/*.py")
        if path.stem != "__init__"
    }


TEMPLATE_OWNERS = template_owners()
LIBRARY_OWNERS = library_owners()


def app_of_template(name: str) -> str | None:
    name = name.split("#")[0]
    if name in TEMPLATE_OWNERS:
        return TEMPLATE_OWNERS[name]
    return _app_of_module(name.split("/")[0])


def _named(text: str, line: int) -> Iterator[Use]:
    """A URL name or a template path written as a literal, in Python or in a template tag."""
    if (match := URL_NAME.match(text)) and (match[1] in APPS or match[1] in EXEMPT):
        yield Use(line, "reverses", text, match[1])
    elif TEMPLATE_PATH.match(text):
        yield Use(line, "renders", text, app_of_template(text))


# --- Reading uses -----------------------------------------------------------------------------------


def python_uses(source: str, filename: str = "<source>") -> Iterator[Use]:
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Use(node.lineno, "imports", alias.name, _app_of_module(alias.name))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield Use(node.lineno, "imports", node.module, _app_of_module(node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0].value
            if func in {"import_module", "find_spec", "import_string"} and isinstance(first, str):
                yield Use(node.lineno, "imports", first, _app_of_module(first))
            elif func == "get_model" and isinstance(first, str):
                yield Use(node.lineno, "refers to", first, _app_of_module(first))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if match := MODEL_LABEL.match(node.value):
                yield Use(node.lineno, "refers to", node.value, _app_of_module(match[1]))
            else:
                yield from _named(node.value, node.lineno)


def template_uses(source: str) -> Iterator[Use]:
    for tag in TEMPLATE_TAG.finditer(source):
        line = source.count("\n", 0, tag.start()) + 1
        words = tag[1].split()
        if words and words[0] == "load":
            names = words[words.index("from") + 1 :] if "from" in words else words[1:]
            for name in names:
                yield Use(line, "loads", name, LIBRARY_OWNERS.get(name))
            continue
        for quoted in QUOTED.finditer(tag[1]):
            yield from _named(quoted[2], line)


def violation(app: str, use: Use) -> bool:
    if use.app is None or use.app == app or app in EXEMPT:
        return False
    if use.app in EXEMPT:
        return True
    if use.what == "loads":  # a higher trunk app's tags plug into a lower trunk page
        return use.app not in TRUNK and use.app not in allowed(app)
    return use.app not in allowed(app)


def uses_against_the_tree(app: str, path: Path, source: str) -> list[tuple[str, Use]]:
    """(file, use) for each use of ``path`` (of ``app``) that the tree does not allow."""
    is_template = "templates" in path.relative_to(ROOT / app).parts
    uses = template_uses(source) if is_template else python_uses(source, filename=str(path))
    relative = path.relative_to(ROOT).as_posix()
    return [
        (relative, use) for use in sorted(set(uses), key=lambda u: (u.line, u.name)) if violation(app, use)
    ]


def violations_in(app: str, path: Path, source: str) -> list[str]:
    return [
        f"{relative}:{use.line}: {app} {use.what} {use.name}"
        for relative, use in uses_against_the_tree(app, path, source)
        if (relative, use.name) not in EXCEPTIONS
    ]


def app_files(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" not in parts and "tests" not in parts and not path.name.startswith("test_"):
            yield path
    for _, path in _templates_of(app):
        yield path


def every_file() -> Iterator[tuple[str, Path, str]]:
    for app in APPS:
        for path in app_files(app):
            yield app, path, path.read_text(encoding="utf-8")


# --- The tests --------------------------------------------------------------------------------------


def test_every_project_app_has_a_place_in_the_tree():
    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir() and app not in EXEMPT]
    assert sorted(ours) == sorted(APPS), "add a new app to TRUNK or LEAVES (and STYLE.md §1)"


def test_apps_use_only_the_trunk_to_their_left():
    found = [found for app, path, source in every_file() for found in violations_in(app, path, source)]
    assert not found, "Uses against the app tree (STYLE.md §1):\n" + "\n".join(found)


def test_every_exception_still_happens():
    """An exception that was fixed is taken off the list, so it cannot hide a new use."""
    happening = {
        (relative, use.name)
        for app, path, source in every_file()
        for relative, use in uses_against_the_tree(app, path, source)
    }
    assert set(EXCEPTIONS) <= happening, f"fixed, remove from EXCEPTIONS: {set(EXCEPTIONS) - happening}"


def test_the_import_check_catches_what_it_should():
    source = (
        "from core.markdown import render_markdown\n"  # leftward: fine
        "from . import roles\n"  # relative, within the app: fine
        "from community.models import Reflection\n"
        "import moderation.services\n"
        "def f():\n"
        "    from lessons import models\n"
        "    importlib.import_module('demo.loader')\n"
        "fk = models.ForeignKey('community.Prompt', on_delete=models.CASCADE)\n"
    )
    assert violations_in("accounts", ROOT / "accounts" / "example.py", source) == [
        "accounts/example.py:3: accounts imports community.models",
        "accounts/example.py:4: accounts imports moderation.services",
        "accounts/example.py:6: accounts imports lessons",
        "accounts/example.py:7: accounts imports demo.loader",
        "accounts/example.py:8: accounts refers to community.Prompt",
    ]
    leaf = (
        "from community.signals import reflection_posted\n"  # the trunk: fine
        "from journal.models import Export\n"  # itself: fine
        "from search.forms import DateRangeMixin\n"  # another leaf
        "from config import settings\n"
    )
    assert violations_in("journal", ROOT / "journal" / "example.py", leaf) == [
        "journal/example.py:3: journal imports search.forms",
        "journal/example.py:4: journal imports config",
    ]


def test_the_url_and_template_check_catches_what_it_should():
    python = (
        "reverse('community:post', args=[1])\n"  # the trunk: fine
        "redirect('notifications:list')\n"  # itself: fine
        "reverse('account_login'); reverse_lazy('admin:index')\n"  # the site's: fine
        "render(request, 'base.html'); render(request, 'components/empty_state.html')\n"
        "reverse_lazy('moderation:queue')\n"
        "URLS = {'report': 'moderation:report'}\n"  # a table of names reversed later counts too
        "render_to_string('search/results.html', {})\n"
        "render(request, 'insights/activity.html#chart')\n"
    )
    assert violations_in("notifications", ROOT / "notifications" / "example.py", python) == [
        "notifications/example.py:5: notifications reverses moderation:queue",
        "notifications/example.py:6: notifications reverses moderation:report",
        "notifications/example.py:7: notifications renders search/results.html",
        "notifications/example.py:8: notifications renders insights/activity.html#chart",
    ]
    template = (
        '{% extends "base.html" %}{% load reflect community %}\n'  # the site's, the trunk's: fine
        "<a href=\"{% url 'lessons:course-list' %}\">{% url 'account_login' %}</a>\n"
        '{% include "accounts/_card.html" with member=m %}\n'  # the trunk to the left: fine
        "{% url 'journal:log' as log_url %}\n"
        '{% include "moderation/_nav.html" %}\n'
        "{% load notifications %}\n"
    )
    path = ROOT / "lessons" / "templates" / "lessons" / "example.html"
    assert violations_in("lessons", path, template) == [
        "lessons/templates/lessons/example.html:4: lessons reverses journal:log",
        "lessons/templates/lessons/example.html:5: lessons renders moderation/_nav.html",
        "lessons/templates/lessons/example.html:6: lessons loads notifications",
    ]
    path = ROOT / "search" / "templates" / "search" / "example.html"
    assert violations_in("search", path, "{% load community %}{% url 'insights:worklist' %}") == [
        "search/templates/search/example.html:1: search reverses insights:worklist",
    ]

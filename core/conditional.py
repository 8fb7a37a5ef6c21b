"""Pages the member's browser keeps: an ``ETag`` made from the versions of what a page shows, and
``304 Not Modified`` without building the page while none of them has moved.

A page built under ``conditional_page`` says what it showed (``Shown``: the version scopes of
``core.versions`` it read, and the activity whose visit a view of it records). Its tag is then

    W/"p1.<visit>.<until>.<scopes>.<mac>"

where ``<scopes>`` lists the scope names and ``<mac>`` is an HMAC (``SECRET_KEY``) over everything
that makes the page differ: the scopes' current numbers, the address, the viewer, their language
and time zone, their CSRF secret (the page's forms carry a token made from it), every plain
setting (``settings_digest``) and the release (``core.release``). The browser keeps the page
(``Cache-Control: private, no-cache``) and sends the tag back with ``If-None-Match``; the
decorator reads the listed scopes' numbers (one query) and, when the HMAC still matches, answers
304 without building anything. A tag names only scopes; it carries no content, and one cannot be
forged to match another page.

Never tagged (built every time): htmx requests (fragments at the same address, and
``Vary: HX-Request`` keeps them apart in the browser's cache), a page with messages waiting, a page
the view marks ``Shown(kept=False)`` (the space page with "New" markers), and anything but a 200.
``until`` (epoch seconds) ends a tag at a moment the clock alone changes the page (the viewer's
suspension starting or ending).

Apps whose part of every page depends on more than the page's own scopes add them with
``register_dependencies`` (notifications: the header's unread count).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import PurePath

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.http import HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import constant_time_compare, salted_hmac

from core import release, versions

logger = logging.getLogger(__name__)

_FORMAT = "p1"
# Scope kinds, shortened in the tag: "space:4", "space:9", "user:2" → "s4-9_u2".
_KINDS = {"space": "s", "course": "c", "user": "u", "notices": "n"}
_NAMES = {short: kind for kind, short in _KINDS.items()}
CACHE_CONTROL = {"private": True, "no_cache": True}


@dataclass
class Shown:
    """What a page showed, set by the view on its response (``response.shown``)."""

    scopes: set[str] = field(default_factory=set)
    visit: int | None = None  # an activity whose visit each view of the page records
    until: float | None = None  # epoch seconds after which the page must be built again
    kept: bool = True  # False: the page changes by being seen ("New" markers); never tagged


@dataclass
class Tag:
    scopes: list[str]
    visit: int | None
    until: float | None
    value: str  # the MAC
    text: str  # the tag as sent (a 304 carries it back)


# --- Everything a page's HTML may depend on beyond its scopes --------------------------------------

_PLAIN = (str, int, float, bool, type(None), PurePath)
_settings_digest: str | None = None


def _plain(value) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


def keyed_settings() -> dict:
    """The settings a tag covers: every setting whose value is plain data (so its ``repr`` is the
    same in every process). A setting of another kind read while a page is built fails
    ``tests/core/test_conditional.py``."""
    return {
        name: getattr(settings, name)
        for name in sorted(dir(settings))
        if name.isupper() and _plain(getattr(settings, name))
    }


def settings_digest() -> str:
    global _settings_digest
    if _settings_digest is None:
        _settings_digest = salted_hmac("reflect.settings", repr(keyed_settings())).hexdigest()
    return _settings_digest


def _forget_settings(**kwargs) -> None:
    global _settings_digest
    _settings_digest = None


setting_changed.connect(_forget_settings)


# --- Dependencies added by other apps ---------------------------------------------------------------

_EXTENSIONS: list[Callable] = []


def register_dependencies(extension: Callable) -> Callable:
    """Register ``extension(user) -> iterable of scope names``: scopes whose changes may change
    what every page shows ``user`` (the header), in at most one query."""
    if extension not in _EXTENSIONS:
        _EXTENSIONS.append(extension)
    return extension


def _all_scopes(request, shown: Shown) -> list[str]:
    scopes = set(shown.scopes)
    user = request.user
    if user.is_authenticated:
        scopes.add(versions.user_scope(user.pk))
    for extension in _EXTENSIONS:
        scopes.update(extension(user))
    return sorted(scopes)


# --- The tag ------------------------------------------------------------------------------------


def _encode(scopes: Iterable[str]) -> str:
    groups: dict[str, list[str]] = {}
    for name in scopes:
        kind, _, key = name.partition(":")
        groups.setdefault(_KINDS[kind], []).append(key)
    return "_".join(f"{short}{'-'.join(keys)}" for short, keys in sorted(groups.items()))


def _decode(text: str) -> list[str]:
    scopes = []
    for group in text.split("_"):
        kind = _NAMES[group[0]]
        scopes.extend(f"{kind}:{int(key)}" for key in group[1:].split("-"))
    return scopes


def _mac(request, scopes: list[str], numbers: dict[str, int], visit, until) -> str:
    user = request.user
    facts = (
        request.get_full_path(),
        user.pk if user.is_authenticated else None,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        request.META.get("CSRF_COOKIE", ""),
        settings_digest(),
        release.digest(),
        [(name, numbers.get(name)) for name in scopes],
        visit,
        until,
    )
    return salted_hmac("reflect.page", repr(facts)).hexdigest()[:24]


def make_tag(request, shown: Shown) -> str:
    """The tag of a page that showed ``shown``, from the scopes' numbers now (one query: call it
    inside the snapshot the page was read in)."""
    scopes = _all_scopes(request, shown)
    until = int(shown.until) if shown.until else None  # a second early is on the safe side
    mac = _mac(request, scopes, versions.read(scopes), shown.visit, until)
    return f'W/"{_FORMAT}.{shown.visit or 0}.{until or 0}.{_encode(scopes)}.{mac}"'


def _parse(value: str) -> Tag | None:
    text = value.strip()
    if not text.startswith('W/"') or not text.endswith('"'):
        return None
    try:
        form, visit, until, scopes, mac = text[3:-1].split(".")
        if form != _FORMAT:
            return None
        return Tag(_decode(scopes), int(visit) or None, int(until) or None, mac, text)
    except (ValueError, KeyError, IndexError):
        return None


def current_tag(request) -> Tag | None:
    """The tag the browser sent (``If-None-Match``) if its page is still what would be built now:
    one query for the scopes it lists."""
    sent = request.headers.get("If-None-Match", "")
    tags = [tag for tag in map(_parse, sent.split(", ")[:4]) if tag is not None]
    if not tags:
        return None
    tag = tags[0]
    if tag.until is not None and timezone.now().timestamp() >= tag.until:
        return None
    mac = _mac(request, tag.scopes, versions.read(tag.scopes), tag.visit, tag.until)
    return tag if constant_time_compare(mac, tag.value) else None


def _taggable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not getattr(request, "htmx", False)
        and not len(get_messages(request))  # len() leaves them waiting
    )


def conditional_page(*, on_shown: Callable | None = None):
    """Serve a page from the browser's copy while nothing it shows has changed (module docstring).

    The view runs inside one read-only snapshot (``versions.snapshot``) and sets
    ``response.shown``; ``on_shown(request, visit)`` runs after it, and after a 304, outside the
    snapshot (recording the visit of an activity)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            taggable = _taggable(request)
            if taggable and (tag := current_tag(request)) is not None:
                response = HttpResponseNotModified()
                response.headers["ETag"] = tag.text
                if on_shown and tag.visit:
                    on_shown(request, tag.visit)
                return _headers(response)
            with versions.snapshot():
                response = view(request, *args, **kwargs)
                shown = getattr(response, "shown", None)
                if taggable and shown is not None and shown.kept and response.status_code == 200:
                    response.headers["ETag"] = make_tag(request, shown)
            if on_shown and shown is not None and shown.visit:
                on_shown(request, shown.visit)
            return _headers(response)

        return wrapper

    return decorator


def _headers(response):
    patch_vary_headers(response, ["HX-Request"])
    if response.has_header("ETag") or response.status_code == 304:
        patch_cache_control(response, **CACHE_CONTROL)
    return response

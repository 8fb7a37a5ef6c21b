"""The space page kept whole for each viewer, and served again while nothing it shows has changed
(issue 13, docs/decisions.md 89).

A member who comes back to a space (from a lesson, a notification, the Back button, a reload)
mostly finds it as they left it. Building the page again is ten queries and a template; checking
that it has not changed is one small query:

- when the page is built, its reads run in one snapshot (``core.stamps.snapshot``), and at the
  end of it the page's *stamps* are read: the version of each activity's space in the lesson
  (``FeedVersion``: posts, likes and their reasons, the activity itself), of the course
  (``course:<id>``: the course, its lessons, the list of activities, cohorts, enrolments) and of
  every member the page shows (``user:<id>``: the viewer, each author, the author of each answered
  post, each member whose reason the viewer reads: their names, post counts, roles,
  suspensions, drafts, follows), and of the spaces and stamps that apps to the right add
  (``register_dependencies``: notifications adds the viewer's ``notices:<id>`` and the spaces and
  courses of the posts of their unread notices, which the header counts only while the viewer
  may read them). Database triggers move them on every write, whatever made it
  (``core.stamps``);
- the HTML is kept under (viewer, address, time zone, language, the viewer's own row, the
  settings that shape the page, release)
  with those versions, the time the viewer's next suspension starts or ends, if any, and the
  activity whose visit to record;
- the next request for the same address by the same viewer reads the versions again (one query)
  and, if they are all the same and no suspension boundary has passed, gets the kept HTML with
  its own CSRF token filled in (``fragments.CSRF_SLOT``) and its visit recorded.

The thread page (``/posts/<id>/thread/``) is kept the same way, and so is where a permalink
(``/posts/<id>/``, the links in notices) leads each viewer (``keep_redirect``).

Never kept: a page showing "New" markers (the next visit would not show them; a page is kept
only when nothing is new since the last visit, and anything new changes a version), a page with
messages waiting, htmx requests, an address with query parameters the page does not read, and
an error (a 404 raised while the page is built). If the
cache is down, every request builds the page (``core.cache.FailOpenRedisCache``). A deploy
changes the release digest in every key, so nothing rendered by older code is served.
"""

import hashlib
import logging
import re
import uuid
import zlib
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from accounts.models import Suspension
from community.feed import SpacePage
from community.fragments import CSRF_SLOT
from community.models import FeedVersion, Reflection
from core import release, stamps
from core.models import Stamp

logger = logging.getLogger(__name__)

# A composer's submission key (double-submit protection, community.forms) is drawn afresh for
# each page shown: two tabs on one kept page must not share one.
_SUBMISSION_KEY = re.compile(r'(name="submission_key" value=")[0-9a-f-]{36}(")')
_SUBMISSION_SLOT = r"\1SUBMISSIONKEYSLOTq3Zr\2"
_FRESH_SUBMISSION_KEY = re.compile(r"SUBMISSIONKEYSLOTq3Zr")

# Settings that shape a page (they come from the environment: a restart with another value must
# not serve pages made with the old one).
_PAGE_SETTINGS = ("REFLECTIONS_PER_PAGE", "REPLIES_SHOWN_PER_THREAD", "COMMUNITY_PUBLIC_READING", "SITE_NAME",
                  "LANGUAGE_CODE", "REFLECTION_MAX_LENGTH")  # fmt: skip

# Not part of the key: a viewer's row as the page may show or use it, read fresh by the
# authentication middleware on every request.
_UNSHOWN_USER_FIELDS = frozenset({"password", "last_login"})


@dataclass
class KeptPage:
    """A page (or a permalink's redirect) as kept, with what it depends on: the spaces
    ``prompt_ids`` and the stamps ``names``, and their ``versions`` when it was built."""

    html: bytes  # zlib-compressed, with CSRF_SLOT for the token ("" for a redirect)
    prompt_ids: list[int]
    names: list[str]
    versions: tuple[list[int], list[int]]
    visit_prompt_id: int | None  # the activity whose visit a request for this page records
    valid_until: float | None  # epoch seconds: the viewer's next suspension boundary
    location: str = ""  # a kept redirect (a permalink's): where it leads

    @property
    def text(self) -> str:
        return zlib.decompress(self.html).decode()


# The query parameters the kept pages read (the space's order and keyset position): an address
# with any other is built, not kept, so made-up addresses cannot fill the cache.
_PAGE_PARAMETERS = frozenset({"order", "after", "before", "from", "until", "last", "page", "n"})


def _keeps(request) -> bool:
    return (
        settings.SPACE_PAGE_TTL > 0
        and request.method in ("GET", "HEAD")
        and not request.htmx
        and _PAGE_PARAMETERS.issuperset(request.GET)
        and not len(get_messages(request))  # len() leaves them waiting
    )


def _key(request) -> str:
    user = request.user
    if user.is_authenticated:
        viewer = str(user.pk)
        row = tuple(
            getattr(user, field.attname)
            for field in user._meta.concrete_fields
            if field.attname not in _UNSHOWN_USER_FIELDS
        )
    else:
        viewer, row = "anonymous", ()
    facts = (
        request.get_full_path(), timezone.get_current_timezone_name(), translation.get_language(), row,
        tuple(getattr(settings, name, None) for name in _PAGE_SETTINGS),
    )  # fmt: skip
    digest = hashlib.sha1(repr(facts).encode(), usedforsecurity=False).hexdigest()[:24]
    return f"page:{release.digest()}:{viewer}:{digest}"


def _versions(prompt_ids: list[int], names: list[str]) -> tuple[list[int], list[int]]:
    """The versions of the spaces ``prompt_ids`` and of the stamps ``names``, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ARRAY(SELECT version FROM {FeedVersion._meta.db_table} WHERE prompt_id = ANY(%s::bigint[])"
            f" ORDER BY prompt_id), ARRAY(SELECT version FROM {Stamp._meta.db_table} WHERE name = ANY(%s::text[])"
            " ORDER BY name)",
            [prompt_ids, names],
        )
        feed, named = cursor.fetchone()
    return feed, named


def reading(request):
    """Where to build a page that may be kept: in one snapshot (``core.stamps.snapshot``), so the
    stamps read at its end describe exactly what was read; a page that will not be kept (htmx,
    messages waiting, keeping off) is read as any other."""
    return stamps.snapshot() if _keeps(request) else nullcontext()


def lookup(request) -> KeptPage | None:
    """The page kept for this request's viewer and address, if nothing it shows has changed."""
    if not _keeps(request):
        return None
    try:
        kept = caches["default"].get(_key(request))
    except Exception:  # noqa: BLE001 - the page is built
        logger.warning("kept pages: cache unavailable", exc_info=True)
        return None
    if kept is None:
        return None
    if kept.valid_until is not None and timezone.now().timestamp() >= kept.valid_until:
        return None
    if _versions(kept.prompt_ids, kept.names) != kept.versions:
        return None
    return kept


# Apps to the right of community whose part of every page depends on posts beyond the page's own
# add what it depends on here, so community never imports them (notifications: the header's
# count of unread notices leaves out those about posts the member may no longer read).
DEPENDENCY_EXTENSIONS: list = []


def register_dependencies(extension):
    """Register ``extension(user) -> (prompt ids, stamp names)``: spaces and stamps whose changes
    may change what the page shows ``user``, in at most one query."""
    if extension not in DEPENDENCY_EXTENSIONS:
        DEPENDENCY_EXTENSIONS.append(extension)
    return extension


def dependencies(user, page: SpacePage) -> tuple[list[int], list[str]]:
    """The spaces and stamps whose versions cover everything ``page`` shows ``user``."""
    members = {prompt.author_id for prompt in page.prompts}
    for post in page.posts():
        members.add(post.author_id)
        if post.parent_id:
            members.add(post.parent.author_id)
    for likes in page.viewer.reasons_received.values():
        members.update(like.user_id for like in likes)
    prompt_ids = {prompt.pk for prompt in page.prompts}
    names = {stamps.course_scope(page.lesson.course_id), *(stamps.user_scope(pk) for pk in members)}
    for extension in DEPENDENCY_EXTENSIONS:
        more_prompts, more_names = extension(user)
        prompt_ids.update(more_prompts)
        names.update(more_names)
    return sorted(prompt_ids), sorted(names | set(_viewer_scopes(user)))


def keep(request, page: SpacePage, html: str, *, records_visit: bool) -> None:
    """Keep ``page`` (its ``html`` rendered with ``CSRF_SLOT``) for the next request by the same
    viewer for the same address, which records a visit of its activity if ``records_visit`` (the
    space page does, the thread page does not). Called inside the snapshot the page was read in."""
    if (
        not _keeps(request)
        or page.new_count
        or any(getattr(p, "viewer_has_new", False) for p in page.prompts)
    ):
        return
    visit = page.prompt.pk if records_visit and page.prompt is not None and page.can_read else None
    html = _SUBMISSION_KEY.sub(_SUBMISSION_SLOT, html)
    _keep(request, *dependencies(request.user, page), html=html, visit_prompt_id=visit)


def keep_redirect(request, post: Reflection, location: str) -> None:
    """Keep where a permalink to ``post`` (read with its prompt and lesson) leads this viewer: the
    page holding the post depends on the posts of its space the viewer may see (``FeedVersion``),
    and whether they may see it on the course and their own standing."""
    names = sorted([stamps.course_scope(post.prompt.lesson.course_id), *_viewer_scopes(request.user)])
    _keep(request, [post.prompt_id], names, html="", location=location)


def _viewer_scopes(user) -> list[str]:
    return [stamps.user_scope(user.pk)] if user.is_authenticated else []


def _keep(request, prompt_ids: list[int], names: list[str], *, html: str, location: str = "",
          visit_prompt_id: int | None = None) -> None:  # fmt: skip
    if not _keeps(request):
        return
    kept = KeptPage(
        html=zlib.compress(html.encode(), 1),
        prompt_ids=prompt_ids,
        names=names,
        versions=_versions(prompt_ids, names),
        visit_prompt_id=visit_prompt_id,
        valid_until=_next_suspension_boundary(request.user),
        location=location,
    )
    try:
        caches["default"].set(_key(request), kept, timeout=settings.SPACE_PAGE_TTL)
    except Exception:  # noqa: BLE001
        logger.warning("kept pages: cache unavailable", exc_info=True)


def _next_suspension_boundary(user) -> float | None:
    """When the viewer's standing next changes by the clock alone (a suspension starts or ends)."""
    if not user.is_authenticated:
        return None
    now = timezone.now()
    bounds = Suspension.objects.filter(user_id=user.pk, lifted_at__isnull=True, ends_at__gt=now)
    times = [moment for pair in bounds.values_list("starts_at", "ends_at") for moment in pair if moment > now]
    return min(times).timestamp() if times else None


def filled_in(request, html: str) -> str:
    """``html`` with this request's CSRF token where the page has ``CSRF_SLOT``, and a new
    submission key in each composer of a kept page."""
    html = _FRESH_SUBMISSION_KEY.sub(lambda _: str(uuid.uuid4()), html)
    return html.replace(CSRF_SLOT, get_token(request))

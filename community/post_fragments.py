"""Each post of the space page rendered once, not per request: its HTML fragment is cached under a
key that holds everything the fragment shows and the release (STYLE.md §4b).

The key is content-addressed: a digest of the post's own fields (text, content note, likes, hidden, removed,
highlighted, private, edited…), its author's name, handle, role and post count, the author of the
post it answers, the viewer's actions on it as ``post_actions.PostActions`` worked them out (own post,
liked, may reply/edit/delete/report/moderate/share/highlight, their reason, the reasons the
author reads), the viewer's Follow level for the thread, the viewer's time zone and the release
(``core.release``: a deploy that changes a format, a partial or a tag never serves old markup).
Any change to any of them is another key, so a stale fragment is never asked for again
(invalidation is exact by construction, with no service having to remember to bump a version),
and two viewers share a fragment only when its markup is byte for byte the same for both.

What is truly per request stays out of the fragment: the CSRF token and the "New" marker
(``NEW_SLOT``). The token goes only where the template put it, never into member content: each
render fills ``{% csrf_token %}`` with a fresh random slot (``secrets``, made after the post's text
existed, so no member can have typed it) and the fragment is kept as the pieces between the
template's own slots; a request joins the pieces with its token. A post that contains any
"slot" text shows that text (issue 21, item 27). The "New" marker is a comment, which member
content can never hold (core/markdown.py escapes typed HTML and strips comments).
The page's fragments are fetched in one ``get_many`` and the misses stored in one ``set_many``;
if the cache is down the page renders every post itself (``core.cache.FailOpenRedisCache``).
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from community.models import Reflection
from core import release

logger = logging.getLogger(__name__)

TEMPLATE = "community/space.html"
NEW_SLOT = "<!--new-->"


def new_badge() -> str:
    """The "New" badge put in a post's slot, in the viewer's language (the fragment is shared)."""
    # Translators: a badge on a post written since the member's last visit.
    return format_html('<span class="badge badge--new">{}</span>', gettext("New"))


_ACTION_FIELDS = (
    "like_url", "unlike_url", "liked", "likes_url", "reply_url", "edit_url", "delete_url",
    "history_url", "report_url", "moderate_url", "own", "placeholder", "share_url", "share_anonymity", "highlight_url",
    "unhighlight_url", "my_reason_html", "reason_url", "reason_remove_url",
)  # fmt: skip


def fragment_key(post: Reflection, tz_name: str) -> str:
    """The cache key of ``post``'s fragment for the viewer whose ``post.actions`` are set."""
    author = post.author
    actions = post.actions
    follow = getattr(post, "follow", None)
    parent_author = (
        post.parent.author.display_name if post.parent_id and post.parent_id != post.thread_id else ""
    )
    inputs = (
        tz_name, translation.get_language(),  # the viewer's zone and language (issue 26)
        post.pk, post.thread_id, post.parent_id, post.created_at, post.edited_at, post.deleted_at,
        post.deleted_by_id, post.hidden_at, post.hidden_by_id, post.hidden_reason, post.is_private,
        post.highlighted_at, post.like_count, post.body_html, post.content_note,
        author.handle, author.display_name, author.role, author.post_count, parent_author,
        post.anonymous, post.pseudonym, getattr(post, "pseudonymous", False), post.audience,
        follow.level if follow is not None else None,
        post.follow_up_gap,
        tuple(getattr(actions, name) for name in _ACTION_FIELDS),
        tuple((like.pk, like.user.display_name, like.reason_html, url) for like, url in actions.reasons),
    )  # fmt: skip
    digest = hashlib.sha1(repr(inputs).encode(), usedforsecurity=False).hexdigest()
    return f"post:{release.digest()}:{post.pk}:{digest}"


def render_pieces(post: Reflection) -> tuple[str, ...]:
    """``post``'s fragment split at the template's own ``{% csrf_token %}`` positions: rendered
    with a slot that is random for this render, so only the template can have put it there."""
    slot = f"csrfslot{secrets.token_hex(16)}"
    html = render_to_string(f"{TEMPLATE}#post", {"post": post, "fragment": True, "csrf_token": slot})
    return tuple(html.split(slot))


def attach_fragments(request, posts: list[Reflection], *, token: str | None = None) -> None:
    """Set ``post.fragment_html`` on each of ``posts`` (with ``actions`` and, for threads,
    ``follow`` set): from the cache in one round trip, the misses rendered and stored in one.
    The CSRF token filled in is the request's, or ``token``."""
    if not posts:
        return
    cache = caches["default"]
    tz_name = timezone.get_current_timezone_name()
    keys = {post.pk: fragment_key(post, tz_name) for post in posts}
    try:
        found = cache.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - the page renders without the cache
        logger.warning("post fragments: cache unavailable", exc_info=True)
        found = {}
    token = token or get_token(request)
    missing = {}
    badge = new_badge()
    for post in posts:
        key = keys[post.pk]
        pieces = found.get(key)
        if not isinstance(pieces, tuple):
            pieces = missing[key] = render_pieces(post)
        html = token.join(pieces).replace(NEW_SLOT, badge if getattr(post, "is_new", False) else "")
        post.fragment_html = mark_safe(html)  # noqa: S308 - our own template's output
    if missing:
        try:
            cache.set_many(missing, timeout=settings.POST_FRAGMENT_TTL)
        except Exception:  # noqa: BLE001
            logger.warning("post fragments: cache unavailable", exc_info=True)

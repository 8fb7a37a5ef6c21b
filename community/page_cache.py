"""The space page's read of its threads, kept between requests (issue 13, docs/decisions.md 87).

Which threads a page shows, their first replies, how many replies each has and the page's links
are three queries through ``visible_to`` (planned and compiled each time: most of the page's
cost). For most viewers their result is the same for everyone of the same standing, so it is
kept in the cache under

    (prompt, its ``FeedVersion``, order, position, audience)

and the next viewer of that page reads it in one round trip. ``FeedVersion`` changes with every
write to the prompt's posts (database triggers), so a kept read is never stale and there is
nothing to invalidate: a change makes another key.

Not kept, read fresh on every request (``attach_authors`` and the rest of ``feed.build_space``):
the authors (names, post counts and roles change without any post of this prompt changing), the
viewer's likes and reasons, Follow controls, draft and "new" markers, and the prompt itself.

A kept read is shared only where that is exact, that is where ``visible_to`` gives every viewer
of the same audience the same posts:

- the course's learners see the whole course (under "their own cohort" each learner's read
  depends on their cohort: read per request);
- not under independent reflection, unless the viewer sees everything (there a learner's read
  depends on whether they have reflected);
- the viewer has no post here that only they can see (their private reflections, their hidden
  posts and their replies in a hidden thread): a flag read with the prompts decides
  (``feed._viewer_flags``; one small query where it was not read);
- not in an order that depends on the viewer ("Mine", ``PER_VIEWER_ORDERS``).

The audience is then: signed in or not, moderator or not (moderators read hidden posts), staff
or not (staff read unpublished lessons), sees everything or not. If the cache is down the page
reads its threads itself (``core.cache.FailOpenRedisCache`` answers a miss).
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q

from accounts.models import User, role_names_column
from accounts.roles import is_moderator, sees_everything
from community.keyset import PageLinks, Position
from community.models import Prompt, Reflection

logger = logging.getLogger(__name__)

# Bumped when the kept value's shape changes, so a deploy never reads the old one.
_FORMAT = 1
# Orders whose threads depend on who reads them ("Mine": the viewer's threads and those they
# answered): read for each viewer, never kept.
PER_VIEWER_ORDERS = frozenset({"mine"})
# Only what a post's markup and actions show of its author.
AUTHOR_FIELDS = ("id", "handle", "display_name", "post_count", "is_staff", "is_superuser")


@dataclass
class ThreadsRead:
    """One page's threads (each with ``replies_shown``, ``reply_total`` and ``thread_url``; no
    author attached), its links, and the top-level posts the stored count leaves out that this
    audience sees ((live, shown): ``feed.uncounted_visible``; None when the count is not stored)."""

    threads: list[Reflection]
    pages: PageLinks
    uncounted: tuple[int, int] | None


def audience(user, prompt: Prompt, course) -> str | None:
    """The key of the viewers who read exactly what ``user`` reads on ``prompt``'s page, or None
    where ``user``'s read is their own (see the module's docstring). At most one query."""
    if course.learners_see != course.LearnersSee.COURSE:
        return None
    if prompt.independent_reflection and not sees_everything(user):
        return None
    if user.is_authenticated:
        unshared = getattr(prompt, "viewer_unshared", None)  # read with the prompt (feed.build_space)
        if unshared is None:
            unshared = own_unshared(user, prompt.pk).exists()
        if unshared:
            return None
    flags = (user.is_authenticated, is_moderator(user), user.is_staff, sees_everything(user))
    return "".join("1" if flag else "0" for flag in flags)


def own_unshared(user, prompt_id):
    """The viewer's posts in the prompt ``prompt_id`` (an id, or an ``OuterRef``) that only they
    (and, for hidden ones, moderators) read."""
    unshared = Q(is_private=True)
    if not is_moderator(user):
        unshared |= Q(hidden_at__isnull=False) | Q(thread_id__in=Reflection.objects.hidden_thread_ids())
    return Reflection.objects.filter(unshared, prompt_id=prompt_id, author_id=user.pk)


def read_threads(user, prompt: Prompt, course, *, order: str, position: Position,
                 read: Callable[[], ThreadsRead]) -> ThreadsRead:  # fmt: skip
    """``read()``, or the read kept for ``user``'s audience at this version of the page."""
    if order in PER_VIEWER_ORDERS:
        return read()
    group = audience(user, prompt, course)
    if group is None:
        return read()
    where = (position.kind, position.key, position.number, settings.REFLECTIONS_PER_PAGE,
             settings.REPLIES_SHOWN_PER_THREAD)  # fmt: skip
    digest = hashlib.sha1(repr(where).encode(), usedforsecurity=False).hexdigest()[:20]
    key = f"threads:{_FORMAT}:{prompt.pk}:{prompt.feed_version}:{group}:{order}:{digest}"
    cache = caches["default"]
    try:
        kept = cache.get(key)
    except Exception:  # noqa: BLE001 - the page reads its threads itself
        logger.warning("space page: cache unavailable", exc_info=True)
        kept = None
    if kept is not None:
        return kept
    fresh = read()
    try:
        cache.set(key, fresh, timeout=settings.SPACE_READ_TTL)
    except Exception:  # noqa: BLE001
        logger.warning("space page: cache unavailable", exc_info=True)
    return fresh


def attach_authors(posts: list[Reflection]) -> None:
    """Each post's author, and the author of the post it answers, with their roles, read fresh in
    one query: names, post counts and roles change without the post changing."""
    if not posts:
        return
    wanted = {post.author_id for post in posts}
    wanted |= {post.parent.author_id for post in posts if post.parent_id}
    authors = {
        author.pk: author
        for author in User.objects.filter(pk__in=wanted)
        .only(*AUTHOR_FIELDS)
        .annotate(role_name_list=role_names_column())
    }
    for post in posts:
        post.author = authors[post.author_id]
        if post.parent_id:
            post.parent.author = authors[post.parent.author_id]

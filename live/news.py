"""What is new in a space for one viewer since a token (``tokens.SpaceSince``), always through the
one read rule (``Reflection.objects.visible_to(user, within=prompt)``): the counts the bar shows,
and the posts "Show" inserts.

New means: live, written by someone else, created after the token's moment and not among the posts
the page already showed. A reply counts only where the viewer sees its thread (as the space page
shows no reply whose thread the viewer cannot see)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from community.models import Prompt, Reflection
from community.querysets import arrived_after
from core import versions
from live.tokens import SpaceSince

SHOWN_AT_ONCE = 50  # posts "Show" inserts at most; the rest on the next press (or a reload)


@dataclass
class News:
    reflections: int = 0
    replies: int = 0

    @property
    def any(self) -> bool:
        return bool(self.reflections or self.replies)


def space_scopes(since: SpaceSince) -> list[str]:
    """The scopes whose versions decide whether a space's news may have changed for its viewer:
    the space (posts, likes, moderation), the course (enrolments, cohorts, publishing) and the
    viewer (roles, suspension)."""
    scopes = [versions.space_scope(since.prompt_id), versions.course_scope(since.course_id)]
    if since.user_id is not None:
        scopes.append(versions.user_scope(since.user_id))
    return scopes


def numbers_of(scopes: list[str]) -> list:
    """The scopes' versions now, in the scopes' order (None for a scope never written): one query."""
    found = versions.read(scopes)
    return [found.get(name) for name in scopes]


def readable_prompt(user, prompt_id: int) -> Prompt | None:
    return Prompt.objects.visible_to(user).select_related("lesson__course").filter(pk=prompt_id).first()


def new_posts(user, prompt: Prompt, since: SpaceSince):
    """The viewer's news in ``prompt`` as a queryset (``visible_to`` within the activity)."""
    visible = Reflection.objects.visible_to(user, within=prompt)
    threads = Reflection.objects.visible_to(user, within=prompt, placeholders=True).top_level()
    posts = (
        visible.live()
        .filter(arrived_after(since.after))
        .filter(Q(thread__isnull=True) | Q(thread_id__in=threads.values("pk")))
        .exclude(pk__in=since.seen)
    )
    if user.is_authenticated:
        posts = posts.exclude(author_id=user.pk)
    return posts


def count_news(user, prompt: Prompt, since: SpaceSince) -> News:
    """The bar's numbers, in one query."""
    counts = new_posts(user, prompt, since).aggregate(
        reflections=Count("pk", filter=Q(thread__isnull=True)),
        replies=Count("pk", filter=Q(thread__isnull=False)),
    )
    return News(**counts)


def poll_seconds() -> int:
    return settings.LIVE_POLL_SECONDS

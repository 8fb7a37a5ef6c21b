"""On the author's own reflections in the space (a community page extension): "Read by N
colleagues", "Come back to this" with its day (change, cancel), and "Write a follow-up"."""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from community.models import Reflection
from core import versions
from followthrough.forms import PlanForm
from followthrough.models import Plan, ReadCount


@dataclass
class PostFollowThrough:
    post_id: int
    is_private: bool
    due_on: date | None
    reminded: bool
    followed_up: bool
    readers: int | None  # None: not counted yet, or a private reflection (never counted)
    template: str = "followthrough/_post_controls.html"

    @property
    def plan_url(self) -> str:
        return reverse("followthrough:plan", args=[self.post_id])

    @property
    def cancel_url(self) -> str:
        return reverse("followthrough:cancel", args=[self.post_id])

    @property
    def follow_up_url(self) -> str:
        return reverse("followthrough:follow-up", args=[self.post_id])

    @property
    def form(self) -> PlanForm:
        initial = {"come_back": "date", "come_back_on": self.due_on} if self.due_on else {}
        return PlanForm(post_id=self.post_id, initial=initial)


def follow_through_of(posts: list[Reflection]) -> dict[int, PostFollowThrough]:
    """{post id: its follow-through} for the author's own live top-level ``posts``, in one query."""
    if not posts:
        return {}
    plan = Plan.objects.filter(reflection_id=OuterRef("pk"))
    counted = ReadCount.objects.filter(reflection_id=OuterRef("pk")).values("readers")[:1]
    rows = (
        Reflection.objects.filter(pk__in=[post.pk for post in posts])
        .annotate(
            due_on=Subquery(plan.values("due_on")[:1]),
            reminded_at=Subquery(plan.values("reminded_at")[:1]),
            followed_up_at=Subquery(plan.values("followed_up_at")[:1]),
            readers=Subquery(counted),
        )
        .values_list("pk", "is_private", "due_on", "reminded_at", "followed_up_at", "readers")
    )
    return {
        pk: PostFollowThrough(
            post_id=pk,
            is_private=private,
            due_on=due_on,
            reminded=reminded_at is not None,
            followed_up=followed_up_at is not None,
            readers=None if private else readers,
        )  # fmt: skip
        for pk, private, due_on, reminded_at, followed_up_at, readers in rows
    }


def add_followthrough(space) -> None:
    """``post.followthrough`` on the viewer's own live reflections shown (not replies): one query,
    only when the page shows one. Plans and reader counts move the author's version (``user:<id>``,
    followthrough migration 0001), which the page's ETag already lists (the author is named on it)."""
    viewer = space.viewer.user
    if not viewer.is_authenticated:
        return
    own = [
        post
        for post in [*space.private_threads, *space.threads]
        if post.author_id == viewer.pk and post.thread_id is None and not post.is_deleted
        and not getattr(getattr(post, "actions", None), "placeholder", False)
    ]  # fmt: skip
    found = follow_through_of(own)
    if not found:
        return
    space.extension_scopes.add(versions.user_scope(viewer.pk))
    for post in own:
        post.followthrough = found.get(post.pk)


def add_to_new_post(user, post: Reflection) -> None:
    """The same on a reflection just posted and shown in place (htmx): one query."""
    if user.is_authenticated and post.author_id == user.pk and post.thread_id is None:
        post.followthrough = follow_through_of([post]).get(post.pk)

from django.db import models
from django.db.models import Count, Q


class PromptQuerySet(models.QuerySet):
    def in_space_order(self) -> "PromptQuerySet":
        """Pinned prompts first in the facilitator's order, then the rest oldest first."""
        return self.order_by("-is_pinned", "pin_position", "created_at", "id")

    def with_reflection_counts(self) -> "PromptQuerySet":
        return self.annotate(
            live_reflection_count=Count("reflections", filter=Q(reflections__deleted_at__isnull=True))
        )


class ReflectionQuerySet(models.QuerySet):
    def live(self) -> "ReflectionQuerySet":
        return self.filter(deleted_at__isnull=True)

    def top_level(self) -> "ReflectionQuerySet":
        return self.filter(thread__isnull=True)

    def for_display(self) -> "ReflectionQuerySet":
        """Everything a post shows about its author, without a query per post."""
        return self.select_related("author", "parent__author").prefetch_related("author__groups")

    def threads_for(self, prompt, *, order: str = "oldest", user=None) -> "ReflectionQuerySet":
        """Top-level reflections of ``prompt`` in one of the space's orders."""
        threads = self.filter(prompt=prompt).top_level()
        if order == "newest":
            return threads.order_by("-created_at", "-id")
        if order == "liked":
            return threads.order_by("-like_count", "created_at", "id")
        if order == "mine" and user is not None and user.is_authenticated:
            mine = Q(author=user) | Q(pk__in=self.filter(prompt=prompt, author=user).values("thread_id"))
            return threads.filter(mine).order_by("created_at", "id")
        return threads.order_by("created_at", "id")

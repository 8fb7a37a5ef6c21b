"""Follow controls on the community space, added through community.space_page's page extensions."""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from notifications.models import Subscription

Level = Subscription.Level


@dataclass
class FollowControl:
    url: str
    level: str
    template: str

    @property
    def following(self) -> bool:
        return self.level == Level.WATCHING

    @property
    def muted(self) -> bool:
        return self.level == Level.MUTED


def add_follow_controls(space) -> None:
    """Set ``thread.follow`` on each thread shown and ``prompt.follow`` on the activity, in one query."""
    user = space.viewer.user
    if not user.is_authenticated or space.prompt is None:
        return
    thread_ids = [thread.pk for thread in space.threads if not thread.is_deleted]
    levels = {
        (thread_id, prompt_id): level
        for thread_id, prompt_id, level in Subscription.objects.filter(user=user)
        .filter(Q(thread_id__in=thread_ids) | Q(prompt=space.prompt))
        .values_list("thread_id", "prompt_id", "level")
    }
    url = reverse("notifications:follow-thread", args=[0])
    for thread in space.threads:
        if not thread.is_deleted:
            thread.follow = FollowControl(
                url=url.replace("/0/", f"/{thread.pk}/"),
                level=levels.get((thread.pk, None), Level.NORMAL),
                template="notifications/_follow_thread.html",
            )
    space.prompt.follow = FollowControl(
        url=reverse("notifications:follow-activity", args=[space.prompt.pk]),
        level=levels.get((None, space.prompt.pk), Level.NORMAL),
        template="notifications/_follow_activity.html",
    )

"""The "Lock the activity" button on the community space, added through community.space_page's
page extensions (community never names moderation's URLs)."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass
class LockControl:
    url: str
    locked: bool
    template: str = "moderation/_lock_activity.html"


def add_lock_control(space) -> None:
    """``prompt.lock_control`` for moderators: lock (or unlock) the activity from its space, as
    from a post's moderation page. No query: the viewer's roles came with their row and the lock
    with the activity."""
    if space.prompt is not None and space.viewer.moderates:
        space.prompt.lock_control = LockControl(
            url=reverse("moderation:lock", args=[space.prompt.pk]), locked=space.prompt.is_locked
        )

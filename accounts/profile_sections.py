"""Sections other apps add to a member's profile page (``/u/<handle>/``).

accounts owns the profile page but not what a member wrote: reflections and replies live in
community, which depends on accounts, never the other way round. So a content app registers a
section here from its ``AppConfig.ready`` (community adds the member's activity), and the page
renders every section in registration order, which is ``INSTALLED_APPS`` order.

A section is a callable ``(viewer, member, request) -> {"template": …, "context": {…}} | None``.
It decides what ``viewer`` may see of ``member`` (return None to show nothing) and must run a
fixed number of queries however much the member wrote: the profile page's query count is pinned.
Its template is rendered inside the page with its ``context`` pushed on top of the page's context.
A name registered again replaces the earlier entry in place (a re-run ``ready()`` doubles nothing).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

Section = dict[str, Any]  # {"template": "app/_profile_x.html", "context": {...}}
ProfileSection = Callable[[Any, "User", "HttpRequest"], Section | None]  # (viewer, member, request)

_sections: dict[str, ProfileSection] = {}


def register_profile_section(name: str, section: ProfileSection) -> None:
    _sections[name] = section


def profile_sections(viewer, member: "User", request: "HttpRequest") -> list[Section]:
    """The sections to show on ``member``'s profile to ``viewer``, in registration order."""
    built = (section(viewer, member, request) for section in _sections.values())
    return [section for section in built if section is not None]

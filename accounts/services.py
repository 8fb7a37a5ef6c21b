"""A member's own data: the export of everything they wrote, and deleting their account."""

from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts import member_data
from accounts.models import User

FORMER_MEMBER_NAME = "Former member"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- Export -------------------------------------------------------------------------------------


def export_data(user: User) -> dict[str, Any]:
    """Everything ``user`` wrote, as plain JSON-ready data: the profile (from ``user`` itself), then
    each registered export part's sections (``accounts.member_data``), in registration order."""
    data: dict[str, Any] = {
        "format": "reflect-member-data",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "handle": user.handle,
            "display_name": user.display_name,
            "bio": user.bio,
            "time_zone": user.time_zone,
            "date_joined": _iso(user.date_joined),
        },
    }
    for part in member_data.export_parts():
        sections = part.export(user)
        if set(sections) != set(part.sections):
            raise ValueError(f"Export part {part.name!r} returned {sorted(sections)}, not {part.sections}")
        data.update((name, sections[name]) for name in part.sections)
    return data


def export_markdown(data: dict[str, Any]) -> str:
    """The same data as ``export_data`` returns, as a readable Markdown document."""
    profile = data["profile"]
    lines = [
        f"# Your data from Reflect: @{profile['handle']}",
        "",
        f"Exported {data['exported_at']}. Times are in UTC.",
        "",
        "## Profile",
        "",
        f"- Email: {profile['email']}",
        f"- Handle: @{profile['handle']}",
        f"- Display name: {profile['display_name']}",
        f"- Time zone: {profile['time_zone']}",
        f"- Joined: {profile['date_joined']}",
        f"- Bio: {profile['bio'] or '(none)'}",
        "",
    ]
    for part in member_data.export_parts():
        lines += part.markdown({name: data[name] for name in part.sections if name in data})
    return "\n".join(lines).rstrip() + "\n"


# --- Deleting an account --------------------------------------------------------------------------


def _former_handle(user: User) -> str:
    handle = f"former_{user.pk}"
    if User.objects.filter(handle__iexact=handle).exclude(pk=user.pk).exists():
        # Someone signed up with this handle; never fail a deletion because of it.
        handle = f"former_{user.pk}_x"[:30]
    return handle


@transaction.atomic
def delete_account(*, user: User, remove_posts: bool) -> None:
    """Delete a member's account.

    The user row stays (posts reference it with PROTECT) but is anonymised: "Former member", a
    handle and email no one can use, no password, no roles, inactive. First every registered
    deletion handler (``accounts.member_data``) deals with its app's rows, in this transaction:
    the community app takes back the member's likes and, with ``remove_posts``, deletes their
    posts the way the author's own delete does.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    for handler in member_data.deletion_handlers():
        handler(user, remove_posts)

    EmailAddress.objects.filter(user=user).delete()
    user.display_name = FORMER_MEMBER_NAME
    user.handle = _former_handle(user)
    user.email = f"former-{user.pk}@invalid.example"
    user.bio = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    # Only these fields: the handlers may have changed others (post_count), so this copy is stale.
    user.save(
        update_fields=[
            "display_name",
            "handle",
            "email",
            "bio",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()

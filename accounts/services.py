"""Writes to members: creating them, their account and roles (the admin and the demo come here),
the export of everything they wrote, and deleting their account."""

import zoneinfo
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import member_data
from accounts.models import User

FORMER_MEMBER_NAME = "Former member"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- Members, their accounts and roles -----------------------------------------------------------

# What the admin changes on a member's row (roles and permissions: set_member_roles; the password:
# set_member_password; post_count is kept by the community services).
MEMBER_FIELDS = (
    "email",
    "handle",
    "display_name",
    "bio",
    "time_zone",
    "time_zone_set",
    "language",
    "is_active",
    "is_staff",
    "is_superuser",
)


@transaction.atomic
def create_member(
    *,
    email: str,
    handle: str,
    password: str | None,
    display_name: str = "",
    roles: Iterable[str] = (),
    bio: str = "",
    time_zone: str | None = None,
    language: str = "",
    is_staff: bool = False,
    date_joined: datetime | None = None,
) -> User:
    """A new member (email and handle lower-cased, as at sign-up) in the named role groups. Without
    a password the account cannot sign in with one until it is set."""
    extra: dict[str, Any] = {"display_name": display_name or handle, "bio": bio, "is_staff": is_staff}
    if time_zone is not None:
        extra["time_zone"] = time_zone
    if language:
        extra["language"] = language
    if date_joined is not None:
        extra["date_joined"] = date_joined
    user = User.objects.create_user(email, handle, password, **extra)
    names = set(roles)
    groups = list(Group.objects.filter(name__in=names))
    if len(groups) != len(names):
        raise ValueError(f"No role group named {sorted(names - {group.name for group in groups})}")
    user.groups.add(*groups)
    return user


@transaction.atomic
def ensure_verified_email(*, user: User) -> tuple[EmailAddress, bool]:
    """allauth (mandatory verification) lets a member in only with a verified address: give
    ``user`` their account email as their verified primary one, unless they have an address
    already (theirs are left alone). Returns (an address of theirs, created)."""
    existing = EmailAddress.objects.filter(user=user).order_by("-primary", "pk").first()
    if existing is not None:
        return existing, False
    return EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True), True


@transaction.atomic
def update_member(*, user: User, **fields: Any) -> User:
    """Change a member's account, profile or standing (``MEMBER_FIELDS``). Their row is locked
    first: their stamp follows their row."""
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"update_member does not change {sorted(unknown)}")
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)
    return user


def set_time_zone_from_browser(*, user: User, time_zone: str) -> bool:
    """The zone the member's browser reports, kept once: only while the member has none of their own
    (``time_zone_set`` false). One conditional UPDATE, so two tabs reporting at once write once and
    a zone chosen meanwhile in the profile is never overwritten. Returns whether it was kept."""
    if time_zone not in zoneinfo.available_timezones():
        return False
    with transaction.atomic():
        kept = User.objects.filter(pk=user.pk, time_zone_set=False).update(
            time_zone=time_zone, time_zone_set=True
        )
    if kept:
        user.time_zone, user.time_zone_set = time_zone, True
    return bool(kept)


@transaction.atomic
def set_member_roles(
    *, user: User, groups: Iterable[Group], permissions: Iterable[Permission] | None = None
) -> None:
    """A member's roles (role groups) and, when given, their own permissions become exactly these.
    Their row first, then the rows their stamp covers."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
    user.groups.set(list(groups))
    if permissions is not None:
        user.user_permissions.set(list(permissions))


@transaction.atomic
def set_member_password(*, user: User, password: str | None) -> User:
    """A new password for ``user``; None: no password sign-in at all (an unusable password). Only
    the password column is written (the rest of a copy read earlier may be stale)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    return user


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
            "language": user.language,
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
        "# " + _("Your data from Reflect: @%(handle)s") % {"handle": profile["handle"]},
        "",
        _("Exported %(when)s. Times are in UTC.") % {"when": data["exported_at"]},
        "",
        "## " + _("Profile"),
        "",
        "- " + _("Email: %(email)s") % {"email": profile["email"]},
        "- " + _("Handle: @%(handle)s") % {"handle": profile["handle"]},
        "- " + _("Display name: %(name)s") % {"name": profile["display_name"]},
        "- " + _("Time zone: %(zone)s") % {"zone": profile["time_zone"]},
        # Translators: "(your browser’s)" stands for the language of a member who chose none.
        "- " + _("Language: %(language)s") % {"language": profile.get("language") or _("(your browser’s)")},
        "- " + _("Joined: %(when)s") % {"when": profile["date_joined"]},
        "- " + _("Bio: %(bio)s") % {"bio": profile["bio"] or _("(none)")},
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
    # Their organisation's sign-in no longer leads to the former account (single sign-on).
    SocialAccount.objects.filter(user=user).delete()
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

"""Role names. Roles are Django groups (created in migration 0002); permissions hang off them.
And who reads the community at all (``reads_community``), which profiles ask as the spaces do."""

from django.conf import settings

LEARNER = "Learner"
FACILITATOR = "Facilitator"
MODERATOR = "Moderator"

ALL_ROLES = (LEARNER, FACILITATOR, MODERATOR)


def is_moderator(user) -> bool:
    """Moderators and staff moderate. Facilitators are admin users too (they write lessons), but
    moderating is not part of their role unless they are also in the Moderator group."""
    if not user.is_authenticated:
        return False
    names = user.role_names
    return MODERATOR in names or user.is_superuser or (user.is_staff and FACILITATOR not in names)


def sees_everything(user) -> bool:
    """Facilitators, moderators and staff read every shared reflection, independent reflection or not."""
    if not user.is_authenticated:
        return False
    return user.is_staff or bool(user.role_names & {FACILITATOR, MODERATOR})


def reads_community(user) -> bool:
    """Signed-in members read the spaces (and members' profiles); anonymous visitors only with
    COMMUNITY_PUBLIC_READING. ``community.querysets`` imports it from here for its read rule."""
    return user.is_authenticated or settings.COMMUNITY_PUBLIC_READING

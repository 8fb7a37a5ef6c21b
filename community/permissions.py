"""Who may do what in a community space. Views turn a False into PermissionDenied."""

from accounts import roles
from community.models import Prompt, Reflection


def sees_everything(user) -> bool:
    """Facilitators, moderators and staff always read every reflection."""
    if not user.is_authenticated:
        return False
    return user.is_staff or bool(user.role_names & {roles.FACILITATOR, roles.MODERATOR})


def can_post(user, prompt: Prompt) -> bool:
    return user.is_authenticated and user.is_active and not prompt.is_locked


def can_reply(user, reflection: Reflection) -> bool:
    return can_post(user, reflection.prompt) and not reflection.is_deleted


def can_like(user, reflection: Reflection) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and reflection.author_id != user.pk
        and not reflection.is_deleted
    )


def can_edit(user, reflection: Reflection) -> bool:
    return user.is_authenticated and reflection.author_id == user.pk and not reflection.is_deleted


def can_delete(user, reflection: Reflection) -> bool:
    return can_edit(user, reflection)


def can_read_reflections(user, prompt: Prompt) -> bool:
    """Independent reflection: learners read others' reflections once they have posted their own."""
    if not prompt.independent_reflection or sees_everything(user):
        return True
    if not user.is_authenticated:
        return False
    return Reflection.objects.filter(prompt=prompt, author=user, thread__isnull=True).live().exists()

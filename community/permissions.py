"""Who may do what in a community space. Views turn a False into PermissionDenied (or a 404
where even the post's existence should not be revealed)."""

from accounts.roles import is_moderator, sees_everything
from community.models import Prompt, Reflection
from lessons.permissions import takes_part


def can_participate(user) -> bool:
    """Signed in, active and not suspended: may post, reply, like and report."""
    return user.is_authenticated and user.is_active and not user.is_suspended


def takes_part_in(user, prompt: Prompt) -> bool:
    """Enrolled in the activity's course (or facilitating it, moderating, staff): asked of the
    database once per request and course (``lessons.permissions.takes_part``)."""
    return takes_part(user, prompt.lesson.course_id)


def can_post(user, prompt: Prompt) -> bool:
    return can_participate(user) and not prompt.is_locked and takes_part_in(user, prompt)


def can_see_hidden(user, reflection: Reflection) -> bool:
    return user.is_authenticated and (reflection.author_id == user.pk or is_moderator(user))


def can_reply(user, reflection: Reflection) -> bool:
    return can_post(user, reflection.prompt) and not reflection.is_deleted and not reflection.is_hidden


def can_like(user, reflection: Reflection) -> bool:
    return (
        can_participate(user)
        and reflection.author_id != user.pk
        and not reflection.is_deleted
        and not reflection.is_hidden
        and takes_part_in(user, reflection.prompt)
    )


def can_report(user, reflection: Reflection) -> bool:
    return can_participate(user) and reflection.author_id != user.pk and not reflection.is_deleted


def can_edit(user, reflection: Reflection) -> bool:
    return can_participate(user) and reflection.author_id == user.pk and not reflection.is_deleted


def can_delete(user, reflection: Reflection) -> bool:
    """Authors may always remove their own words, even while suspended."""
    return user.is_authenticated and reflection.author_id == user.pk and not reflection.is_deleted


def can_read_reflections(user, prompt: Prompt) -> bool:
    """Independent reflection: learners read others' reflections once they have posted their own.
    The page-level form of the clause in ``ReflectionQuerySet.visible_to`` (same ``answered_by``)."""
    if not prompt.independent_reflection or sees_everything(user):
        return True
    if not user.is_authenticated:
        return False
    return Reflection.objects.answered_by(user).filter(prompt_id=prompt.pk).exists()

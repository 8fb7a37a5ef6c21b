"""Who may follow an activity through: the facilitators of the course's cohorts, moderators and
staff (as for Insights; the same standing, asked once per request)."""

from accounts.roles import is_moderator
from lessons.permissions import facilitates


def can_facilitate(user, course_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or is_moderator(user) or facilitates(user, course_id)


def can_keep_a_library(user) -> bool:
    """Facilitators of a cohort (and superusers) keep a prompt library."""
    from lessons.models import Cohort

    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Cohort.objects.facilitated_by(user).exists()

"""Who may read an activity's insight and nudge its learners."""

from accounts.roles import is_moderator
from lessons.permissions import facilitates


def can_view_insights(user, course_id: int) -> bool:
    """The facilitators of the course's cohorts, moderators and staff (admin users: members of the
    Facilitator role are staff), as for inviting members; others get a 404."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or is_moderator(user) or facilitates(user, course_id)


def can_nudge(user, course_id: int) -> bool:
    return can_view_insights(user, course_id) and not user.is_suspended

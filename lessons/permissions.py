"""Who may do what with a course: take part in its spaces, join it, invite members to it."""

from lessons.viewers import viewer_of


def takes_part(user, course_id: int) -> bool:
    """Enrolled members, the facilitators of the course's cohorts, facilitators, moderators and
    staff take part (post, reply, like) in a course's spaces (``Viewer.takes_part``: the viewer's
    standing is asked once per request and course)."""
    return viewer_of(user).takes_part(course_id)


def facilitates(user, course_id: int) -> bool:
    """Facilitates one of the course's cohorts (asked with ``takes_part``, in the same query)."""
    return viewer_of(user).facilitates(course_id)


def can_join(user, course) -> bool:
    """Signed-in members join an open course from its page (invite-only: through an invitation).
    The facilitators of its cohorts take part without joining, and are not offered to."""
    return user.is_authenticated and user.is_active and course.is_open and not facilitates(user, course.pk)


def can_invite(user, course) -> bool:
    """Staff and the facilitators of the course's cohorts invite members and upload lists."""
    if not user.is_authenticated:
        return False
    return user.is_staff or course.cohorts.filter(facilitators=user.pk).exists()

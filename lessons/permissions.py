"""Who may do what with a course: take part in its spaces, join it, invite members to it."""

from accounts.roles import is_moderator, sees_everything


def takes_part(user, course_id: int) -> bool:
    """Enrolled members, the facilitators of the course's cohorts, facilitators, moderators and
    staff take part (post, reply, like) in a course's spaces. Worked out once per request and
    course: the answer is kept on the user object, so the space page asks the database once."""
    if not user.is_authenticated:
        return False
    if sees_everything(user) or is_moderator(user):
        return True
    enrolled, facilitating = _standing(user, course_id)
    return enrolled or facilitating


def facilitates(user, course_id: int) -> bool:
    """Facilitates one of the course's cohorts. Asked with ``takes_part`` in the same one query
    per request and course, so a page that needs both asks the database once."""
    if not user.is_authenticated:
        return False
    return _standing(user, course_id)[1]


def _standing(user, course_id: int) -> tuple[bool, bool]:
    """(enrolled, facilitating one of its cohorts), kept on the user object for the request."""
    cache = user.__dict__.setdefault("_takes_part", {})
    if course_id not in cache:
        from django.db.models import Exists, OuterRef

        from lessons.models import Cohort, Course, Enrolment

        row = (
            Course.objects.filter(pk=course_id)
            .values_list(
                Exists(Enrolment.objects.filter(course=OuterRef("pk"), user_id=user.pk)),
                Exists(Cohort.objects.filter(course=OuterRef("pk"), facilitators=user.pk)),
            )
            .first()
        )
        cache[course_id] = tuple(row) if row else (False, False)
    return cache[course_id]


def forget_taking_part(user) -> None:
    """After a join in this request, ask again."""
    user.__dict__.pop("_takes_part", None)


def can_join(user, course) -> bool:
    """Signed-in members join an open course from its page (invite-only: through an invitation)."""
    return user.is_authenticated and user.is_active and course.is_open


def can_invite(user, course) -> bool:
    """Staff and the facilitators of the course's cohorts invite members and upload lists."""
    if not user.is_authenticated:
        return False
    return user.is_staff or course.cohorts.filter(facilitators=user.pk).exists()

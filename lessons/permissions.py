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
    return any(_standing(user, course_id))


def facilitates(user, course_id: int) -> bool:
    """Facilitates one of the course's cohorts (asked with ``takes_part``, in the same query)."""
    return user.is_authenticated and _standing(user, course_id)[1]


def _standing(user, course_id: int) -> tuple[bool, bool]:
    """(enrolled, facilitating a cohort) in the course, asked once per request and course (or
    read with the course: ``standing_columns`` and ``remember_standing``)."""
    cache = user.__dict__.setdefault("_course_standing", {})
    if course_id not in cache:
        from lessons.models import Course

        row = (
            Course.objects.filter(pk=course_id)
            .annotate(**standing_columns(user))
            .values_list("viewer_enrolled", "viewer_facilitating")
            .first()
        )
        cache[course_id] = tuple(row) if row else (False, False)
    return cache[course_id]


def standing_columns(user, course: str = "pk") -> dict:
    """Annotations ``viewer_enrolled`` and ``viewer_facilitating`` for rows whose course is at
    ``course`` (e.g. "course_id" on lessons), so a page that reads the course anyway learns the
    viewer's standing in the same query (then ``remember_standing``). Signed-in viewers only."""
    from django.db.models import Exists, OuterRef

    from lessons.models import Cohort, Enrolment

    return {
        "viewer_enrolled": Exists(Enrolment.objects.filter(course_id=OuterRef(course), user_id=user.pk)),
        "viewer_facilitating": Exists(
            Cohort.objects.filter(course_id=OuterRef(course), facilitators=user.pk)
        ),
    }


def remember_standing(user, course_id: int, *, enrolled: bool, facilitating: bool) -> None:
    """What ``standing_columns`` read, kept for ``takes_part`` and ``facilitates`` this request."""
    user.__dict__.setdefault("_course_standing", {})[course_id] = (enrolled, facilitating)


def forget_taking_part(user) -> None:
    """After a join in this request, ask again."""
    user.__dict__.pop("_course_standing", None)


def can_join(user, course) -> bool:
    """Signed-in members join an open course from its page (invite-only: through an invitation)."""
    return user.is_authenticated and user.is_active and course.is_open


def can_invite(user, course) -> bool:
    """Staff and the facilitators of the course's cohorts invite members and upload lists."""
    if not user.is_authenticated:
        return False
    return user.is_staff or course.cohorts.filter(facilitators=user.pk).exists()

"""Who is looking, worked out once per request.

A page asks many times whether its viewer is signed in, moderates, sees everything, may take part
at all, and stands in the course (enrolled, facilitating one of its cohorts). ``viewer_of(user)``
answers all of it once per request and member: the read rule (``community.querysets``), the
permissions (``community.permissions``, ``lessons.permissions``) and the page
(``community.post_actions``) take the same ``Viewer``. The member's roles and suspension come with
their row (``accounts.backends``); their standing in a course is read with the course or lesson the
page reads anyway (``remember_standing``), else asked once per course.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef

from accounts.roles import is_moderator, reads_community, sees_everything


@dataclass
class Viewer:
    user: object
    is_authenticated: bool
    pk: int | None
    is_staff: bool
    moderates: bool  # moderators and staff (accounts.roles.is_moderator)
    sees_everything: bool  # facilitators, moderators and staff
    participates: bool  # signed in, active and not suspended: may post, reply, like and report
    reads_community: bool
    _standing: dict[int, tuple[bool, bool]] = field(default_factory=dict)

    def standing(self, course_id: int) -> tuple[bool, bool]:
        """(enrolled, facilitating one of its cohorts) in the course: asked once per course."""
        if not self.is_authenticated:
            return (False, False)
        if course_id not in self._standing:
            from lessons.models import Course

            row = (
                Course.objects.filter(pk=course_id)
                .annotate(**standing_columns(self.user))
                .values_list("viewer_enrolled", "viewer_facilitating")
                .first()
            )
            self._standing[course_id] = tuple(row) if row else (False, False)
        return self._standing[course_id]

    def takes_part(self, course_id: int) -> bool:
        """Enrolled, facilitating a cohort, or a facilitator, moderator or staff member."""
        return self.is_authenticated and (
            self.sees_everything or self.moderates or any(self.standing(course_id))
        )

    def facilitates(self, course_id: int) -> bool:
        return self.is_authenticated and self.standing(course_id)[1]

    def remember_standing(self, course_id: int, *, enrolled: bool, facilitating: bool) -> None:
        """What ``standing_columns`` read with a row the page needed anyway."""
        self._standing[course_id] = (enrolled, facilitating)

    def forget_standing(self) -> None:
        """After a join in this request, ask again."""
        self._standing.clear()


def standing_columns(user, course: str = "pk") -> dict:
    """Annotations ``viewer_enrolled`` and ``viewer_facilitating`` for rows whose course is at
    ``course`` (e.g. "course_id" on lessons). Signed-in viewers only."""
    from lessons.models import Cohort, Enrolment

    return {
        "viewer_enrolled": Exists(Enrolment.objects.filter(course_id=OuterRef(course), user_id=user.pk)),
        "viewer_facilitating": Exists(
            Cohort.objects.filter(course_id=OuterRef(course), facilitators=user.pk)
        ),
    }


def viewer_of(user) -> Viewer:
    """The ``Viewer`` of ``user`` (a member or an anonymous visitor), made once per request: kept
    on the user object, and made again if what it was made from changed (a test that promotes a
    member, a setting changed)."""
    signed_in = user.is_authenticated
    made_from = (
        user.pk,
        signed_in,
        getattr(user, "is_staff", False),
        getattr(user, "is_superuser", False),
        getattr(user, "is_active", False),
        user.role_names if signed_in else None,
        settings.COMMUNITY_PUBLIC_READING,
    )
    kept = user.__dict__.get("_viewer")
    if kept is not None and kept[0] == made_from:
        return kept[1]
    viewer = Viewer(
        user=user,
        is_authenticated=signed_in,
        pk=user.pk,
        is_staff=bool(getattr(user, "is_staff", False)),
        moderates=is_moderator(user),
        sees_everything=sees_everything(user),
        participates=signed_in and user.is_active and not user.is_suspended,
        reads_community=reads_community(user),
    )
    if kept is not None:  # the same member: their standing in courses holds
        viewer._standing = kept[1]._standing
    user.__dict__["_viewer"] = (made_from, viewer)
    return viewer

"""Named reads for courses, lessons, cohorts and enrolments.

Enrolment shapes two reading rules that other apps reuse through the functions at the end:
``course_access`` (an invite-only course exists only for its members) and ``cohort_scope`` (in a
course whose learners see their own cohort, whose posts a learner reads). Both are ``Q`` objects
so that ``Reflection.objects.visible_to`` stays one query.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.roles import FACILITATOR, MODERATOR
from lessons.viewers import viewer_of


class CourseQuerySet(models.QuerySet):
    def published(self) -> "CourseQuerySet":
        return self.filter(published=True)

    def visible_to(self, user) -> "CourseQuerySet":
        """Staff see drafts (with a banner); everyone else sees published courses only, and an
        invite-only course only when enrolled in it (or facilitating one of its cohorts)."""
        qs = self if user.is_staff else self.published()
        access = course_access(user)
        return qs if access is None else qs.filter(access)


class LessonQuerySet(models.QuerySet):
    def published(self) -> "LessonQuerySet":
        return self.filter(published=True, course__published=True)

    def visible_to(self, user) -> "LessonQuerySet":
        qs = self if user.is_staff else self.published()
        access = course_access(user, "course__")
        return qs if access is None else qs.filter(access)


class CohortQuerySet(models.QuerySet):
    def current_for(self, course) -> "models.Model | None":
        """The cohort an open course's "Join" puts members in: the latest that has started (else
        the earliest still to start)."""
        cohorts = self.filter(course=course)
        started = cohorts.filter(starts_on__lte=timezone.localdate()).order_by("-starts_on", "-pk").first()
        return started or cohorts.order_by("starts_on", "pk").first()

    def facilitated_by(self, user) -> "CohortQuerySet":
        return self.filter(facilitators=user) if user.is_authenticated else self.none()


class EnrolmentQuerySet(models.QuerySet):
    def of(self, user) -> "EnrolmentQuerySet":
        return self.filter(user_id=user.pk) if user.is_authenticated else self.none()


def _member_course_ids(user):
    """Ids of the courses ``user`` belongs to: enrolled, or facilitating one of its cohorts."""
    from lessons.models import Cohort, Enrolment

    enrolled = Enrolment.objects.filter(user_id=user.pk).values("course_id")
    facilitated = Cohort.objects.filter(facilitators=user.pk).values("course_id")
    return enrolled, facilitated


def course_access(user, prefix: str = "") -> Q | None:
    """Rows whose course (reached through ``prefix``) the viewer may open, or None when they may
    open every course (facilitators, moderators and staff). Open courses are open to everyone."""
    from lessons.models import Course

    if viewer_of(user).sees_everything:
        return None
    access = Q(**{f"{prefix}joining": Course.Joining.OPEN})
    if user.is_authenticated:
        enrolled, facilitated = _member_course_ids(user)
        access |= Q(**{f"{prefix}pk__in": enrolled}) | Q(**{f"{prefix}pk__in": facilitated})
    return access


def cohort_scope(user, *, course: str, author: str) -> Q | None:
    """For courses whose learners see their own cohort: rows (posts) whose ``author`` shares a
    cohort with the viewer (or is in a cohort the viewer facilitates), is the viewer, or leads the course (a facilitator of one of its
    cohorts, a facilitator, moderator or staff member). None when the viewer sees everything.
    ``course`` and ``author`` are paths to the row's course and author, e.g. "prompt__lesson__course"."""
    from accounts.models import User
    from lessons.models import Cohort, Course, Enrolment

    if viewer_of(user).sees_everything:
        return None
    scope = Q(**{f"{course}__learners_see": Course.LearnersSee.COURSE})
    leaders = User.objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=[FACILITATOR, MODERATOR])
    ).values("pk")
    scope |= Q(**{f"{author}_id__in": leaders})
    scope |= Exists(
        Cohort.facilitators.through.objects.filter(
            user_id=OuterRef(f"{author}_id"), cohort__course_id=OuterRef(f"{course}_id")
        )
    )
    if user.is_authenticated:
        scope |= Q(**{f"{author}_id": user.pk})
        scope |= Exists(
            Enrolment.objects.filter(
                user_id=OuterRef(f"{author}_id"),
                course_id=OuterRef(f"{course}_id"),
                cohort_id__in=Cohort.objects.filter(
                    Q(enrolments__user_id=user.pk) | Q(facilitators=user.pk)
                ).values("pk"),
            )
        )
    return scope

"""What Reflect keeps beside django-lti's own rows (``lti_tool``: registrations, deployments, keys,
platform users, contexts, memberships, resource links).

django-lti knows the platform's side; these rows say what it means in Reflect: which courses a
registered platform may link, which origins may frame Reflect for it, which Reflect course an LMS
context is, and which cohort an LMS section is."""

from django.conf import settings
from django.db import models
from lti_tool.models import LtiContext, LtiRegistration

from lessons.models import Cohort, Course


class Platform(models.Model):
    """Reflect's settings for one registered platform (one per ``LtiRegistration``)."""

    registration = models.OneToOneField(
        LtiRegistration, on_delete=models.CASCADE, related_name="reflect_platform"
    )
    courses = models.ManyToManyField(
        Course,
        blank=True,
        related_name="+",
        help_text="Courses this platform's instructors may pick when they add Reflect to an LMS course "
        "(deep linking). A context already linked in the admin keeps its course.",
    )
    frame_origins = models.TextField(
        blank=True,
        help_text="Origins that show Reflect in a frame for this platform, one per line "
        "(e.g. https://school.instructure.com), besides those of its issuer and auth URL.",
    )

    class Meta:
        verbose_name = "platform settings"
        verbose_name_plural = "platform settings"

    def __str__(self) -> str:
        return f"Settings of {self.registration}"


class CourseLink(models.Model):
    """An LMS context (course) is this Reflect course: set in the admin, or by deep linking."""

    context = models.OneToOneField(LtiContext, on_delete=models.CASCADE, related_name="reflect_link")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where the context's learners go when the launch names no section "
        "(empty: the course's current cohort).",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    # The roster (NRPS) as last synced by the worker (lti.tasks.sync_roster), and how that went.
    roster_synced_at = models.DateTimeField(null=True, blank=True, editable=False)
    roster_status = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = "LMS course link"

    def __str__(self) -> str:
        return f"{self.context} → {self.course}"


class SectionCohort(models.Model):
    """An LMS section (``lis.course_section_sourcedid``) of a linked context is a cohort."""

    context = models.ForeignKey(LtiContext, on_delete=models.CASCADE, related_name="reflect_sections")
    section_id = models.CharField(max_length=255)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["context", "section_id"], name="lti_one_cohort_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.section_id} → {self.cohort}"

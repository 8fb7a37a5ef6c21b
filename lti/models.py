"""What Reflect keeps beside django-lti's own rows (``lti_tool``: registrations, deployments, keys,
platform users, contexts, memberships, resource links).

django-lti knows the platform's side; these rows say what it means in Reflect: which courses a
registered platform may link, which origins may frame Reflect for it, which Reflect course an LMS
context is, and which cohort an LMS section is."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from lti_tool.models import LtiContext, LtiRegistration

from lessons.models import Cohort, Course


class Platform(models.Model):
    """Reflect's settings for one registered platform (one per ``LtiRegistration``)."""

    registration = models.OneToOneField(
        LtiRegistration,
        on_delete=models.CASCADE,
        related_name="reflect_platform",
        verbose_name=_("registration"),
    )
    courses = models.ManyToManyField(
        Course,
        blank=True,
        related_name="+",
        verbose_name=_("courses"),
        help_text=_(
            "Courses this platform's instructors may pick when they add Reflect to an LMS course "
            "(deep linking). A context already linked in the admin keeps its course."
        ),
    )
    frame_origins = models.TextField(
        _("frame origins"),
        blank=True,
        help_text=_(
            "Origins that show Reflect in a frame for this platform, one per line "
            "(e.g. https://school.instructure.com), besides those of its issuer and auth URL."
        ),
    )

    class Meta:
        verbose_name = _("platform settings")
        verbose_name_plural = _("platform settings")

    def __str__(self) -> str:
        return f"Settings of {self.registration}"


class CourseLink(models.Model):
    """An LMS context (course) is this Reflect course: set in the admin, or by deep linking."""

    context = models.OneToOneField(
        LtiContext, on_delete=models.CASCADE, related_name="reflect_link", verbose_name=_("context")
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+", verbose_name=_("course"))
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cohort"),
        help_text=_(
            "Where the context's learners go when the launch names no section "
            "(empty: the course's current cohort)."
        ),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    # The roster (NRPS) as last synced by the worker (lti.tasks.sync_roster), and how that went.
    roster_synced_at = models.DateTimeField(_("roster synced at"), null=True, blank=True, editable=False)
    roster_status = models.CharField(_("roster status"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("LMS course link")
        verbose_name_plural = _("LMS course links")

    def __str__(self) -> str:
        return f"{self.context} → {self.course}"


class SectionCohort(models.Model):
    """An LMS section (``lis.course_section_sourcedid``) of a linked context is a cohort."""

    context = models.ForeignKey(
        LtiContext, on_delete=models.CASCADE, related_name="reflect_sections", verbose_name=_("context")
    )
    section_id = models.CharField(_("section id"), max_length=255)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+", verbose_name=_("cohort"))

    class Meta:
        verbose_name = _("section cohort")
        verbose_name_plural = _("section cohorts")
        constraints = [
            models.UniqueConstraint(fields=["context", "section_id"], name="lti_one_cohort_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.section_id} → {self.cohort}"


class GradedActivity(models.Model):
    """A resource link the platform grades (it sent an AGS line item with it): an activity, and the
    participation rule whose result the worker sends (``lti.grades``)."""

    resource_link = models.OneToOneField(
        "lti_tool.LtiResourceLink",
        on_delete=models.CASCADE,
        related_name="reflect_grading",
        verbose_name=_("resource link"),
    )
    prompt = models.ForeignKey(
        "community.Prompt", on_delete=models.CASCADE, related_name="+", verbose_name=_("prompt")
    )
    lineitem_url = models.URLField(_("lineitem url"), max_length=500)
    replies_required = models.PositiveSmallIntegerField(
        _("replies required"),
        default=0,
        help_text=_("0: reflected = complete. N: reflected and replied to N colleagues."),
    )

    class Meta:
        verbose_name = _("graded activity")
        verbose_name_plural = _("graded activities")

    def __str__(self) -> str:
        return f"{self.prompt} → {self.lineitem_url}"


class ScoreSync(models.Model):
    """What the platform's gradebook was last sent for one learner in one graded activity."""

    class Status(models.TextChoices):
        SENT = "sent", pgettext_lazy("score sync status", "Sent")
        FAILED = "failed", pgettext_lazy("score sync status", "Failed, will retry")

    graded = models.ForeignKey(
        GradedActivity, on_delete=models.CASCADE, related_name="scores", verbose_name=_("graded")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    complete = models.BooleanField(_("complete"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("score sync")
        verbose_name_plural = _("score syncs")
        constraints = [models.UniqueConstraint(fields=["graded", "user"], name="lti_one_score_per_learner")]

    def __str__(self) -> str:
        return f"{self.user} in {self.graded}: {'complete' if self.complete else 'not yet'} ({self.status})"

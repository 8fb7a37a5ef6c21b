from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from accounts.models import TIME_ZONE_CHOICES
from core.search_text import RegConfigField, html_document, search_config
from lessons.querysets import CohortQuerySet, CourseQuerySet, EnrolmentQuerySet, LessonQuerySet


class Course(models.Model):
    class Joining(models.TextChoices):
        OPEN = "open", _("Open: any signed-in member may join")
        INVITE_ONLY = "invite", _("Invite only: through an invitation")

    class LearnersSee(models.TextChoices):
        COURSE = "course", _("The whole course")
        COHORT = "cohort", _("Their own cohort")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences for the course catalogue.")
    )
    published = models.BooleanField(_("published"), default=False)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Courses are listed by this number.")
    )
    joining = models.CharField(
        _("joining"), max_length=10, choices=Joining, default=Joining.OPEN,
        help_text=_("Invite-only courses (and their spaces) are hidden from members not enrolled."),
    )  # fmt: skip
    learners_see = models.CharField(
        _("learners see"), max_length=10, choices=LearnersSee, default=LearnersSee.COURSE,
        help_text=_(
            "Whose reflections a learner reads: everyone's, or their own cohort's "
            "(facilitators', moderators' and staff posts are always shown)."
        ),
    )  # fmt: skip
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text=_("The language the course is written in: search stems its words in this language."),
    )  # fmt: skip
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE,
        help_text=_("Emails about the course use this zone for members who have not set their own."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:course-detail", kwargs={"course_slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.joining == self.Joining.OPEN


class Cohort(models.Model):
    """One run of a course. Every course has at least one (made with it); members enrol into one."""

    DEFAULT_NAME = "Everyone"

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("course")
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("start date"), default=date.today)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_cohorts", verbose_name=_("facilitators"),
        help_text=_("They take part in the course's spaces and invite members to this cohort."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Signed into the cohort's invitation links: renewing it (lessons.services.renew_invitation)
    # revokes every link given out before (issue 21, item 26).
    invitation_version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["course", "-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "name"], name="cohort_name_unique_in_course")
        ]

    def __str__(self) -> str:
        return f"{self.course.title}: {self.label}"

    @property
    def label(self) -> str:
        """The cohort's name as people read it: the default cohort's in their language."""
        return cohort_label(self.name)


def cohort_label(name: str) -> str:
    """A cohort's name for display: the stored default ("Everyone", a fixed value that finds the
    default cohort again) in the reader's language; any name a facilitator gave, as given."""
    return pgettext("default cohort", "Everyone") if name == Cohort.DEFAULT_NAME else name


class Enrolment(models.Model):
    """A member's place in a course: one per member per course, in one of its cohorts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("user")
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("cohort")
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "cohort", "enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrolment_per_course")]

    def __str__(self) -> str:
        # Translators: a member's enrolment, e.g. "Amara Osei (@amara_o) in Reflective practice: Everyone".
        return gettext("%(member)s in %(cohort)s") % {"member": self.user, "cohort": self.cohort}

    def clean(self) -> None:
        if self.cohort_id and self.course_id and self.cohort.course_id != self.course_id:
            raise ValidationError({"cohort": gettext("This cohort belongs to another course.")})


class Lesson(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("course")
    )
    # Translators: N stands for the lesson's number; translate "Lesson N" as the site shows it.
    number = models.PositiveIntegerField(_("number"), help_text=_("Shown as “Lesson N”."))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = MarkdownxField(
        _("body"), help_text=_("Markdown. The preview shows exactly what learners will see.")
    )
    # Rendered from ``body`` by lessons.services (create_lesson, update_lesson), once per change.
    body_html = models.TextField(editable=False, default="")
    published = models.BooleanField(_("published"), default=False)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Lessons are listed by this number.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The course's text-search configuration, kept by the database (core.search_text, decision 112).
    search_config = RegConfigField(default=search_config, editable=False)
    # Full-text search (the search app): the title above the summary and the lesson's text.
    search_vector = models.GeneratedField(
        expression=html_document(title="title", plain=("summary",), html=("body_html",)),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "position", "number"]
        indexes = [GinIndex(fields=["search_vector"], name="lesson_search")]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="lesson_slug_unique_in_course"),
            models.UniqueConstraint(fields=["course", "number"], name="lesson_number_unique_in_course"),
        ]

    def __str__(self) -> str:
        return gettext("Lesson %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self) -> str:
        return reverse(
            "lessons:lesson-detail", kwargs={"course_slug": self.course.slug, "lesson_slug": self.slug}
        )

    def get_community_url(self) -> str:
        return reverse("community:space", kwargs={"course_slug": self.course.slug, "lesson_slug": self.slug})

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from markdownx.models import MarkdownxField

from core.markdown import render_markdown
from core.search import html_document
from lessons.querysets import CourseQuerySet, LessonQuerySet


class Course(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True, help_text="One or two sentences for the course catalogue.")
    published = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0, help_text="Courses are listed by this number.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:course-detail", kwargs={"course_slug": self.slug})


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    number = models.PositiveIntegerField(help_text="Shown as “Lesson N”.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body = MarkdownxField(help_text="Markdown. The preview shows exactly what learners will see.")
    body_html = models.TextField(editable=False, default="")
    published = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0, help_text="Lessons are listed by this number.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Full-text search (the search app): the title above the summary and the lesson's text.
    search_vector = models.GeneratedField(
        expression=html_document(title="title", plain=("summary",), html=("body_html",)),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position", "number"]
        indexes = [GinIndex(fields=["search_vector"], name="lesson_search")]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="lesson_slug_unique_in_course"),
            models.UniqueConstraint(fields=["course", "number"], name="lesson_number_unique_in_course"),
        ]

    def __str__(self) -> str:
        return f"Lesson {self.number}: {self.title}"

    def save(self, *args, **kwargs):
        # Render once on save; pages show the stored HTML.
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "lessons:lesson-detail", kwargs={"course_slug": self.course.slug, "lesson_slug": self.slug}
        )

    def get_community_url(self) -> str:
        return reverse("community:space", kwargs={"course_slug": self.course.slug, "lesson_slug": self.slug})

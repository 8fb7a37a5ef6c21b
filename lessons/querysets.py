from django.db import models


class CourseQuerySet(models.QuerySet):
    def published(self) -> "CourseQuerySet":
        return self.filter(published=True)

    def visible_to(self, user) -> "CourseQuerySet":
        """Staff see drafts (with a banner); everyone else sees published courses only."""
        return self if user.is_staff else self.published()


class LessonQuerySet(models.QuerySet):
    def published(self) -> "LessonQuerySet":
        return self.filter(published=True, course__published=True)

    def visible_to(self, user) -> "LessonQuerySet":
        return self if user.is_staff else self.published()

"""Writes to courses and lessons that must leave a trace: publishing and unpublishing.

Each locks the row, changes it only when its state differs, and records the change as a
django.contrib.admin LogEntry ("Published" / "Unpublished"), so it shows in the object's admin
History whether it came from an admin action, the list, or the change form.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models, transaction

from accounts.models import User
from lessons.models import Course, Lesson


def _set_published(obj: models.Model, *, published: bool, by: User) -> models.Model:
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.published == published:
        return obj  # already so (another admin got there first): nothing to record
    obj.published = published
    obj.save(update_fields=["published", "updated_at"])
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message="Published" if published else "Unpublished",
        single_object=True,
    )
    return obj


@transaction.atomic
def set_lesson_published(*, lesson: Lesson, published: bool, by: User) -> Lesson:
    """Learners see a lesson when it and its course are both published."""
    return _set_published(lesson, published=published, by=by)


@transaction.atomic
def set_course_published(*, course: Course, published: bool, by: User) -> Course:
    """A course's lessons keep their own state; unpublishing the course hides them all."""
    return _set_published(course, published=published, by=by)

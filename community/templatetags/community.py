"""Template tags other apps' pages use to show community facts without importing community.

``{% load community %}``
"""

from dataclasses import dataclass

from django import template
from django.db.models import Exists, OuterRef

from accounts.roles import sees_everything
from community.models import Prompt, Reflection
from lessons.models import Cohort, Enrolment

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_reflection_count(context, lesson) -> int:
    """``{% lesson_reflection_count lesson as count %}``: the reflections on ``lesson`` the viewer
    may see, counted as everywhere else ("N reflections": live, top-level, through ``visible_to``)."""
    return (
        Reflection.objects.visible_to(context["request"].user).counted().filter(prompt__lesson=lesson).count()
    )


@register.simple_tag(takes_context=True)
def lesson_new_count(context, lesson) -> int:
    """``{% lesson_new_count lesson as count %}``: posts the viewer may see in ``lesson``'s space
    written since their last visit to each activity (the space page's "N new since your last visit")."""
    user = context["request"].user
    return Reflection.objects.visible_to(user).filter(prompt__lesson=lesson).new_for(user).count()


@dataclass(frozen=True)
class ReflectionProgress:
    """A learner's way through a course: the ids of the lessons they have reflected on, out of
    ``total`` lessons that have an activity they can see."""

    reflected: frozenset[int]
    total: int

    @property
    def done(self) -> int:
        return len(self.reflected)


def reflection_progress_for(user, course) -> ReflectionProgress | None:
    """One query. None for whoever is not a learner of ``course``: visitors, members not enrolled,
    those who lead it (facilitators, moderators, staff, the facilitators of its cohorts), and a
    course without an activity the viewer can see.

    A lesson counts as reflected when the viewer has a live top-level reflection, that a moderator
    has not hidden, on one of its activities (read through ``visible_to``, so a private reflection
    counts for its author). Replies do not count: reflecting is answering the activity.
    """
    if not user.is_authenticated or sees_everything(user):
        return None
    enrolled = Enrolment.objects.filter(user_id=user.pk, course_id=course.pk)
    leads = Cohort.facilitators.through.objects.filter(user_id=user.pk, cohort__course_id=course.pk)
    mine = (
        Reflection.objects.visible_to(user)
        .counted()
        .filter(author_id=user.pk, hidden_at__isnull=True, prompt_id=OuterRef("pk"))
    )
    rows = (
        Prompt.objects.visible_to(user)
        .filter(Exists(enrolled), ~Exists(leads), lesson__course_id=course.pk)
        .annotate(reflected=Exists(mine))
        .order_by()
        .values_list("lesson_id", "reflected")
    )
    lessons: dict[int, bool] = {}
    for lesson_id, reflected in rows:
        lessons[lesson_id] = lessons.get(lesson_id, False) or reflected
    if not lessons:
        return None
    return ReflectionProgress(
        reflected=frozenset(lesson_id for lesson_id, done in lessons.items() if done), total=len(lessons)
    )


@register.simple_tag(takes_context=True)
def reflection_progress(context, course) -> ReflectionProgress | None:
    """``{% reflection_progress course as progress %}``: the viewer's progress through ``course``
    ("3 of 6 lessons reflected", and ``lesson.pk in progress.reflected`` for each lesson's mark),
    or None when there is nothing to show them (see ``reflection_progress_for``). One query."""
    return reflection_progress_for(context["request"].user, course)

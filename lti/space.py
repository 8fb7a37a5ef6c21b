"""What the course records for a graded activity, shown on its space (a community page
extension): "Your course records this activity as complete", or the rule that will make it so."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import versions
from lti.models import GradedActivity, ScoreSync


@dataclass
class CourseRecord:
    text: str
    template: str = "lti/_course_record.html"


def rule(replies_required: int, *, third_person: bool = False) -> str:
    """The participation rule in words ("reflect here and reply to 2 colleagues"); in the third
    person it ends "Complete once a learner …" (the Insights page's gradebook section)."""
    count = {"count": replies_required}
    if third_person:
        if not replies_required:
            # Translators: ends the sentence "Complete once a learner …".
            return _("reflects here")
        return (
            ngettext(
                # Translators: ends the sentence "Complete once a learner …".
                "reflects here and replies to %(count)s colleague",
                "reflects here and replies to %(count)s colleagues",
                replies_required,
            )
            % count
        )
    if not replies_required:
        # Translators: what a learner does to complete a graded activity.
        return _("reflect here")
    return (
        ngettext(
            # Translators: what a learner does to complete a graded activity.
            "reflect here and reply to %(count)s colleague",
            "reflect here and reply to %(count)s colleagues",
            replies_required,
        )
        % count
    )


def record_text(*, replies_required: int, facilitates: bool, complete, status: str) -> str:
    """The words for one viewer: the rule for those who lead the course; for a learner, what the
    platform's gradebook was last sent (``ScoreSync``), or what will be sent."""
    count = {"count": replies_required}
    if facilitates:
        if not replies_required:
            return _("Graded in your learning platform: complete once a learner reflects here.")
        return (
            ngettext(
                "Graded in your learning platform: complete once a learner reflects here and replies to "
                "%(count)s colleague.",
                "Graded in your learning platform: complete once a learner reflects here and replies to "
                "%(count)s colleagues.",
                replies_required,
            )
            % count
        )
    if status == ScoreSync.Status.SENT:
        if complete:
            return _("Your course records this activity as complete.")
        if not replies_required:
            return _("Your course records this activity as not complete yet: reflect here to complete it.")
        return (
            ngettext(
                "Your course records this activity as not complete yet: reflect here and reply to %(count)s "
                "colleague to complete it.",
                "Your course records this activity as not complete yet: reflect here and reply to %(count)s "
                "colleagues to complete it.",
                replies_required,
            )
            % count
        )
    if status == ScoreSync.Status.FAILED:
        if complete:
            return _(
                "Your course will record this activity as complete: the learning platform did not answer, "
                "and Reflect tries again."
            )
        return _(
            "Your course will record this activity as not complete yet: the learning platform did not "
            "answer, and Reflect tries again."
        )
    if not replies_required:
        return _("Your course records this activity as complete once you reflect here.")
    return (
        ngettext(
            "Your course records this activity as complete once you reflect here and reply to %(count)s colleague.",
            "Your course records this activity as complete once you reflect here and reply to %(count)s colleagues.",
            replies_required,
        )
        % count
    )


def add_course_record(space) -> None:
    """``prompt.course_record`` for a signed-in member of a course a learning platform grades this
    activity in: one query (the activity's grading, with the viewer's last score). The page's
    ETag follows it: a score written moves the member's version (``user:<id>``, migration
    lti 0004), the grading rule the space's."""
    prompt, viewer = space.prompt, space.viewer.facts
    if prompt is None or not viewer.is_authenticated:
        return
    course_id = space.lesson.course_id
    if not viewer.takes_part(course_id):
        return
    mine = ScoreSync.objects.filter(graded=OuterRef("pk"), user_id=viewer.pk)
    graded = (
        GradedActivity.objects.filter(prompt_id=prompt.pk)
        .annotate(complete=Subquery(mine.values("complete")[:1]), status=Subquery(mine.values("status")[:1]))
        .order_by("pk")
        .values("replies_required", "complete", "status")
        .first()
    )
    if graded is None:
        return
    space.extension_scopes.add(versions.user_scope(viewer.pk))
    leads = viewer.facilitates(course_id) or viewer.sees_everything
    prompt.course_record = CourseRecord(text=record_text(facilitates=leads, **graded))

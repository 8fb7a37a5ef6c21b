"""What the course records for a graded activity, shown on its space (a community page
extension): "Your course records this activity as complete", or the rule that will make it so."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from core import versions
from lti.models import GradedActivity, ScoreSync


@dataclass
class CourseRecord:
    text: str
    template: str = "lti/_course_record.html"


def rule(replies_required: int, *, third_person: bool = False) -> str:
    """The participation rule in words ("reflect here and reply to 2 colleagues")."""
    reflect, reply = ("reflects", "replies") if third_person else ("reflect", "reply")
    if not replies_required:
        return f"{reflect} here"
    colleagues = "colleague" if replies_required == 1 else "colleagues"
    return f"{reflect} here and {reply} to {replies_required} {colleagues}"


def record_text(*, replies_required: int, facilitates: bool, complete, status: str) -> str:
    """The words for one viewer: the rule for those who lead the course; for a learner, what the
    platform's gradebook was last sent (``ScoreSync``), or what will be sent."""
    if facilitates:
        return f"Graded in your learning platform: complete once a learner {rule(replies_required, third_person=True)}."
    if status == ScoreSync.Status.SENT:
        if complete:
            return "Your course records this activity as complete."
        return (
            f"Your course records this activity as not complete yet: {rule(replies_required)} to complete it."
        )
    if status == ScoreSync.Status.FAILED:
        state = "complete" if complete else "not complete yet"
        return f"Your course will record this activity as {state}: the learning platform did not answer, and Reflect tries again."
    return f"Your course records this activity as complete once you {rule(replies_required)}."


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

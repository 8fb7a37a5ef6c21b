"""Grades (LTI Assignment and Grade Services): a participation score per graded activity, sent by
the worker (``lti.tasks.send_scores``) whenever it changes, retried while the platform fails.

The rule the facilitator picks (``GradedActivity.replies_required``, set when adding the activity
through deep linking, or in the admin): 0, the learner reflected (a top-level post in the activity);
N, they reflected and replied to N different colleagues. Complete is 1 of 1 ("Completed",
"FullyGraded"); not yet is 0 of 1 ("InProgress", "Pending"). Only changes are sent."""

from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiUser
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from accounts.models import User
from community.models import Reflection
from lessons.models import Enrolment
from lti.launches import TimeoutSession
from lti.models import GradedActivity, ScoreSync
from lti.services import CUSTOM_REPLIES

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"


def is_complete(graded: GradedActivity, user: User) -> bool:
    posts = Reflection.objects.filter(prompt=graded.prompt, author=user, deleted_at__isnull=True)
    if not posts.filter(parent__isnull=True).exists():
        return False
    if not graded.replies_required:
        return True
    colleagues = (
        posts.filter(parent__isnull=False)
        .exclude(parent__author=user)
        .values("parent__author")
        .distinct()
        .count()
    )
    return colleagues >= graded.replies_required


def learners(graded: GradedActivity) -> list[tuple[User, LtiUser]]:
    """The platform's learners (enrolled in the course: facilitators are not graded) who posted in
    the activity, or were sent a score before."""
    registration = graded.resource_link.context.deployment.registration
    enrolled = Enrolment.objects.filter(course_id=graded.prompt.lesson.course_id).values("user")
    posted = Reflection.objects.filter(prompt=graded.prompt, author__in=enrolled).values("author")
    sent = ScoreSync.objects.filter(graded=graded).values("user")
    found = LtiUser.objects.filter(registration=registration, auth_user__isnull=False).filter(
        auth_user__in=posted
    ) | LtiUser.objects.filter(registration=registration, auth_user__in=sent)
    return [(lti_user.auth_user, lti_user) for lti_user in found.select_related("auth_user").order_by("pk")]


def _service(graded: GradedActivity) -> AssignmentsGradesService:
    registration = graded.resource_link.context.deployment.registration
    connector = ServiceConnector(registration.to_registration(), requests_session=TimeoutSession())
    return AssignmentsGradesService(connector, {"scope": [SCORE_SCOPE], "lineitem": graded.lineitem_url})


def _grade(lti_user: LtiUser, complete: bool) -> Grade:
    return (
        Grade()
        .set_user_id(lti_user.sub)
        .set_score_given(1 if complete else 0)
        .set_score_maximum(1)
        .set_activity_progress("Completed" if complete else "InProgress")
        .set_grading_progress("FullyGraded" if complete else "Pending")
        .set_timestamp(datetime.now(UTC).isoformat())
    )


def send_scores(graded: GradedActivity) -> tuple[int, int]:
    """Send each changed score; returns (sent, failed). A failure is recorded and the others still
    go; the caller raises so the job is retried."""
    service, sent, failed = _service(graded), 0, 0
    for user, lti_user in learners(graded):
        complete = is_complete(graded, user)
        record = ScoreSync.objects.filter(graded=graded, user=user).first()
        if record is not None and record.status == ScoreSync.Status.SENT and record.complete == complete:
            continue
        try:
            service.put_grade(_grade(lti_user, complete))
        except Exception as error:  # the platform's reason is kept for the facilitator
            _record(graded, user, complete=complete, status=ScoreSync.Status.FAILED, error=str(error))
            failed += 1
            continue
        _record(graded, user, complete=complete, status=ScoreSync.Status.SENT, error="")
        sent += 1
    return sent, failed


@transaction.atomic
def _record(graded: GradedActivity, user: User, *, complete: bool, status: str, error: str) -> None:
    ScoreSync.objects.update_or_create(
        graded=graded,
        user=user,
        defaults={
            "complete": complete, "status": status, "error": error[:300],
            **({"sent_at": timezone.now()} if status == ScoreSync.Status.SENT else {}),
        },
    )  # fmt: skip


def graded_activity_from_launch(*, launch, prompt) -> GradedActivity | None:
    """The launch's resource link is graded when the platform gave a line item it lets us score."""
    claim = launch.ags_claim or {}
    if not claim.get("lineitem") or SCORE_SCOPE not in (claim.get("scope") or []):
        return None
    replies = str(launch.get_custom_claim(CUSTOM_REPLIES) or "")
    graded, created = GradedActivity.objects.get_or_create(
        resource_link=launch.resource_link,
        defaults={
            "prompt": prompt, "lineitem_url": claim["lineitem"],
            "replies_required": int(replies) if replies.isdigit() else 0,
        },
    )  # fmt: skip
    if not created and (graded.prompt_id, graded.lineitem_url) != (prompt.pk, claim["lineitem"]):
        GradedActivity.objects.filter(pk=graded.pk).update(prompt=prompt, lineitem_url=claim["lineitem"])
        graded.refresh_from_db()
    return graded

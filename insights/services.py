"""Writes for facilitator insight: nudges. One transaction each; delivery by the worker."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Prompt, Reflection
from core.jobs import enqueue
from insights.models import Nudge, NudgeRecipient
from insights.queries import NUDGE_INTERVAL, roster


@dataclass
class NudgeResult:
    nudge: Nudge | None
    sent: int
    skipped_recent: int
    skipped_reflected: int


def default_message(prompt: Prompt) -> str:
    return _(
        "Hello! The activity “%(title)s” in Lesson %(number)s is waiting for your "
        "reflection. A few honest lines are enough, and your colleagues would like to hear from you."
    ) % {"title": prompt.title, "number": prompt.lesson.number}


@transaction.atomic
def send_nudge(*, prompt: Prompt, sender, user_ids: list[int], message: str) -> NudgeResult:
    """Remind the chosen learners of ``prompt`` who have not reflected yet. Each learner hears at
    most one nudge per activity per 24 hours: the activity's row is locked so that two facilitators
    nudging at once cannot both reach the same learner. Delivery (a notice and, by the learner's
    settings, an email) is the worker's job (``tasks.deliver_nudge``, which notifications answers),
    queued after the commit."""
    message = message.strip()
    if not message or len(message) > Nudge.MESSAGE_MAX_LENGTH:
        raise ValueError("A nudge needs a message of at most 300 characters.")
    Prompt.objects.select_for_update().filter(pk=prompt.pk).first()
    wanted = set(
        roster(prompt.lesson.course_id).filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    # What the sender sees decides who has reflected, as on the Insights page they chose from.
    reflected = set(
        Reflection.objects.visible_to(sender)
        .filter(prompt=prompt, author_id__in=wanted)
        .counted()
        .values_list("author_id", flat=True)
    )
    recent = set(
        NudgeRecipient.objects.filter(
            prompt=prompt, user_id__in=wanted, sent_at__gt=timezone.now() - NUDGE_INTERVAL
        ).values_list("user_id", flat=True)
    )
    recipients = sorted(wanted - reflected - recent)
    result = NudgeResult(
        nudge=None,
        sent=len(recipients),
        skipped_recent=len((wanted - reflected) & recent),
        skipped_reflected=len(reflected),
    )
    if not recipients:
        return result
    result.nudge = Nudge.objects.create(prompt=prompt, sender=sender, message=message)
    NudgeRecipient.objects.bulk_create(
        NudgeRecipient(nudge=result.nudge, prompt=prompt, user_id=user_id) for user_id in recipients
    )
    from insights.tasks import deliver_nudge

    enqueue(deliver_nudge, nudge_id=result.nudge.pk)
    return result

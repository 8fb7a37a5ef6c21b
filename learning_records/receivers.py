"""Answering the trunk's signals: each event the LRS should hear of becomes a statement in the
outbox, in the event's own transaction (sent inside the community service's), and a delivery is
queued for after the commit. Nothing here may fail the member's action: a recording that fails
is rolled back to its savepoint and logged, and the post, like or page goes on as if LRS_URL were
empty. With LRS_URL empty, each receiver returns before any query."""

import logging
from collections.abc import Callable

from django.db import transaction
from django.dispatch import receiver

from community.models import Reflection
from community.signals import activity_viewed, like_reason_changed, reflection_liked, reflection_posted
from core.jobs import enqueue
from learning_records import services, tasks

logger = logging.getLogger(__name__)
SEND_LOCK = "learning-records-send"


def _record(record: Callable[..., bool], **kwargs) -> None:
    if not services.enabled():
        return
    try:
        with transaction.atomic():
            written = record(**kwargs)
    except Exception:
        logger.exception("learning record not written (%s)", record.__name__)
        return
    if written:
        enqueue(tasks.send_statements, queueing_lock=SEND_LOCK)


@receiver(reflection_posted)
def on_reflection_posted(sender, reflection: Reflection, **kwargs) -> None:
    _record(services.record_post, reflection=reflection)


@receiver(reflection_liked)
def on_reflection_liked(sender, reflection: Reflection, user, **kwargs) -> None:
    _record(services.record_like, reflection=reflection, user_id=user.pk)


@receiver(like_reason_changed)
def on_like_reason_changed(sender, reflection_id: int, user_id: int, **kwargs) -> None:
    _record(services.record_like_reason, reflection_id=reflection_id, user_id=user_id)


@receiver(activity_viewed)
def on_activity_viewed(sender, user, prompt_id: int, **kwargs) -> None:
    _record(services.record_view, user_id=user.pk, prompt_id=prompt_id)

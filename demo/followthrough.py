"""Follow-through in the demo (issue 25): Tom Bennett has a "Come back to this" that is due (his
notice "How did it go?" is waiting), and another learner has followed a reflection up three weeks
on. Through the services; idempotent (a plan or a follow-up already there is left alone)."""

from collections import Counter
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model

from community import services as community
from community.models import Reflection
from followthrough import services
from followthrough.models import Plan

User = get_user_model()

FOLLOW_UP_TEXT = (
    "Three weeks on: I asked for the five-minute review at the end of two sprint meetings. The first "
    "time it felt forced and nobody spoke. The second time our tester raised a handover we had all "
    "been quietly working around. Next I want someone else to run it, so it isn't my ritual."
)


def _first_reflection(handle: str, exclude: set[int] = frozenset()) -> Reflection | None:
    return (
        Reflection.objects.filter(author__handle=handle, thread__isnull=True, is_private=False)
        .live()
        .exclude(pk__in=exclude)
        .select_related("prompt")
        .order_by("created_at", "pk")
        .first()
    )


def load(created: Counter, now: datetime) -> None:
    tom = _first_reflection("tom_bennett")
    if tom is not None and not Plan.objects.filter(reflection=tom).exists():
        services.plan_follow_up(reflection=tom, user=tom.author, due_on=now.date() - timedelta(days=1))
        created["follow-up plans"] += services.remind_due_plans(now=now)
    other = (
        Reflection.objects.filter(
            thread__isnull=True, is_private=False, created_at__lte=now - timedelta(days=21)
        )
        .live()
        .exclude(author__handle="tom_bennett")
        .exclude(author__groups__name="Facilitator")
        .select_related("prompt", "author")
        .order_by("created_at", "pk")
        .first()
    )
    if other is None or Reflection.objects.filter(follows_up__isnull=False).exists():
        return
    services.plan_follow_up(
        reflection=other, user=other.author, due_on=(other.created_at + timedelta(days=21)).date()
    )
    follow_up = services.write_follow_up(original=other, author=other.author, body=FOLLOW_UP_TEXT)
    prompt = other.prompt
    community.backdate_space(
        prompt=prompt, created_at=prompt.created_at, updated_at=prompt.updated_at,
        posted_at={follow_up.pk: other.created_at + timedelta(days=21, hours=3)},
    )  # fmt: skip
    created["follow-ups"] += 1

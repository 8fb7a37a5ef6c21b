"""Follow-through on an activity's Insights page (a ``community.insight_sections`` section):
how many "Come back to this" plans were followed up, and each learner who opened the space but
has not posted a reflection there ("read but not yet posted")."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from community.models import ActivityVisit, Reflection
from followthrough.models import Plan


@dataclass
class FollowThroughSection:
    plans: int = 0
    followed_up: int = 0
    reminded_waiting: int = 0
    read_not_posted: list = field(default_factory=list)  # the page's learner rows
    template: str = "followthrough/_insight.html"


def followthrough_section(*, prompt, learners, viewer=None) -> FollowThroughSection:
    """Two queries. Plans are counted on the learners' shared reflections only (a private one is
    its author's alone: not even its existence is shown). "Read but not yet posted": a learner
    with a visit to the space (``ActivityVisit``) and no live shared reflection there."""
    ids = [learner.user_id for learner in learners]
    shared = Reflection.objects.filter(prompt_id=prompt.pk, is_private=False, author_id__in=ids)
    counts = Plan.objects.filter(reflection__in=shared.values("pk")).aggregate(
        plans=Count("pk"),
        followed_up=Count("pk", filter=Q(followed_up_at__isnull=False)),
        reminded_waiting=Count("pk", filter=Q(followed_up_at__isnull=True, reminded_at__isnull=False)),
    )
    posted = shared.live().filter(thread__isnull=True, author_id=OuterRef("user_id"))
    visited = set(
        ActivityVisit.objects.filter(prompt_id=prompt.pk, user_id__in=ids)
        .exclude(Exists(posted))
        .values_list("user_id", flat=True)
    )
    return FollowThroughSection(
        **counts, read_not_posted=[learner for learner in learners if learner.user_id in visited]
    )

"""community's answers to what the apps below it announce: its own rows about theirs."""

from community import services
from community.models import Prompt
from lessons import signals as lessons_signals


def delete_lessons_activities(sender, *, lesson_ids: list[int], **kwargs) -> None:
    """Lessons are going (lessons.services): their activities go first, through the service that
    keeps the post counts exact, not with a cascade that no counter follows."""
    services.delete_prompts(prompts=Prompt.objects.filter(lesson_id__in=lesson_ids).only("pk"))


def connect() -> None:
    lessons_signals.lessons_deleting.connect(
        delete_lessons_activities, dispatch_uid="community.delete_lessons_activities"
    )

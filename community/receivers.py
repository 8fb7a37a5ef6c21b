"""community's answers to what the apps below it announce: its own rows about theirs."""

from django.contrib.auth.signals import user_logged_in

from community import services
from community.models import Prompt, Reflection
from lessons import signals as lessons_signals


def delete_lessons_activities(sender, *, lesson_ids: list[int], **kwargs) -> None:
    """Lessons are going (lessons.services): their activities go first, through the service that
    keeps the post counts exact, not with a cascade that no counter follows."""
    services.delete_prompts(prompts=Prompt.objects.filter(lesson_id__in=lesson_ids).only("pk"))


def restore_kept_texts(sender, *, request=None, user, **kwargs) -> None:
    """Texts sent while signed out (``views._signed_in_keeping_text``) become the member's drafts
    in their composers, where the member may still write: the composer shows them."""
    from community.views import KEPT_TEXTS

    kept = (
        request.session.pop(KEPT_TEXTS, None) if request is not None and hasattr(request, "session") else None
    )
    for item in kept or []:
        prompt = Prompt.objects.visible_to(user).filter(pk=item.get("prompt")).first()
        parent = None
        if item.get("parent"):
            parent = Reflection.objects.visible_to(user).filter(pk=item["parent"], prompt=prompt).first()
            if parent is None:
                continue
        if prompt is not None:
            services.save_draft(user=user, prompt=prompt, parent=parent, fields=item.get("fields") or {})


def connect() -> None:
    user_logged_in.connect(restore_kept_texts, dispatch_uid="community.restore_kept_texts")
    lessons_signals.lessons_deleting.connect(
        delete_lessons_activities, dispatch_uid="community.delete_lessons_activities"
    )

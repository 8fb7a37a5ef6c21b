"""Answering community's signals: a new reflection in an activity that asks for every reflection
to be heard is offered (in the worker, after the commit); a reply ends the post's open offer (in
the reply's transaction, so the state is exact)."""

from django.dispatch import receiver

from community.models import Reflection
from community.signals import reflection_posted
from core.jobs import enqueue
from facilitation import services, tasks
from facilitation.models import HeardSettings


@receiver(reflection_posted)
def on_reflection_posted(sender, reflection: Reflection, **kwargs) -> None:
    if reflection.thread_id is not None:
        services.end_offers_for_reply(reply=reflection)
    elif HeardSettings.objects.filter(prompt_id=reflection.prompt_id, enabled=True).exists():
        enqueue(tasks.offer_reflection, reflection_id=reflection.pk)

"""Listening to the trunk's signals: follow automatically, write the notices of moderation and of
facilitators' reminders, and hand fan-out and email to the worker (after the commit, through
core.jobs.enqueue). Moderation and insights send these signals; notifications never imports them."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts.signals import member_suspension_changed
from community.models import Reflection
from community.signals import (
    activity_summarised,
    follow_up_due,
    learners_reminded,
    like_reason_changed,
    post_moderated,
    prompt_created,
    reflection_highlighted,
    reflection_liked,
    reflection_posted,
    reflections_landed,
    response_requested,
)
from core.jobs import enqueue
from notifications import services, tasks
from notifications.kinds import Kind


@receiver(reflection_posted)
def on_reflection_posted(sender, reflection: Reflection, **kwargs) -> None:
    services.follow_automatically(reflection=reflection)
    enqueue(tasks.fan_out_post, reflection_id=reflection.pk)


@receiver(prompt_created)
def on_prompt_created(sender, prompt, **kwargs) -> None:
    """Facilitators follow their own activities: they hear about every new reflection."""
    services.set_activity_level(user=prompt.author, prompt=prompt, level=services.Level.WATCHING)


@receiver(reflection_liked)
def on_reflection_liked(sender, reflection: Reflection, user, **kwargs) -> None:
    enqueue(tasks.notify_like, reflection_id=reflection.pk, liker_id=user.pk)


@receiver(like_reason_changed)
def on_like_reason_changed(sender, reflection_id: int, user_id: int, **kwargs) -> None:
    enqueue(tasks.notify_like_reason, reflection_id=reflection_id, liker_id=user_id)


@receiver(reflection_highlighted)
def on_reflection_highlighted(sender, reflection: Reflection, by, **kwargs) -> None:
    """Tell the author, if they may read their post (they always may: it is shared and theirs)."""
    notice = services.notify_member(
        user_id=reflection.author_id, kind=Kind.HIGHLIGHTED, actor_id=by.pk,
        reflection_id=reflection.pk, prompt_id=reflection.prompt_id,
    )  # fmt: skip
    if notice is not None and services.wants_email_now(reflection.author_id, Kind.HIGHLIGHTED):
        tasks.email_soon(reflection.author_id)


@receiver(post_moderated)
def on_post_moderated(sender, action: str, reflection_id: int, author_id: int, prompt_id: int,
                      moderator_id: int | None, reason: str, **kwargs) -> None:  # fmt: skip
    kind = services.MODERATION_KINDS[action]
    # A removed post may be gone for good: the notice keeps its activity and the reason only.
    notice = services.notify_member(
        user_id=author_id, kind=kind, actor_id=None, prompt_id=prompt_id, text=reason,
        reflection_id=None if kind == Kind.POST_REMOVED else reflection_id,
    )  # fmt: skip
    if notice is not None and services.wants_email_now(author_id, kind):
        tasks.email_soon(author_id)


@receiver(member_suspension_changed)
def on_suspension_changed(sender, action: str, user_id: int, moderator_id: int | None, reason: str, ends_at,
                          **kwargs) -> None:  # fmt: skip
    if action == "reinstated":
        text = reason
    else:
        # Translators: the end of a suspension (in UTC) and the moderator's reason, in the member's notice.
        text = _("Until %(date)s UTC: %(reason)s") % {"date": f"{ends_at:%d %b %Y %H:%M}", "reason": reason}
    notice = services.notify_member(user_id=user_id, kind=services.MODERATION_KINDS[action], text=text)
    if notice is not None and services.wants_email_now(user_id, notice.kind):
        tasks.email_soon(user_id)


@receiver(learners_reminded)
def on_learners_reminded(sender, prompt_id: int, facilitator_id: int, user_ids: list[int], message: str,
                         **kwargs) -> None:  # fmt: skip
    """A notice to each learner, and an email by their settings (batched). Sent from insights'
    worker job, so a failure here makes that job retry."""
    for user_id in user_ids:
        notice = services.notify_member(
            user_id=user_id, kind=Kind.NUDGE, actor_id=facilitator_id, prompt_id=prompt_id, text=message
        )
        if notice is not None and services.wants_email_now(user_id, Kind.NUDGE):
            tasks.email_soon(user_id)


# --- Follow-through (issue 25; sent by facilitation) ----------------------------------------------


@receiver(response_requested)
def on_response_requested(sender, reflection_id: int, prompt_id: int, user_id: int, author_name: str,
                          **kwargs) -> None:  # fmt: skip
    """ "Kwame is waiting to hear from you": the name is the one the member may see (the offer's
    sender chose it), so the notice names no actor. Sent from facilitation's offer, in its
    transaction (the worker's job, or a decline)."""
    notice = services.notify_member(
        user_id=user_id, kind=Kind.RESPONSE_REQUESTED, reflection_id=reflection_id, prompt_id=prompt_id,
        text=author_name,
    )  # fmt: skip
    if notice is not None and services.wants_email_now(user_id, Kind.RESPONSE_REQUESTED):
        tasks.email_soon(user_id)


@receiver(activity_summarised)
def on_activity_summarised(
    sender, prompt_id: int, facilitator_id: int, user_ids: list[int], **kwargs
) -> None:
    """Everyone who reflected hears that the facilitator summarised the activity."""
    for user_id in user_ids:
        notice = services.notify_member(
            user_id=user_id, kind=Kind.SUMMARY, actor_id=facilitator_id, prompt_id=prompt_id
        )
        if notice is not None and services.wants_email_now(user_id, Kind.SUMMARY):
            tasks.email_soon(user_id)


@receiver(follow_up_due)
def on_follow_up_due(sender, user_id: int, reflection_id: int, prompt_id: int, link: str, **kwargs) -> None:
    """ "How did it go?": the member's own reflection (theirs to read), opening the follow-up
    composer; an email by their settings. Sent from followthrough's worker job."""
    notice = services.notify_member(
        user_id=user_id, kind=Kind.FOLLOW_UP_DUE, reflection_id=reflection_id, prompt_id=prompt_id, link=link
    )
    if notice is not None and services.wants_email_now(user_id, Kind.FOLLOW_UP_DUE):
        tasks.email_soon(user_id)


@receiver(reflections_landed)
def on_reflections_landed(sender, user_id: int, text: str, link: str, **kwargs) -> None:
    """The weekly "How my reflections landed": figures only (the page shows what the member may
    read, reasons included); an email by their settings (on by default)."""
    notice = services.notify_member(user_id=user_id, kind=Kind.LANDED, text=text, link=link)
    if notice is not None and services.wants_email_now(user_id, Kind.LANDED):
        tasks.email_soon(user_id)

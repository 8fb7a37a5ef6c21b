"""Moderation: reports, hiding and restoring, moderator edits and deletes, locks, suspensions.

Every function runs in one transaction, locks the row it acts on (so two moderators acting at
once leave one result and one log entry), and writes the audit log.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Suspension, User
from accounts.signals import member_suspension_changed
from community import services
from community.models import Like, Prompt, Reflection
from community.signals import post_moderated
from moderation.models import Flag, ModerationAction

Kind = ModerationAction.Kind
logger = logging.getLogger(__name__)


def hide_threshold() -> int:
    return settings.FLAG_HIDE_THRESHOLD


def log_action(
    kind: str, *, actor: User | None, reflection: Reflection | None = None, **fields
) -> ModerationAction:
    if reflection is not None:
        fields.setdefault("post_id", reflection.pk)
        fields.setdefault("prompt_id", reflection.prompt_id)
        fields.setdefault("member_id", reflection.author_id)
    return ModerationAction.objects.create(kind=kind, actor=actor, reflection=reflection, **fields)


def _locked(reflection: Reflection) -> Reflection:
    services.lock_space(reflection.prompt_id)  # the space first, as every write to it
    return Reflection.objects.select_for_update().get(pk=reflection.pk)


def _open_flags(reflection: Reflection):
    """Open reports of the post itself (reports of a like's reason are the reason's)."""
    return Flag.objects.filter(reflection=reflection, like__isnull=True, status=Flag.Status.OPEN)


def _close_flags(reflection: Reflection, *, status: str, moderator: User) -> int:
    closed = _open_flags(reflection).update(status=status, resolved_at=timezone.now(), resolved_by=moderator)
    Reflection.objects.filter(pk=reflection.pk).update(open_flag_count=0)
    return closed


@transaction.atomic
def report_reflection(
    *, reflection: Reflection, reporter: User, reason: str, note: str = ""
) -> tuple[Flag, bool]:
    """File a report; returns (flag, created). One report per member per post. When open reports
    from distinct members reach the threshold, the post is hidden pending review."""
    reflection = _locked(reflection)
    flag, created = Flag.objects.get_or_create(
        reflection=reflection, reporter=reporter, like=None, defaults={"reason": reason, "note": note}
    )
    if not created:
        return flag, False
    count = _open_flags(reflection).count()
    Reflection.objects.filter(pk=reflection.pk).update(open_flag_count=count)
    if count >= hide_threshold() and not reflection.is_hidden:
        was_counted = services.in_reflection_count(reflection)
        reflection.hidden_at = timezone.now()
        reflection.hidden_by = None
        reflection.hidden_reason = ngettext(
            "Hidden automatically after %(count)s report, pending review by a moderator.",
            "Hidden automatically after %(count)s reports, pending review by a moderator.",
            count,
        ) % {"count": count}
        reflection.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        services.adjust_reflection_count(reflection, was_counted=was_counted)
        log_action(Kind.AUTO_HIDE, actor=None, reflection=reflection, reason=reflection.hidden_reason)
        _announce_post("pending", reflection, moderator=None)
    return flag, True


def _reports_dismissed(count: int) -> str:
    """The log's note when a moderator dismisses reports without a reason of their own."""
    # Translators: English keeps "report(s)" for every count; translate with proper plural forms.
    return ngettext("%(count)s report(s) dismissed", "%(count)s report(s) dismissed", count) % {
        "count": count
    }


@transaction.atomic
def dismiss_reports(*, reflection: Reflection, moderator: User, reason: str = "") -> int:
    """Close the open reports as unfounded. A post hidden automatically by them comes back."""
    reflection = _locked(reflection)
    closed = _close_flags(reflection, status=Flag.Status.DISMISSED, moderator=moderator)
    if not closed:
        return 0
    if reflection.is_hidden and reflection.hidden_by_id is None:
        reflection.hidden_at = None
        reflection.hidden_reason = ""
        reflection.hidden_with_replies = False
        reflection.save(update_fields=["hidden_at", "hidden_reason", "hidden_with_replies"])
        services.adjust_reflection_count(reflection, was_counted=False)
    log_action(
        Kind.DISMISS, actor=moderator, reflection=reflection, reason=reason or _reports_dismissed(closed)
    )
    return closed


@transaction.atomic
def hide_reflection(
    *, reflection: Reflection, moderator: User, reason: str, with_replies: bool = False
) -> Reflection:
    """Hide a post with a reason. Its words stay; its author and moderators still see them.
    Colleagues see a placeholder with the replies under it, unless ``with_replies`` (a reflection
    only): then the whole conversation is hidden (``hide_replies`` changes that later)."""
    reflection = _locked(reflection)
    if reflection.is_hidden and reflection.hidden_by_id is not None:
        return reflection  # another moderator got there first
    was_counted = services.in_reflection_count(reflection)
    reflection.hidden_at = reflection.hidden_at or timezone.now()
    reflection.hidden_by = moderator
    reflection.hidden_reason = reason
    reflection.hidden_with_replies = with_replies and not reflection.is_reply
    reflection.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_with_replies"])
    services.adjust_reflection_count(reflection, was_counted=was_counted)
    _close_flags(reflection, status=Flag.Status.ACTIONED, moderator=moderator)
    log_action(Kind.HIDE, actor=moderator, reflection=reflection, reason=reason)
    _announce_post("hidden", reflection, moderator=moderator, reason=reason)
    return reflection


def _announce_post(action: str, reflection: Reflection, *, moderator: User | None, reason: str = "") -> None:
    """Tell the author (through notifications) what happened to their post. Sent inside the
    transaction: the notice is written with the action; its email waits for the commit."""
    values = {
        "action": action,
        "reflection_id": reflection.pk,
        "author_id": reflection.author_id,
        "prompt_id": reflection.prompt_id,
        "moderator_id": moderator.pk if moderator else None,
        "reason": reason,
    }
    post_moderated.send(sender=Reflection, **values)


@transaction.atomic
def hide_replies(*, reflection: Reflection, moderator: User, hidden: bool) -> Reflection:
    """For a hidden reflection: hide its replies with it (the whole conversation goes from
    colleagues' view) or show them again under its placeholder. The replies' authors and the
    moderators keep seeing them either way."""
    reflection = _locked(reflection)
    if not reflection.is_hidden or reflection.is_reply or reflection.hidden_with_replies == hidden:
        return reflection
    reflection.hidden_with_replies = hidden
    reflection.save(update_fields=["hidden_with_replies"])
    kind = Kind.HIDE_REPLIES if hidden else Kind.SHOW_REPLIES
    log_action(kind, actor=moderator, reflection=reflection, reason="")
    return reflection


@transaction.atomic
def restore_reflection(*, reflection: Reflection, moderator: User, reason: str = "") -> Reflection:
    reflection = _locked(reflection)
    if not reflection.is_hidden:
        return reflection
    reflection.hidden_at = None
    reflection.hidden_by = None
    reflection.hidden_reason = ""
    reflection.hidden_with_replies = False
    reflection.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_with_replies"])
    services.adjust_reflection_count(reflection, was_counted=False)
    _close_flags(reflection, status=Flag.Status.DISMISSED, moderator=moderator)
    log_action(Kind.RESTORE, actor=moderator, reflection=reflection, reason=reason)
    _announce_post("restored", reflection, moderator=moderator, reason=reason)
    return reflection


def moderate_edit(*, reflection: Reflection, moderator: User, body: str, reason: str) -> Reflection:
    with transaction.atomic():
        reflection = services.edit_reflection(reflection=reflection, body=body, editor=moderator)
        log_action(Kind.EDIT, actor=moderator, reflection=reflection, reason=reason)
    return reflection


@transaction.atomic
def delete_permanently(*, reflection: Reflection, moderator: User, reason: str) -> None:
    """The only way a moderator removes words for good. Logged with the post's id first."""
    reflection = _locked(reflection)
    if reflection.is_deleted:
        return
    log_action(Kind.DELETE, actor=moderator, reflection=None, post_id=reflection.pk, prompt_id=reflection.prompt_id,
         member_id=reflection.author_id, reason=reason)  # fmt: skip
    _close_flags(reflection, status=Flag.Status.ACTIONED, moderator=moderator)
    _announce_post("removed", reflection, moderator=moderator, reason=reason)
    services.delete_reflection(reflection=reflection, by=moderator)


@transaction.atomic
def set_prompt_lock(*, prompt: Prompt, moderator: User, locked: bool, reason: str = "") -> Prompt:
    services.lock_space(prompt.pk)  # the order a post takes them in
    prompt = Prompt.objects.select_for_update().get(pk=prompt.pk)
    if prompt.is_locked == locked:
        return prompt
    prompt.is_locked = locked
    prompt.save(update_fields=["is_locked", "updated_at"])
    log_action(Kind.LOCK if locked else Kind.UNLOCK, actor=moderator, prompt=prompt, reason=reason)
    return prompt


@transaction.atomic
def suspend_member(*, member: User, moderator: User, ends_at: datetime, reason: str) -> Suspension:
    User.objects.select_for_update().get(pk=member.pk)
    suspension = Suspension.objects.create(user=member, reason=reason, ends_at=ends_at, created_by=moderator)
    log_action(
        Kind.SUSPEND, actor=moderator, member=member,
        # Translators: the moderation log's note of a suspension: when it ends, then the reason.
        reason=_("Until %(date)s: %(reason)s") % {"date": f"{ends_at:%d %b %Y %H:%M}", "reason": reason},
    )  # fmt: skip
    values = {"action": "suspended", "user_id": member.pk, "moderator_id": moderator.pk, "reason": reason,
              "ends_at": ends_at}  # fmt: skip
    member_suspension_changed.send(sender=Suspension, **values)
    return suspension


@transaction.atomic
def lift_suspension(*, suspension: Suspension, moderator: User, reason: str = "") -> Suspension:
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at is not None:
        return suspension
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = moderator
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    log_action(Kind.LIFT, actor=moderator, member=suspension.user, reason=reason)
    values = {"action": "reinstated", "user_id": suspension.user_id, "moderator_id": moderator.pk, "reason": reason,
              "ends_at": None}  # fmt: skip
    member_suspension_changed.send(sender=Suspension, **values)
    return suspension


# --- Reasons given with likes ("What helped you?") -----------------------------------------------


def _open_reason_flags(like: Like):
    return Flag.objects.filter(like=like, status=Flag.Status.OPEN)


@transaction.atomic
def report_like_reason(*, like: Like, reporter: User, reason: str, note: str = "") -> tuple[Flag, bool]:
    """The post's author reports a reason someone gave for liking it; returns (flag, created).
    It goes to the moderators' queue; it never counts towards hiding the post."""
    like = services.locked_like(like)  # its space first, as every write to it
    return Flag.objects.get_or_create(
        like=like, reporter=reporter,
        defaults={"reflection_id": like.reflection_id, "reason": reason, "note": note},
    )  # fmt: skip


@transaction.atomic
def remove_reported_reason(*, like: Like, moderator: User, reason: str = "") -> Like:
    """Remove a like's reason (the like stays), close its reports and log it. The text removed is
    kept in the log, as a moderator's edit keeps the earlier text."""
    like = services.locked_like(like)  # its space first, as every write to it
    removed_text = like.reason
    like = services.remove_like_reason(like=like)
    _open_reason_flags(like).update(
        status=Flag.Status.ACTIONED, resolved_at=timezone.now(), resolved_by=moderator
    )
    log_action(
        Kind.REMOVE_REASON, actor=moderator, post_id=like.reflection_id, member_id=like.user_id,
        reflection_id=like.reflection_id,
        # Translators: the moderation log's note when a like's reason is removed: the moderator's
        # reason (may be empty), then the words removed.
        reason=(_("%(reason)s (it said: “%(text)s”)") % {"reason": reason, "text": removed_text}).strip(),
    )  # fmt: skip
    return like


@transaction.atomic
def dismiss_reason_reports(*, like: Like, moderator: User, reason: str = "") -> int:
    like = services.locked_like(like)  # its space first, as every write to it
    closed = _open_reason_flags(like).update(
        status=Flag.Status.DISMISSED, resolved_at=timezone.now(), resolved_by=moderator
    )
    if closed:
        log_action(
            Kind.DISMISS_REASON, actor=moderator, post_id=like.reflection_id, member_id=like.user_id,
            reflection_id=like.reflection_id, reason=reason or _reports_dismissed(closed),
        )  # fmt: skip
    return closed

"""``{% load notifications %}``: a notice in words."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.kinds import Kind

register = template.Library()


def _post_word(notice) -> str:
    """Which post a notice is about: "reflection", "reply" or (gone, or none) "post". A key only:
    each kind below has one whole sentence per word, so translations can agree with it."""
    reflection = notice.reflection
    if not reflection:
        return "post"
    return "reply" if reflection.thread_id else "reflection"


def _unnamed(notice) -> str:
    """The actor of a notice that names no one: an anonymous post's author as the recipient knows
    them ("Colleague 4": the notice was written without their name), else "Someone"."""
    reflection = notice.reflection if notice.reflection_id else None
    # Translators: who did something, in a notice that cannot name them ("Someone liked your reply").
    return (reflection.pseudonym_label if reflection is not None else "") or _("Someone")


def _replied(notice, actor: str, answered: str, answered_text: str, title: str) -> str:
    """A reply's notice: the post it answers ("reflection" or "reply"), named by its excerpt while
    the member may still read it."""
    values = {"actor": actor, "excerpt": answered_text, "title": title}
    if notice.kind == Kind.REPLY:
        if answered == "reflection":
            if answered_text:
                return _("%(actor)s replied to your reflection “%(excerpt)s”") % values
            return _("%(actor)s replied to your reflection") % values
        if answered_text:
            return _("%(actor)s replied to your reply “%(excerpt)s”") % values
        return _("%(actor)s replied to your reply") % values
    if answered_text and answered == "reflection":
        return _("%(actor)s replied to the reflection “%(excerpt)s” in a conversation you follow") % values
    if answered_text:
        return _("%(actor)s replied to the reply “%(excerpt)s” in a conversation you follow") % values
    return _("%(actor)s replied in a conversation you follow: “%(title)s”") % values


def _liked(actor: str, others: int, post: str, reason: str) -> str:
    """A like notice: the actor, how many others liked the post too, and the actor's reason."""
    values = {"actor": actor, "count": others, "reason": reason}
    if others and reason:
        if post == "reflection":
            return (
                ngettext(
                    "%(actor)s and %(count)s other liked your reflection. %(actor)s said why: “%(reason)s”",
                    "%(actor)s and %(count)s others liked your reflection. %(actor)s said why: “%(reason)s”",
                    others,
                )
                % values
            )
        if post == "reply":
            return (
                ngettext(
                    "%(actor)s and %(count)s other liked your reply. %(actor)s said why: “%(reason)s”",
                    "%(actor)s and %(count)s others liked your reply. %(actor)s said why: “%(reason)s”",
                    others,
                )
                % values
            )
        return (
            ngettext(
                "%(actor)s and %(count)s other liked your post. %(actor)s said why: “%(reason)s”",
                "%(actor)s and %(count)s others liked your post. %(actor)s said why: “%(reason)s”",
                others,
            )
            % values
        )
    if others:
        if post == "reflection":
            return (
                ngettext(
                    "%(actor)s and %(count)s other liked your reflection",
                    "%(actor)s and %(count)s others liked your reflection",
                    others,
                )
                % values
            )
        if post == "reply":
            return (
                ngettext(
                    "%(actor)s and %(count)s other liked your reply",
                    "%(actor)s and %(count)s others liked your reply",
                    others,
                )
                % values
            )
        return (
            ngettext(
                "%(actor)s and %(count)s other liked your post",
                "%(actor)s and %(count)s others liked your post",
                others,
            )
            % values
        )
    if reason:
        if post == "reflection":
            return _("%(actor)s liked your reflection. %(actor)s said why: “%(reason)s”") % values
        if post == "reply":
            return _("%(actor)s liked your reply. %(actor)s said why: “%(reason)s”") % values
        return _("%(actor)s liked your post. %(actor)s said why: “%(reason)s”") % values
    if post == "reflection":
        return _("%(actor)s liked your reflection") % values
    if post == "reply":
        return _("%(actor)s liked your reply") % values
    return _("%(actor)s liked your post") % values


def _moderated(kind: str, post: str, title: str, reason: str) -> str:
    """A moderator's action on the member's post (hidden, pending review, restored)."""
    values = {"title": title, "reason": reason}
    if kind == Kind.POST_HIDDEN:
        if post == "reflection":
            return _("A moderator hid your reflection in “%(title)s”: %(reason)s") % values
        if post == "reply":
            return _("A moderator hid your reply in “%(title)s”: %(reason)s") % values
        return _("A moderator hid your post in “%(title)s”: %(reason)s") % values
    if kind == Kind.POST_PENDING:
        if post == "reflection":
            return _("Your reflection in “%(title)s” is hidden pending review after several reports") % values
        if post == "reply":
            return _("Your reply in “%(title)s” is hidden pending review after several reports") % values
        return _("Your post in “%(title)s” is hidden pending review after several reports") % values
    if post == "reflection":
        return _("A moderator restored your reflection in “%(title)s”") % values
    if post == "reply":
        return _("A moderator restored your reply in “%(title)s”") % values
    return _("A moderator restored your post in “%(title)s”") % values


@register.filter
def notice_text(notice) -> str:
    """ "Ben Carter replied to your reflection “On the first hour…”", "Ben and 3 others liked your
    reply", … in the active language (emails are written inside the recipient's)."""
    actor = notice.actor.display_name if notice.actor_id and notice.actor else _unnamed(notice)
    # A reply's notice names the post it answers while the member may still read that post
    # (``services.with_answered_excerpts``; read where it was not annotated).
    answered_text = notice.text if getattr(notice, "answered_readable", True) else ""
    title = notice.prompt.title if notice.prompt_id and notice.prompt else ""
    post = _post_word(notice)
    values = {"actor": actor, "title": title, "text": notice.text, "excerpt": answered_text}
    match notice.kind:
        case Kind.REPLY | Kind.THREAD_REPLY:
            # notice.text: an excerpt of the answered post, written with the notice (services.notify_post).
            answered_reflection = (
                notice.reflection and notice.reflection.parent_id == notice.reflection.thread_id
            )
            answered = "reflection" if answered_reflection else "reply"
            return _replied(notice, actor, answered, answered_text, title)
        case Kind.MENTION:
            if answered_text:  # a reply: the post it answers, as for replies
                return _("%(actor)s mentioned you in a reply to “%(excerpt)s”") % values
            if notice.reflection_id and notice.reflection and notice.reflection.thread_id:
                return _("%(actor)s mentioned you in a reply in “%(title)s”") % values
            return _("%(actor)s mentioned you in “%(title)s”") % values
        case Kind.LIKES:
            # notice.text: the actor's reason ("What helped you?"), plain text
            return _liked(actor, notice.others_count, post, notice.text)
        case Kind.NEW_REFLECTION:
            return _("%(actor)s reflected on “%(title)s”") % values
        case Kind.POST_HIDDEN | Kind.POST_PENDING | Kind.POST_RESTORED:
            return _moderated(notice.kind, post, title, notice.text)
        case Kind.POST_REMOVED:
            return _("A moderator removed your post in “%(title)s”: %(text)s") % values
        case Kind.SUSPENDED:
            # Translators: %(text)s is how long and why ("Until 9 Dec 2026 10:00 UTC: …").
            return _("Your account is suspended. %(text)s") % values
        case Kind.REINSTATED:
            return _("Your suspension was lifted: you can post again")
        case Kind.NUDGE:
            # Translators: %(text)s is the facilitator's own message.
            return _("%(actor)s sent a reminder about “%(title)s”: %(text)s") % values
        case Kind.HIGHLIGHTED:
            return _("%(actor)s highlighted your reflection in “%(title)s”") % values
        case Kind.RESPONSE_REQUESTED:  # notice.text: the name the member may see (facilitation.naming)
            name = notice.text or _("A colleague")
            return _("%(name)s is waiting to hear from you in “%(title)s”") % {"name": name, "title": title}
        case Kind.SUMMARY:
            return _("%(actor)s summarised what the group learned in “%(title)s”") % values
        case Kind.FOLLOW_UP_DUE:
            return _("How did it go? You chose to come back to your reflection in “%(title)s” today") % values
        case Kind.LANDED:
            return notice.text or _("How your reflections landed this week")
    return notice.get_kind_display()

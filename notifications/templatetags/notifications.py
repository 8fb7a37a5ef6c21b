"""``{% load notifications %}``: a notice in words."""

from django import template

from notifications.kinds import Kind

register = template.Library()

_POST_WORD = {True: "reply", False: "reflection"}


def _post_word(notice) -> str:
    reflection = notice.reflection
    return _POST_WORD[bool(reflection and reflection.thread_id)] if reflection else "post"


def _unnamed(notice) -> str:
    """The actor of a notice that names no one: an anonymous post's author as the recipient knows
    them ("Colleague 4": the notice was written without their name), else "Someone"."""
    reflection = notice.reflection if notice.reflection_id else None
    return (reflection.pseudonym_label if reflection is not None else "") or "Someone"


@register.filter
def notice_text(notice) -> str:
    """ "Ben Carter replied to your reflection “On the first hour…”", "Ben and 3 others liked your
    reply", …"""
    actor = notice.actor.display_name if notice.actor_id and notice.actor else _unnamed(notice)
    # A reply's notice names the post it answers while the member may still read that post
    # (``services.with_answered_excerpts``; read where it was not annotated).
    answered_text = notice.text if getattr(notice, "answered_readable", True) else ""
    title = notice.prompt.title if notice.prompt_id and notice.prompt else ""
    post = _post_word(notice)
    match notice.kind:
        case Kind.REPLY | Kind.THREAD_REPLY:
            # notice.text: an excerpt of the answered post, written with the notice (services.notify_post).
            answered_reflection = (
                notice.reflection and notice.reflection.parent_id == notice.reflection.thread_id
            )
            answered = "reflection" if answered_reflection else "reply"
            named = f" “{answered_text}”" if answered_text else ""
            if notice.kind == Kind.REPLY:
                return f"{actor} replied to your {answered}{named}"
            if named:
                return f"{actor} replied to the {answered}{named} in a conversation you follow"
            return f"{actor} replied in a conversation you follow: “{title}”"
        case Kind.MENTION:
            if answered_text:  # a reply: the post it answers, as for replies
                return f"{actor} mentioned you in a reply to “{answered_text}”"
            if notice.reflection_id and notice.reflection and notice.reflection.thread_id:
                return f"{actor} mentioned you in a reply in “{title}”"
            return f"{actor} mentioned you in “{title}”"
        case Kind.LIKES:
            others = notice.others_count
            who = f"{actor} and {others} other{'s' if others != 1 else ''}" if others else actor
            if notice.text:  # the actor's reason ("What helped you?"), plain text
                return f"{who} liked your {post}. {actor} said why: “{notice.text}”"
            return f"{who} liked your {post}"
        case Kind.NEW_REFLECTION:
            return f"{actor} reflected on “{title}”"
        case Kind.POST_HIDDEN:
            return f"A moderator hid your {post} in “{title}”: {notice.text}"
        case Kind.POST_PENDING:
            return f"Your {post} in “{title}” is hidden pending review after several reports"
        case Kind.POST_RESTORED:
            return f"A moderator restored your {post} in “{title}”"
        case Kind.POST_REMOVED:
            return f"A moderator removed your post in “{title}”: {notice.text}"
        case Kind.SUSPENDED:
            return f"Your account is suspended. {notice.text}"
        case Kind.REINSTATED:
            return "Your suspension was lifted: you can post again"
        case Kind.NUDGE:
            return f"{actor} sent a reminder about “{title}”: {notice.text}"
        case Kind.HIGHLIGHTED:
            return f"{actor} highlighted your reflection in “{title}”"
        case Kind.RESPONSE_REQUESTED:  # notice.text: the name the member may see (facilitation.naming)
            return f"{notice.text or 'A colleague'} is waiting to hear from you in “{title}”"
        case Kind.SUMMARY:
            return f"{actor} summarised what the group learned in “{title}”"
        case Kind.FOLLOW_UP_DUE:
            return f"How did it go? You chose to come back to your reflection in “{title}” today"
        case Kind.LANDED:
            return notice.text or "How your reflections landed this week"
    return notice.get_kind_display()

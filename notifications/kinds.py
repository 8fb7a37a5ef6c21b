"""The kinds of notice, grouped the way members choose how to hear about them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPLY = "reply", _("Reply to your post")
    THREAD_REPLY = "thread_reply", _("New reply in a conversation you follow")
    MENTION = "mention", _("Mention")
    LIKES = "likes", _("Likes on your post")
    NEW_REFLECTION = "new_reflection", _("New reflection in an activity you watch")
    POST_HIDDEN = "post_hidden", _("A moderator hid your post")
    POST_PENDING = "post_pending", _("Your post is hidden pending review")
    POST_RESTORED = "post_restored", _("Your post was restored")
    POST_REMOVED = "post_removed", _("A moderator removed your post")
    SUSPENDED = "suspended", _("Your account was suspended")
    REINSTATED = "reinstated", _("Your suspension was lifted")
    NUDGE = "nudge", _("A reminder from your facilitator")
    HIGHLIGHTED = "highlighted", _("A facilitator highlighted your reflection")
    # Follow-through (issue 25, facilitation): answering community.signals' response_requested and
    # activity_summarised.
    RESPONSE_REQUESTED = "response_requested", _("A colleague is waiting to hear from you")
    SUMMARY = "summary", _("A facilitator summarised an activity you reflected on")
    # Follow-through (issue 25; sent through community.signals by followthrough's worker jobs).
    FOLLOW_UP_DUE = "follow_up_due", _("How did it go? A reflection you chose to come back to")
    LANDED = "landed", _("How your reflections landed this week")


class Group(models.TextChoices):
    """What a member sets a delivery for (settings page, unsubscribe links)."""

    REPLIES = "replies", _("Replies to you and in conversations you follow")
    MENTIONS = "mentions", _("Mentions of you")
    NEW_REFLECTIONS = "new_reflections", _("New reflections in activities you watch")
    LIKES = "likes", _("Likes on your posts")
    MODERATION = "moderation", _("Moderation of your posts and account")
    REMINDERS = "reminders", _("Reminders from your facilitators")
    HIGHLIGHTS = "highlights", _("Highlights of your reflections by a facilitator")
    RESPONSES = "responses", _("Colleagues waiting to hear from you")
    SUMMARIES = "summaries", _("Summaries of activities you reflected on")
    FOLLOW_UPS = "follow_ups", _("“How did it go?” on the day you chose to come back to a reflection")
    LANDED = (
        "landed",
        _("How my reflections landed: a weekly summary (likes, reasons, replies, follow-ups due)"),
    )


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Email me right away")
    DAILY = "daily", _("In a daily summary")
    WEEKLY = "weekly", _("In a weekly summary")
    NEVER = "never", _("Never by email (only on the site)")


GROUP_OF = {
    Kind.REPLY: Group.REPLIES,
    Kind.THREAD_REPLY: Group.REPLIES,
    Kind.MENTION: Group.MENTIONS,
    Kind.LIKES: Group.LIKES,
    Kind.NEW_REFLECTION: Group.NEW_REFLECTIONS,
    Kind.POST_HIDDEN: Group.MODERATION,
    Kind.POST_PENDING: Group.MODERATION,
    Kind.POST_RESTORED: Group.MODERATION,
    Kind.POST_REMOVED: Group.MODERATION,
    Kind.SUSPENDED: Group.MODERATION,
    Kind.REINSTATED: Group.MODERATION,
    Kind.NUDGE: Group.REMINDERS,
    Kind.HIGHLIGHTED: Group.HIGHLIGHTS,
    Kind.RESPONSE_REQUESTED: Group.RESPONSES,
    Kind.SUMMARY: Group.SUMMARIES,
    Kind.FOLLOW_UP_DUE: Group.FOLLOW_UPS,
    Kind.LANDED: Group.LANDED,
}

DEFAULT_DELIVERY = {
    Group.REPLIES: Delivery.IMMEDIATELY,
    Group.MENTIONS: Delivery.IMMEDIATELY,
    Group.NEW_REFLECTIONS: Delivery.DAILY,
    Group.LIKES: Delivery.NEVER,
    Group.MODERATION: Delivery.IMMEDIATELY,
    Group.REMINDERS: Delivery.IMMEDIATELY,
    Group.HIGHLIGHTS: Delivery.IMMEDIATELY,
    Group.RESPONSES: Delivery.IMMEDIATELY,
    Group.SUMMARIES: Delivery.IMMEDIATELY,
    Group.FOLLOW_UPS: Delivery.IMMEDIATELY,
    Group.LANDED: Delivery.IMMEDIATELY,  # sent weekly already: "right away" is when it is made
}

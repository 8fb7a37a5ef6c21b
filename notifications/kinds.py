"""The kinds of notice, grouped the way members choose how to hear about them."""

from django.db import models


class Kind(models.TextChoices):
    REPLY = "reply", "Reply to your post"
    THREAD_REPLY = "thread_reply", "New reply in a conversation you follow"
    MENTION = "mention", "Mention"
    LIKES = "likes", "Likes on your post"
    NEW_REFLECTION = "new_reflection", "New reflection in an activity you watch"
    POST_HIDDEN = "post_hidden", "A moderator hid your post"
    POST_PENDING = "post_pending", "Your post is hidden pending review"
    POST_RESTORED = "post_restored", "Your post was restored"
    POST_REMOVED = "post_removed", "A moderator removed your post"
    SUSPENDED = "suspended", "Your account was suspended"
    REINSTATED = "reinstated", "Your suspension was lifted"
    NUDGE = "nudge", "A reminder from your facilitator"
    HIGHLIGHTED = "highlighted", "A facilitator highlighted your reflection"
    # Follow-through (issue 25, facilitation): answering community.signals' response_requested and
    # activity_summarised.
    RESPONSE_REQUESTED = "response_requested", "A colleague is waiting to hear from you"
    SUMMARY = "summary", "A facilitator summarised an activity you reflected on"
    # Follow-through (issue 25; sent through community.signals by followthrough's worker jobs).
    FOLLOW_UP_DUE = "follow_up_due", "How did it go? A reflection you chose to come back to"
    LANDED = "landed", "How your reflections landed this week"


class Group(models.TextChoices):
    """What a member sets a delivery for (settings page, unsubscribe links)."""

    REPLIES = "replies", "Replies to you and in conversations you follow"
    MENTIONS = "mentions", "Mentions of you"
    NEW_REFLECTIONS = "new_reflections", "New reflections in activities you watch"
    LIKES = "likes", "Likes on your posts"
    MODERATION = "moderation", "Moderation of your posts and account"
    REMINDERS = "reminders", "Reminders from your facilitators"
    HIGHLIGHTS = "highlights", "Highlights of your reflections by a facilitator"
    RESPONSES = "responses", "Colleagues waiting to hear from you"
    SUMMARIES = "summaries", "Summaries of activities you reflected on"
    FOLLOW_UPS = "follow_ups", "“How did it go?” on the day you chose to come back to a reflection"
    LANDED = "landed", "How my reflections landed: a weekly summary (likes, reasons, replies, follow-ups due)"


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "Email me right away"
    DAILY = "daily", "In a daily summary"
    WEEKLY = "weekly", "In a weekly summary"
    NEVER = "never", "Never by email (only on the site)"


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

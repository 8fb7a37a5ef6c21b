"""Reports and the moderation audit log. Hidden state lives on the post itself (community)."""

from django.conf import settings
from django.db import models


class Flag(models.Model):
    """A member's report of a post, or (``like`` set) of the reason someone gave for liking it.
    One per member per post, and one per member per reason. A reason's report names its post too
    (``reflection``) but never counts towards hiding the post (``open_flag_count``)."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        HARASSMENT = "harassment", "Harassment or abuse"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISMISSED = "dismissed", "Dismissed"
        ACTIONED = "actioned", "Acted on"

    reflection = models.ForeignKey("community.Reflection", on_delete=models.CASCADE, related_name="flags")
    like = models.ForeignKey(
        "community.Like", null=True, blank=True, on_delete=models.CASCADE, related_name="flags",
        help_text="Set when the report is about this like's reason, not about the post.",
    )  # fmt: skip
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_made"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "community_flag"  # the table predates the moderation app
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "reporter"],
                condition=models.Q(like__isnull=True),
                name="one_flag_per_member",
            ),
            models.UniqueConstraint(
                fields=["like", "reporter"],
                condition=models.Q(like__isnull=False),
                name="one_flag_per_member_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        if self.like_id:
            return f"{self.get_reason_display()} report on a like's reason (post {self.reflection_id})"
        return f"{self.get_reason_display()} report on post {self.reflection_id}"


class ModerationAction(models.Model):
    """The audit log: every moderation action, who took it, on what, and why. Never edited."""

    class Kind(models.TextChoices):
        DISMISS = "dismiss", "Dismissed reports"
        HIDE = "hide", "Hid a post"
        AUTO_HIDE = "auto_hide", "Hid a post automatically (report threshold)"
        RESTORE = "restore", "Restored a post"
        HIDE_REPLIES = "hide_replies", "Hid the replies to a hidden reflection"
        SHOW_REPLIES = "show_replies", "Showed the replies to a hidden reflection"
        EDIT = "edit", "Edited a post"
        DELETE = "delete", "Deleted a post permanently"
        LOCK = "lock", "Locked an activity"
        UNLOCK = "unlock", "Unlocked an activity"
        SUSPEND = "suspend", "Suspended a member"
        LIFT = "lift", "Lifted a suspension"
        DISMISS_REASON = "dismiss_reason", "Dismissed reports on a like's reason"
        REMOVE_REASON = "remove_reason", "Removed a like's reason"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reflection = models.ForeignKey(
        "community.Reflection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Kept when the post is deleted."
    )
    prompt = models.ForeignKey(
        "community.Prompt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "community_moderationaction"  # the table predates the moderation app
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

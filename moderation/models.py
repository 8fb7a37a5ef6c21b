"""Reports and the moderation audit log. Hidden state lives on the post itself (community)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Flag(models.Model):
    """A member's report of a post, or (``like`` set) of the reason someone gave for liking it.
    One per member per post, and one per member per reason. A reason's report names its post too
    (``reflection``) but never counts towards hiding the post (``open_flag_count``)."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        HARASSMENT = "harassment", _("Harassment or abuse")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report state", "Open")
        DISMISSED = "dismissed", pgettext_lazy("report state", "Dismissed")
        ACTIONED = "actioned", pgettext_lazy("report state", "Acted on")

    reflection = models.ForeignKey(
        "community.Reflection", on_delete=models.CASCADE, related_name="flags", verbose_name=_("reflection")
    )
    like = models.ForeignKey(
        "community.Like", null=True, blank=True, on_delete=models.CASCADE, related_name="flags",
        verbose_name=_("like"),
        help_text=_("Set when the report is about this like's reason, not about the post."),
    )  # fmt: skip
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="flags_made",
        verbose_name=_("reporter"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("resolved by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
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
        DISMISS = "dismiss", _("Dismissed reports")
        HIDE = "hide", _("Hid a post")
        AUTO_HIDE = "auto_hide", _("Hid a post automatically (report threshold)")
        RESTORE = "restore", _("Restored a post")
        HIDE_REPLIES = "hide_replies", _("Hid the replies to a hidden reflection")
        SHOW_REPLIES = "show_replies", _("Showed the replies to a hidden reflection")
        EDIT = "edit", _("Edited a post")
        DELETE = "delete", _("Deleted a post permanently")
        LOCK = "lock", _("Locked an activity")
        UNLOCK = "unlock", _("Unlocked an activity")
        SUSPEND = "suspend", _("Suspended a member")
        LIFT = "lift", _("Lifted a suspension")
        DISMISS_REASON = "dismiss_reason", _("Dismissed reports on a like's reason")
        REMOVE_REASON = "remove_reason", _("Removed a like's reason")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reflection = models.ForeignKey(
        "community.Reflection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reflection"),
    )  # fmt: skip
    post_id = models.PositiveBigIntegerField(
        _("post id"), null=True, blank=True, help_text=_("Kept when the post is deleted.")
    )
    prompt = models.ForeignKey(
        "community.Prompt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("prompt"),
    )  # fmt: skip
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("member"),
    )  # fmt: skip
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        db_table = "community_moderationaction"  # the table predates the moderation app
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

"""Notices to members, what they follow, and how they want to hear about it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications.kinds import Delivery, Group, Kind


class Subscription(models.Model):
    """A member's level for one conversation (thread) or one activity, in the style of Discourse:
    watching (every new post), normal (only replies to you and mentions), muted (nothing)."""

    class Level(models.TextChoices):
        WATCHING = "watching", pgettext_lazy("follow button", "Following")
        NORMAL = "normal", _("Not following")
        MUTED = "muted", _("Muted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    thread = models.ForeignKey(
        "community.Reflection", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("thread"),
    )  # fmt: skip
    prompt = models.ForeignKey(
        "community.Prompt", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("prompt"),
    )  # fmt: skip
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=True, prompt__isnull=False)
                | Q(thread__isnull=False, prompt__isnull=True),
                name="subscription_to_thread_or_activity",
            ),
            models.UniqueConstraint(fields=["user", "thread"], name="one_subscription_per_thread"),
            models.UniqueConstraint(fields=["user", "prompt"], name="one_subscription_per_activity"),
        ]
        indexes = [
            models.Index(fields=["thread", "level"], name="subscription_thread_level"),
            models.Index(fields=["prompt", "level"], name="subscription_prompt_level"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.level} {'thread ' + str(self.thread_id) if self.thread_id else 'activity ' + str(self.prompt_id)}"


class Notification(models.Model):
    """One notice to one member. Likes on a post are one notice, updated as more arrive."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("actor"),
    )  # fmt: skip
    reflection = models.ForeignKey(
        "community.Reflection", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("reflection"),
    )  # fmt: skip
    prompt = models.ForeignKey(
        "community.Prompt", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("prompt"),
    )  # fmt: skip
    # Others who did the same (likes): "<actor> and 3 others liked your reflection".
    others_count = models.PositiveIntegerField(_("others count"), default=0)
    text = models.CharField(
        _("text"), max_length=300, blank=True, help_text=_("For notices without a post (suspensions).")
    )
    # Where opening the notice goes instead of its post (a site path): "How did it go?" opens the
    # follow-up composer, the weekly summary its page (issue 25).
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-updated_at"], name="notification_recipient_recent"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """How a member hears about one group of notices by email (no row: the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="one_preference_per_group")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.group} {self.delivery}"

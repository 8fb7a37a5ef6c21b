from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Nudge(models.Model):
    """A facilitator's reminder to learners who have not reflected on an activity yet."""

    MESSAGE_MAX_LENGTH = 300

    prompt = models.ForeignKey(
        "community.Prompt", on_delete=models.CASCADE, related_name="+", verbose_name=_("prompt")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sender"),
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Nudge about {self.prompt_id} at {self.created_at:%Y-%m-%d %H:%M}"


class NudgeRecipient(models.Model):
    """One learner a nudge went to: at most one per learner per activity per day (services)."""

    nudge = models.ForeignKey(
        Nudge, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("nudge")
    )
    prompt = models.ForeignKey(
        "community.Prompt", on_delete=models.CASCADE, related_name="+", verbose_name=_("prompt")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("nudge recipient")
        verbose_name_plural = _("nudge recipients")
        indexes = [models.Index(fields=["prompt", "user", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} nudged about {self.prompt_id}"

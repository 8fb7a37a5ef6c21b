"""Follow-through (issue 25): "Come back to this" plans, and how many colleagues read a reflection."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """ "Come back to this": the day the author of a reflection wants to be asked "How did it go?".
    One per reflection; cancelling deletes it. ``reminded_at``: the notice was sent (the worker,
    once); ``followed_up_at``: the author wrote the follow-up (``community.Reflection.follows_up``)."""

    reflection = models.OneToOneField(
        "community.Reflection", on_delete=models.CASCADE, related_name="+", verbose_name=_("reflection")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    due_on = models.DateField(
        _("due on"), help_text=_("The day, in the member's time zone, to ask how it went.")
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(reminded_at__isnull=True, followed_up_at__isnull=True),
                name="plan_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"Come back to {self.reflection_id} on {self.due_on}"

    @property
    def followed_up(self) -> bool:
        return self.followed_up_at is not None


class ReadCount(models.Model):
    """ "Read by N colleagues": how many other members who may read the reflection opened its
    activity's space after it was posted (their latest visit, ``community.ActivityVisit``). Counted
    by the worker from the visits (``services.count_readers``), never from per-post reads."""

    reflection = models.OneToOneField(
        "community.Reflection",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("reflection"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    readers = models.PositiveIntegerField(_("readers"), default=0)
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("read count")
        verbose_name_plural = _("read counts")

    def __str__(self) -> str:
        return f"{self.reflection_id} read by {self.readers}"

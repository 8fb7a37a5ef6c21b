"""Learning records: each member's choices about them, and the outbox of xAPI statements.

A statement is written here in the transaction of what it records (a post, a like) or right after
a page was shown (a view), and the worker sends what is due to the Learning Record Store
(``services.send_due``). Nothing about the LRS happens in a request.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RecordSettings(models.Model):
    """A member's learning-record identity and consent. Made on first need, with nothing shared
    beyond the fact of each action: words go to the LRS only when the member ticks a box."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    # The actor's account name in every statement: opaque, stable, never the email or the row id.
    account_name = models.UUIDField(_("account name"), default=uuid.uuid4, unique=True, editable=False)
    share_reflection_text = models.BooleanField(
        _("include the words of my reflections and replies"),
        default=False,
        help_text=_("Your shared reflections and replies, as you posted them. Private reflections never go."),
    )
    share_like_reasons = models.BooleanField(
        _("include what I say when I like a post (“What helped you?”)"),
        default=False,
        help_text=_("Without it the record says only that you liked the post."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("learning-record settings")
        verbose_name_plural = _("learning-record settings")

    def __str__(self) -> str:
        return f"Learning-record settings of {self.user_id}"


class Statement(models.Model):
    """One xAPI statement, kept as sent (``payload``; its ``id`` is the statement's id, so the LRS
    stores a statement sent twice once). Waiting while ``sent_at`` is empty; a failed send waits
    until ``next_attempt_at`` (growing waits, ``services.backoff``)."""

    class Verb(models.TextChoices):
        # Translators: what a learning record says the member did (shown in Reflect, not sent).
        POSTED = "posted", pgettext_lazy("learning record verb", "posted a reflection")
        REPLIED = "replied", pgettext_lazy("learning record verb", "replied")
        LIKED = "liked", pgettext_lazy("learning record verb", "liked")
        VIEWED = "viewed", pgettext_lazy("learning record verb", "viewed an activity")
        COMPLETED = "completed", pgettext_lazy("learning record verb", "completed an activity")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    verb = models.CharField(_("verb"), max_length=12, choices=Verb.choices)
    # The activity it concerns (no foreign key: a record outlives a deleted activity).
    prompt_id = models.BigIntegerField(_("prompt id"), null=True, blank=True)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # Refused for good (invalid by Ralph's models, or the LRS answered 400 for it alone): kept to
    # be looked at, never sent again.
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            # What the worker sends next: the waiting rows, in the order they were written.
            models.Index(
                fields=["next_attempt_at", "created_at"],
                condition=Q(sent_at__isnull=True, rejected_at__isnull=True),
                name="statement_due",
            ),
            # A member's download; "viewed lately?" and "completed already?" per activity.
            models.Index(fields=["user", "created_at"], name="statement_member"),
            models.Index(fields=["user", "prompt_id", "verb", "created_at"], name="statement_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.verb} ({'sent' if self.sent_at else 'waiting'})"

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


class RecordSettings(models.Model):
    """A member's learning-record identity and consent. Made on first need, with nothing shared
    beyond the fact of each action: words go to the LRS only when the member ticks a box."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    # The actor's account name in every statement: opaque, stable, never the email or the row id.
    account_name = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    share_reflection_text = models.BooleanField(
        "include the words of my reflections and replies",
        default=False,
        help_text="Your shared reflections and replies, as you posted them. Private reflections never go.",
    )
    share_like_reasons = models.BooleanField(
        "include what I say when I like a post (“What helped you?”)",
        default=False,
        help_text="Without it the record says only that you liked the post.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Learning-record settings of {self.user_id}"


class Statement(models.Model):
    """One xAPI statement, kept as sent (``payload``; its ``id`` is the statement's id, so the LRS
    stores a statement sent twice once). Waiting while ``sent_at`` is empty; a failed send waits
    until ``next_attempt_at`` (growing waits, ``services.backoff``)."""

    class Verb(models.TextChoices):
        POSTED = "posted", "posted a reflection"
        REPLIED = "replied", "replied"
        LIKED = "liked", "liked"
        VIEWED = "viewed", "viewed an activity"
        COMPLETED = "completed", "completed an activity"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=12, choices=Verb.choices)
    # The activity it concerns (no foreign key: a record outlives a deleted activity).
    prompt_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    # Refused for good (invalid by Ralph's models, or the LRS answered 400 for it alone): kept to
    # be looked at, never sent again.
    rejected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
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

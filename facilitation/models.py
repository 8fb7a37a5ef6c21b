"""What a facilitator sets and writes to follow an activity through (issue 25)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

DEFAULT_WINDOW_HOURS = 48


class HeardSettings(models.Model):
    """ "Every reflection gets a response" for one activity (kept here, not on ``Prompt``, so the
    trunk has no column for a leaf's feature)."""

    prompt = models.OneToOneField(
        "community.Prompt", on_delete=models.CASCADE, primary_key=True, related_name="heard_settings"
    )
    enabled = models.BooleanField("every reflection gets a response", default=False)
    window_hours = models.PositiveIntegerField(
        "response window (hours)",
        default=DEFAULT_WINDOW_HOURS,
        help_text="If nobody has replied within this time, the reflection is offered to another colleague.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "heard settings"

    def __str__(self) -> str:
        return f"Every reflection heard in {self.prompt_id}: {'on' if self.enabled else 'off'}"


class ResponseOffer(models.Model):
    """A reflection offered to one colleague to respond to. At most one open offer per reflection;
    never offered twice to the same member."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting"
        ANSWERED = "answered", "Answered by them"
        HEARD = "heard", "Answered by someone else"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "No reply within the window"
        WITHDRAWN = "withdrawn", "Withdrawn (the post can no longer be answered)"

    reflection = models.ForeignKey("community.Reflection", on_delete=models.CASCADE, related_name="+")
    prompt = models.ForeignKey("community.Prompt", on_delete=models.CASCADE, related_name="+")
    offered_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    offered_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reflection"], condition=Q(state="open"), name="one_open_offer_per_reflection"
            ),
            models.UniqueConstraint(
                fields=["reflection", "offered_to"], name="one_offer_per_member_and_post"
            ),
        ]
        indexes = [
            models.Index(fields=["expires_at"], condition=Q(state="open"), name="offer_open_expiry"),
            models.Index(fields=["offered_to", "state"], name="offer_member_state"),
        ]

    def __str__(self) -> str:
        return f"Post {self.reflection_id} offered to {self.offered_to_id}: {self.state}"


class Summary(models.Model):
    """A facilitator's summary of an activity (what the group learned), pinned below the prompt."""

    prompt = models.OneToOneField("community.Prompt", on_delete=models.CASCADE, related_name="summary")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    body_html = models.TextField(default="")
    # Reflections quoted below the text, in order; each is shown to a viewer only through the read
    # rule (``visible_to``), and only shared-with-course ones may be chosen (``queries.quotable``).
    quoted_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    published_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "summaries"

    def __str__(self) -> str:
        return f"Summary of {self.prompt_id}"


class LibraryPrompt(models.Model):
    """An activity saved to its facilitator's library: used in any course they facilitate."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField()
    scaffold = models.CharField(max_length=20, blank=True, default="")
    custom_sections = models.TextField(blank=True)
    suggested_words = models.PositiveIntegerField(null=True, blank=True)
    independent_reflection = models.BooleanField(default=False)
    heard_enabled = models.BooleanField(default=False)
    heard_window_hours = models.PositiveIntegerField(default=DEFAULT_WINDOW_HOURS)
    # Settings the activity has beyond the columns above, by name (a prompt setting added later,
    # such as anonymous posting: ``services.EXTRA_SETTINGS``), kept and given back when they exist.
    extra_settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class LibraryRun(models.Model):
    """An activity that ran a library prompt (the one it was saved from, or one made from it)."""

    library_prompt = models.ForeignKey(LibraryPrompt, on_delete=models.CASCADE, related_name="runs")
    prompt = models.OneToOneField("community.Prompt", on_delete=models.CASCADE, related_name="library_run")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.library_prompt_id} ran as {self.prompt_id}"

"""What a facilitator sets and writes to follow an activity through (issue 25)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_WINDOW_HOURS = 48


class HeardSettings(models.Model):
    """ "Every reflection gets a response" for one activity (kept here, not on ``Prompt``, so the
    trunk has no column for a leaf's feature)."""

    prompt = models.OneToOneField(
        "community.Prompt",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="heard_settings",
        verbose_name=_("prompt"),
    )
    enabled = models.BooleanField(_("every reflection gets a response"), default=False)
    window_hours = models.PositiveIntegerField(
        _("response window (hours)"),
        default=DEFAULT_WINDOW_HOURS,
        help_text=_(
            "If nobody has replied within this time, the reflection is offered to another colleague."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("heard settings")
        verbose_name_plural = _("heard settings")

    def __str__(self) -> str:
        return f"Every reflection heard in {self.prompt_id}: {'on' if self.enabled else 'off'}"


class ResponseOffer(models.Model):
    """A reflection offered to one colleague to respond to. At most one open offer per reflection;
    never offered twice to the same member."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("response offer state", "Waiting")
        ANSWERED = "answered", pgettext_lazy("response offer state", "Answered by them")
        HEARD = "heard", pgettext_lazy("response offer state", "Answered by someone else")
        DECLINED = "declined", pgettext_lazy("response offer state", "Declined")
        EXPIRED = "expired", pgettext_lazy("response offer state", "No reply within the window")
        WITHDRAWN = (
            "withdrawn",
            pgettext_lazy("response offer state", "Withdrawn (the post can no longer be answered)"),
        )

    reflection = models.ForeignKey(
        "community.Reflection", on_delete=models.CASCADE, related_name="+", verbose_name=_("reflection")
    )
    prompt = models.ForeignKey(
        "community.Prompt", on_delete=models.CASCADE, related_name="+", verbose_name=_("prompt")
    )
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("offered to")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    offered_at = models.DateTimeField(_("offered at"))
    expires_at = models.DateTimeField(_("expires at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("response offer")
        verbose_name_plural = _("response offers")
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

    prompt = models.OneToOneField(
        "community.Prompt", on_delete=models.CASCADE, related_name="summary", verbose_name=_("prompt")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("body"))
    body_html = models.TextField(_("body html"), default="")
    # Reflections quoted below the text, in order; each is shown to a viewer only through the read
    # rule (``visible_to``), and only shared-with-course ones may be chosen (``queries.quotable``).
    quoted_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, verbose_name=_("quoted ids"))
    published_at = models.DateTimeField(_("published at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")

    def __str__(self) -> str:
        return f"Summary of {self.prompt_id}"


class LibraryPrompt(models.Model):
    """An activity saved to its facilitator's library: used in any course they facilitate."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    scaffold = models.CharField(_("scaffold"), max_length=20, blank=True, default="")
    custom_sections = models.TextField(_("custom sections"), blank=True)
    suggested_words = models.PositiveIntegerField(_("suggested words"), null=True, blank=True)
    independent_reflection = models.BooleanField(_("independent reflection"), default=False)
    heard_enabled = models.BooleanField(_("heard enabled"), default=False)
    heard_window_hours = models.PositiveIntegerField(_("heard window hours"), default=DEFAULT_WINDOW_HOURS)
    # Settings the activity has beyond the columns above, by name (a prompt setting added later,
    # such as anonymous posting: ``services.EXTRA_SETTINGS``), kept and given back when they exist.
    extra_settings = models.JSONField(_("extra settings"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("library prompt")
        verbose_name_plural = _("library prompts")

    def __str__(self) -> str:
        return self.title


class LibraryRun(models.Model):
    """An activity that ran a library prompt (the one it was saved from, or one made from it)."""

    library_prompt = models.ForeignKey(
        LibraryPrompt, on_delete=models.CASCADE, related_name="runs", verbose_name=_("library prompt")
    )
    prompt = models.OneToOneField(
        "community.Prompt", on_delete=models.CASCADE, related_name="library_run", verbose_name=_("prompt")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("library run")
        verbose_name_plural = _("library runs")

    def __str__(self) -> str:
        return f"{self.library_prompt_id} ran as {self.prompt_id}"

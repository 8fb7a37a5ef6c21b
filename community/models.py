from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from community.querysets import Negated, PromptQuerySet, ReflectionManager
from core.search_text import RegConfigField, html_document, search_config
from core.text import word_count_expression


class Prompt(models.Model):
    """A facilitator's opening post in a lesson's space: a welcome and a reflective question."""

    lesson = models.ForeignKey(
        "lessons.Lesson", on_delete=models.CASCADE, related_name="prompts", verbose_name=_("lesson")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prompts", verbose_name=_("author")
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("The reflective question, e.g. “What lets a workplace learn from its mistakes?”"),
    )
    body = models.TextField(_("body"), help_text=_("Markdown: the welcome and the activity."))
    body_html = models.TextField(editable=False, default="")
    is_pinned = models.BooleanField(
        pgettext_lazy("post state", "pinned"), default=False, help_text=_("Pinned prompts come first.")
    )
    pin_position = models.PositiveIntegerField(
        _("pin position"), default=0, help_text=_("Order among pinned prompts (lowest first).")
    )
    is_locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A locked prompt takes no new reflections or replies.")
    )
    independent_reflection = models.BooleanField(
        _("learners see others' reflections after posting their own"),
        default=False,
        help_text=_("Learners must reflect before they can read their colleagues' reflections."),
    )
    # Reflection tools (composer): a structured model to write in, and a length to aim for.
    scaffold = models.CharField(
        _("scaffold"), max_length=20, blank=True, default="", choices=[
            ("", _("None: free writing")),
            ("gibbs", _("Gibbs' reflective cycle")),
            ("kolb", _("Kolb's experiential learning cycle")),
            ("rolfe", _("Rolfe: What? So what? Now what?")),
            # Translators: CPD = continuing professional development.
            ("cpd", _("CPD reflection")),
            ("custom", _("Your own sections (below)")),
        ],
        help_text=_("Learners see one field per section; the post is stored as Markdown with a heading per section."),
    )  # fmt: skip
    custom_sections = models.TextField(
        _("custom sections"),
        blank=True,
        help_text=_("For “Your own sections”: one per line, “Heading | guiding question”."),
    )
    suggested_words = models.PositiveIntegerField(
        _("suggested words"),
        null=True,
        blank=True,
        # Translators: "Aim for at least N words" is quoted from the composer; N stays a letter.
        help_text=_("Shown as “Aim for at least N words” (guidance, not a limit)."),
    )

    class AnonymousPosting(models.TextChoices):
        OFF = "off", _("Off: every post shows its author's name")
        ALLOWED = "allowed", _("Allowed: learners may post anonymously to colleagues")
        ALWAYS = "always", _("Always: learners' posts are anonymous to colleagues")

    # Anonymous to colleagues (issue 23): colleagues see "Colleague 4"; facilitators, moderators
    # and staff see the name (community.bylines).
    anonymous_posting = models.CharField(
        _("anonymous posting"),
        max_length=8,
        choices=AnonymousPosting.choices,
        default=AnonymousPosting.OFF,
        help_text=_(
            "Facilitators and moderators always see who wrote a post; colleagues see a "
            "pseudonym such as “Colleague 4”, the same for one member throughout this activity."
        ),
    )
    reflection_count = models.PositiveIntegerField(
        _("reflection count"),
        default=0,
        editable=False,
        help_text=_("Live, shared, shown top-level reflections (kept by the services; resync_counts)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The course's text-search configuration, kept by the database (core.search_text, decision 112).
    search_config = RegConfigField(default=search_config, editable=False)
    # Full-text search (the search app): the title above the words of the welcome.
    search_vector = models.GeneratedField(
        expression=html_document(title="title", html=("body_html",)),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PromptQuerySet.as_manager()

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        ordering = ["-is_pinned", "pin_position", "created_at"]
        indexes = [
            models.Index(fields=["lesson", "is_pinned", "pin_position", "created_at"]),
            GinIndex(fields=["search_vector"], name="prompt_search"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        lesson = self.lesson
        return reverse(
            "community:prompt-detail",
            kwargs={"course_slug": lesson.course.slug, "lesson_slug": lesson.slug, "prompt_id": self.pk},
        )


class Reflection(models.Model):
    """A learner's answer to a prompt, or a reply to another reflection.

    Replies are shown flat under the top-level reflection that starts their thread (``thread``);
    ``parent`` is the post they answer, shown as "in reply to <name>" when it is not the thread.
    """

    prompt = models.ForeignKey(
        Prompt, on_delete=models.CASCADE, related_name="reflections", verbose_name=_("prompt")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reflections",
        verbose_name=_("author"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("parent"),
    )
    thread = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="thread_replies",
        verbose_name=_("thread"),
    )
    body = models.TextField(_("body"))
    body_html = models.TextField(_("body html"), default="")
    # Content note (issue 23): others see it first and choose to read on; search and notifications
    # show it instead of the text.
    content_note = models.CharField(_("content note"), max_length=80, blank=True)
    # Anonymous to colleagues (issue 23): shown to them as "Colleague <pseudonym>" (community.bylines).
    anonymous = models.BooleanField(_("anonymous to colleagues"), default=False)
    pseudonym = models.PositiveSmallIntegerField(_("pseudonym"), null=True, blank=True, editable=False)
    like_count = models.PositiveIntegerField(_("like count"), default=0)
    reply_count = models.PositiveIntegerField(
        _("reply count"), default=0, help_text=_("Replies in this thread (top-level only).")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    # Moderation: a hidden post keeps its text; its author and moderators still see it.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.CharField(_("hidden reason"), max_length=500, blank=True)
    # A hidden reflection leaves a placeholder with its replies under it for everyone else, unless
    # the moderator hid the whole conversation (its replies too).
    hidden_with_replies = models.BooleanField(_("replies hidden too"), default=False)
    # Private first, shared by choice: a private reflection is its author's alone until shared.
    is_private = models.BooleanField(_("private"), default=False)
    shared_at = models.DateTimeField(
        _("shared at"), null=True, blank=True, help_text=_("When a private reflection was shared.")
    )

    class Audience(models.TextChoices):
        # Translators: who reads a shared post: "Shared with: the course".
        COURSE = "course", _("the course")
        FACILITATORS = "facilitators", _("the facilitators only")

    # Who reads a shared post (issue 23, the read rule): the course, or only the course's
    # facilitators (with moderators and staff), its author and ``private_to`` (a private reply:
    # the author of the post it answers).
    audience = models.CharField(
        _("audience"), max_length=12, choices=Audience.choices, default=Audience.COURSE
    )
    private_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("private to"),
    )
    # --- Follow-through (issue 25, the followthrough app): a follow-up is its author's reply to
    # their own reflection ("How did it go?"), with the original's sharing (``create_reflection``),
    # so the read rule gives it exactly the original's readers.
    follows_up = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("follows up"),
    )
    # --- end follow-through
    highlighted_at = models.DateTimeField(_("highlighted at"), null=True, blank=True)
    highlighted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("highlighted by"),
    )
    open_flag_count = models.PositiveIntegerField(
        _("open flag count"), default=0, help_text=_("Open reports from distinct members.")
    )
    # Sent by the form so that a double-click cannot post twice (see services.create_reflection).
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The course's text-search configuration, kept by the database (core.search_text, decision 112).
    search_config = RegConfigField(default=search_config, editable=False)
    # Full-text search (the search app): the words the post shows; empty once it is deleted.
    search_vector = models.GeneratedField(
        expression=html_document(html=("body_html",)), output_field=SearchVectorField(), db_persist=True
    )

    # Words written (core.text: the composer and exports count the same way); 0 once deleted.
    word_count = models.GeneratedField(
        expression=word_count_expression("body"), output_field=models.IntegerField(), db_persist=True
    )

    objects = ReflectionManager()

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["created_at", "id"]
        indexes = [
            # The space page's orders (querysets.THREAD_ORDERS): each page is one index range
            # scan from a row comparison on the order's whole key, however deep the page.
            models.Index(
                fields=["prompt", "created_at", "id"],
                condition=Q(thread__isnull=True),
                name="reflection_top_level",
            ),
            models.Index(
                F("prompt"),
                Negated(F("like_count")),
                F("created_at"),
                F("id"),
                condition=Q(thread__isnull=True),
                name="reflection_top_liked",
            ),  # fmt: skip
            models.Index(
                fields=["prompt", "highlighted_at", "id"],
                condition=Q(thread__isnull=True, highlighted_at__isnull=False),
                name="reflection_top_highlighted",
            ),
            models.Index(fields=["thread", "created_at"], name="reflection_thread_order"),
            # Posts of an activity since a moment: "N new since your last visit" (space_page._new_posts).
            models.Index(fields=["prompt", "created_at"], name="reflection_prompt_since"),
            # … and private reflections shared since (they keep their date: querysets.arrived_after).
            models.Index(
                fields=["prompt", "shared_at"],
                condition=Q(shared_at__isnull=False),
                name="reflection_prompt_shared",
            ),
            # The few top-level posts outside Prompt.reflection_count that some viewers still see
            # (their own private or hidden ones, moderators every hidden one, removed posts'
            # placeholders): counted per page (space_page.uncounted_visible).
            models.Index(
                fields=["prompt"],
                condition=Q(thread__isnull=True)
                & (
                    Q(is_private=True)
                    | ~Q(audience="course")
                    | Q(hidden_at__isnull=False)
                    | Q(deleted_at__isnull=False)
                ),
                name="reflection_uncounted",
            ),
            # Conversations hidden whole, read as a set by ``visible_to`` (their replies with them).
            models.Index(
                fields=["id"],
                condition=Q(thread__isnull=True, hidden_at__isnull=False, hidden_with_replies=True),
                name="reflection_hidden_whole",
            ),
            GinIndex(fields=["search_vector"], name="reflection_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, thread__isnull=True)
                | Q(parent__isnull=False, thread__isnull=False),
                name="reflection_reply_has_thread",
            ),
            models.CheckConstraint(  # a follow-up answers the reflection it follows up
                condition=Q(follows_up__isnull=True) | Q(parent=F("follows_up")),
                name="reflection_follow_up_is_reply",
            ),
        ]

    def __str__(self) -> str:
        if self.is_reply:
            return gettext("Reply %(id)s by %(author)s") % {"id": self.pk, "author": self.author_id}
        return gettext("Reflection %(id)s by %(author)s") % {"id": self.pk, "author": self.author_id}

    def get_absolute_url(self) -> str:
        return reverse("community:post", kwargs={"post_id": self.pk})

    @property
    def is_reply(self) -> bool:
        return self.thread_id is not None

    @property
    def follow_up_gap(self) -> str:
        """ "3 weeks later": how long after the reflection it follows up this follow-up was
        written (its ``parent``, read with it); "" for any other post."""
        if self.follows_up_id is None:
            return ""
        from core.dates import time_later

        return time_later(self.parent.created_at, self.created_at)

    @property
    def removed_by_moderator(self) -> bool:
        return self.is_deleted and self.deleted_by_id != self.author_id

    @property
    def for_facilitators(self) -> bool:
        """Shared with the course's facilitators only (a private reply too)."""
        return self.audience == self.Audience.FACILITATORS

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def anchor(self) -> str:
        return f"post-{self.pk}"

    @property
    def pseudonym_label(self) -> str:
        """ "Colleague 4": how colleagues see the author of an anonymous post ("" otherwise)."""
        if self.anonymous and self.pseudonym:
            # Translators: the name an anonymous author has for colleagues in one activity.
            return gettext("Colleague %(number)s") % {"number": self.pseudonym}
        return ""


class Pseudonym(models.Model):
    """A member's name to colleagues in one activity where they post anonymously ("Colleague 4"):
    the same for all their posts there, a different one in every activity. Never reused."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="+", verbose_name=_("prompt"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        verbose_name = _("pseudonym")
        verbose_name_plural = _("pseudonyms")
        constraints = [
            models.UniqueConstraint(fields=["prompt", "user"], name="one_pseudonym_per_activity"),
            models.UniqueConstraint(fields=["prompt", "number"], name="pseudonym_numbers_unique"),
        ]

    def __str__(self) -> str:
        return gettext("Colleague %(number)s in %(prompt)s") % {
            "number": self.number,
            "prompt": self.prompt_id,
        }


class Like(models.Model):
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="likes", verbose_name=_("reflection")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # "What helped you?": optional, seen by the post's author only (others see the count).
    reason = models.CharField(_("reason"), max_length=140, blank=True)
    reason_html = models.TextField(_("reason html"), blank=True, default="")
    reason_updated_at = models.DateTimeField(_("reason updated at"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("noun", "like")
        verbose_name_plural = pgettext_lazy("noun", "likes")
        constraints = [models.UniqueConstraint(fields=["reflection", "user"], name="one_like_per_member")]

    def __str__(self) -> str:
        return gettext("%(user)s likes %(post)s") % {"user": self.user_id, "post": self.reflection_id}


class Revision(models.Model):
    """The text a post had before an edit, by its author or a moderator."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("reflection")
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("editor"),
    )
    previous_body = models.TextField(_("previous body"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return gettext("Revision of post %(post)s at %(moment)s") % {
            "post": self.reflection_id,
            "moment": f"{self.created_at:%Y-%m-%d %H:%M}",
        }


class ActivityVisit(models.Model):
    """When a member last opened an activity's space: what was posted after it is "new" to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="+", verbose_name=_("prompt"))
    visited_at = models.DateTimeField(_("visited at"))

    class Meta:
        verbose_name = _("activity visit")
        verbose_name_plural = _("activity visits")
        constraints = [models.UniqueConstraint(fields=["user", "prompt"], name="one_visit_row_per_activity")]

    def __str__(self) -> str:
        return gettext("%(user)s visited %(prompt)s at %(moment)s") % {
            "user": self.user_id,
            "prompt": self.prompt_id,
            "moment": f"{self.visited_at:%Y-%m-%d %H:%M}",
        }


class Draft(models.Model):
    """What a member has typed in a composer and not yet posted: one per member per activity (and
    per post they reply to). Only its author ever reads it; posting clears it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="+", verbose_name=_("prompt"))
    parent = models.ForeignKey(
        Reflection,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("parent"),
    )
    # The composer's fields by name: {"body": "…"} or one entry per scaffold section.
    fields = models.JSONField(_("fields"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "prompt", "parent"], nulls_distinct=False, name="one_draft_per_composer"
            )
        ]

    def __str__(self) -> str:
        return gettext("Draft by %(user)s in %(prompt)s") % {"user": self.user_id, "prompt": self.prompt_id}

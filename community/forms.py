import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from community import scaffolds
from core.markdown import mentioned_handles, render
from core.text import count_words

FREE, SECTIONS = "free", "sections"
CONTENT_NOTE_MAX = 80  # Reflection.content_note


class ReflectionForm(forms.Form):
    """A reflection, a reply or an edit: Markdown text plus a key that makes double-posts harmless.

    With ``sections`` (the activity's scaffold) the composer shows one field per section instead of
    ``body`` until the member chooses "Write freely instead" (``mode``); either way what is posted,
    previewed and kept as a draft is one Markdown text (``text()``, ``scaffolds.compose``).
    """

    # A plain textarea: the composer's one preview is its Preview button (rendered by the server,
    # with or without JavaScript), not markdownx's live pane, which showed the text twice.
    body = forms.CharField(
        widget=forms.Textarea,
        label=gettext_lazy("Your reflection"),
        strip=True,
        required=False,  # checked in clean_body with a friendlier message
        help_text=gettext_lazy(
            "Markdown works: **bold**, *italic*, lists (1. or -), > quotes, [links](https://…), @handle."
        ),
    )
    # Content note (issue 23): others see it first and choose to read on.
    content_note = forms.CharField(
        label=gettext_lazy("Content note (optional)"),
        required=False,
        strip=True,
        max_length=CONTENT_NOTE_MAX,
        help_text=gettext_lazy("e.g. mentions bereavement: others see this first and choose to read on"),
        error_messages={
            "max_length": gettext_lazy(
                "Keep the content note to %(limit_value)d characters (it has %(show_value)d): "
                "a few words are enough."
            )
        },
    )
    # Anonymous to colleagues (issue 23): only where the activity allows it (``anonymity``).
    anonymous = forms.BooleanField(
        label=gettext_lazy("Post anonymously to colleagues"),
        required=False,
        help_text=gettext_lazy(
            "Your colleagues see a name such as “Colleague 4” instead of yours. "
            "Facilitators and moderators still see who wrote it."
        ),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    mode = forms.ChoiceField(
        choices=[(FREE, FREE), (SECTIONS, SECTIONS)], widget=forms.HiddenInput, required=False
    )

    def __init__(
        self,
        *args,
        label: str | None = None,
        sections: tuple[scaffolds.Section, ...] = (),
        aim: int | None = None,
        scaffold_name: str = "",
        anonymity: str = "",
        extras: tuple = (),
        **kwargs,
    ):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        # "allowed": the checkbox; "always": a note that every post here is; "": neither
        # (``permissions.offers_anonymity``: the activity and the member).
        self.anonymity = anonymity
        if anonymity != "allowed":
            del self.fields["anonymous"]
        if label:
            self.fields["body"].label = label
        widget = self.fields["body"].widget
        # No maxlength: a browser would silently cut pasted text; the server explains instead.
        widget.attrs.update({"rows": 6})
        self.sections = tuple(sections)
        self.aim = aim or None
        self.scaffold_name = scaffold_name
        for number, section in enumerate(self.sections, 1):
            self.fields[f"section_{number}"] = forms.CharField(
                label=section.heading,
                help_text=section.question,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "data-section": number}),
            )
        # Fields other apps add to the activity's composer (``community.composer_fields``).
        self.extras = tuple(extras)
        for extra in self.extras:
            self.fields.update(extra.fields)
        mode = self.data.get(self.add_prefix("mode")) if self.is_bound else self.initial.get("mode")
        self.in_sections = bool(self.sections) and mode != FREE
        if not self.is_bound:
            self.initial["mode"] = SECTIONS if self.in_sections else FREE

    # --- The text, whichever way it is being written ---

    def section_fields(self) -> list:
        return [self[f"section_{number}"] for number in range(1, len(self.sections) + 1)]

    def _raw(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "") or ""
        return self.initial.get(name, "") or ""

    def section_values(self) -> list[str]:
        return [self._raw(f"section_{number}") for number in range(1, len(self.sections) + 1)]

    def text(self) -> str:
        """The Markdown this composer holds now, valid or not (preview, drafts, switching)."""
        if self.in_sections:
            return scaffolds.compose(self.sections, self.section_values())
        return self._raw("body")

    def words(self) -> int:
        """The member's own words (a scaffold's headings are not counted)."""
        if self.in_sections:
            return scaffolds.words_written(self.section_values())
        return count_words(self._raw("body"))

    def draft_fields(self) -> dict:
        """What a draft keeps: the Markdown, whether it was written in the sections, the content note."""
        fields = {"body": self.text(), "mode": SECTIONS if self.in_sections else FREE}
        if "content_note" in self.fields and self._raw("content_note").strip():
            fields["content_note"] = self._raw("content_note").strip()[:CONTENT_NOTE_MAX]
        if "anonymous" in self.fields and self._raw("anonymous"):
            fields["anonymous"] = True
        return fields

    @property
    def wants_anonymity(self) -> bool:
        """The member ticked "Post anonymously to colleagues" (valid forms only)."""
        return bool(self.cleaned_data.get("anonymous"))

    def switched(self, to: str) -> "ReflectionForm":
        """This composer the other way round ("Write freely instead" / "Use the sections"), unbound,
        keeping every word and the submission key."""
        initial = {"submission_key": self._raw("submission_key") or uuid.uuid4()}
        initial.update(initial_from_draft(self.sections, {**self.draft_fields(), "mode": to}))
        return type(self)(
            initial=initial, label=self.fields["body"].label, sections=self.sections, aim=self.aim,
            scaffold_name=self.scaffold_name, prefix=self.prefix, anonymity=self.anonymity,
            extras=self.extras,
        )  # fmt: skip

    # --- Validation ---

    def clean_body(self) -> str:
        if self.in_sections:
            return ""  # the sections are checked together in clean()
        return self._checked(self.cleaned_data.get("body", ""))

    def clean(self):
        cleaned = super().clean()
        if self.in_sections:
            values = [cleaned.get(f"section_{n}", "") for n in range(1, len(self.sections) + 1)]
            try:
                cleaned["body"] = self._checked(scaffolds.compose(self.sections, values))
            except forms.ValidationError as error:
                self.add_error(None, error)
        for extra in self.extras:
            if extra.clean is not None and not any(name in self.errors for name in extra.names):
                try:
                    extra.clean(cleaned)
                except forms.ValidationError as error:
                    self.add_error(extra.error_field or None, error)
        return cleaned

    def extras_data(self) -> dict:
        """The registered extra fields' cleaned values (``services.create_reflection(extras=…)``)."""
        return {name: self.cleaned_data.get(name) for extra in self.extras for name in extra.names}

    def _checked(self, body: str) -> str:
        if not body.strip():
            raise forms.ValidationError(_("Write something before posting — your reflection is empty."))
        limit = settings.REFLECTION_MAX_LENGTH
        if len(body) > limit:
            raise forms.ValidationError(
                ngettext(
                    "Your text is %(count)s character long; the limit is %(limit)s. "
                    "Shorten it a little and post again — nothing you wrote has been lost.",
                    "Your text is %(count)s characters long; the limit is %(limit)s. "
                    "Shorten it a little and post again — nothing you wrote has been lost.",
                    len(body),
                )
                % {"count": f"{len(body):,}", "limit": f"{limit:,}"}
            )
        rendering = render(body)
        if not rendering.has_visible_text:
            raise forms.ValidationError(
                _(
                    "Your reflection has no visible text — only spaces, invisible characters or formatting. "
                    "Add some words and post again; what you typed is still here."
                )
            )
        links, link_limit = rendering.link_count, settings.MAX_LINKS_PER_POST
        if links > link_limit:
            raise forms.ValidationError(
                ngettext(
                    "Your post has %(count)s link; the limit is %(limit)s. "
                    "Remove some and post again — nothing you wrote has been lost.",
                    "Your post has %(count)s links; the limit is %(limit)s. "
                    "Remove some and post again — nothing you wrote has been lost.",
                    links,
                )
                % {"count": f"{links:,}", "limit": f"{link_limit:,}"}
            )
        mentions, mention_limit = len(mentioned_handles(body)), settings.MAX_MENTIONS_PER_POST
        if mentions > mention_limit:
            raise forms.ValidationError(
                ngettext(
                    "Your post mentions %(count)s person; the limit is %(limit)s. "
                    "Mention fewer @handles and post again — nothing you wrote has been lost.",
                    "Your post mentions %(count)s people; the limit is %(limit)s. "
                    "Mention fewer @handles and post again — nothing you wrote has been lost.",
                    mentions,
                )
                % {"count": f"{mentions:,}", "limit": f"{mention_limit:,}"}
            )
        return body


class ReflectionEditForm(ReflectionForm):
    """An edit: the text plus the version of the post the editor started from (``body_version``
    of the saved text when the page was opened), so a save from a stale tab can be caught."""

    base_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


def initial_from_draft(sections: tuple[scaffolds.Section, ...], fields: dict) -> dict:
    """A composer's initial values from a draft's ``fields`` (``ReflectionForm.draft_fields``):
    the sections when it was written in them and the activity has sections, else free text."""
    body = str(fields.get("body") or "")
    note = {"content_note": str(fields["content_note"])} if fields.get("content_note") else {}
    if fields.get("anonymous"):
        note["anonymous"] = True
    if sections and fields.get("mode") != FREE:
        values = scaffolds.split(sections, body)
        return {"mode": SECTIONS, **note, **{f"section_{n}": value for n, value in enumerate(values, 1)}}
    return {"mode": FREE, "body": body, **note}


class LikeReasonForm(forms.Form):
    """ "What helped you?": optional, one short line (an empty reason takes it back)."""

    reason = forms.CharField(
        label=gettext_lazy("What helped you?"),
        required=False,
        strip=True,
        max_length=140,
        help_text=gettext_lazy(
            "Optional, at most 140 characters. Only the author sees it; others see the like count."
        ),
        error_messages={
            "max_length": gettext_lazy(
                "Keep it to %(limit_value)d characters (it has %(show_value)d): shorten it and save again."
            )
        },
    )

    def __init__(self, *args, post_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if post_id is not None:
            self.auto_id = f"id_%s_{post_id}"  # one form per liked post on the page: unique ids

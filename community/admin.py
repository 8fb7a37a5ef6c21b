from django import forms
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from markdownx.admin import MarkdownxModelAdmin

from community import scaffolds, services
from community.models import Like, Prompt, Reflection, Revision

MAX_SUGGESTED_WORDS = 5_000


@admin.action(description=_("Pin selected prompts"))
def pin_prompts(modeladmin, request, queryset):
    for prompt in queryset.filter(is_pinned=False):
        services.update_prompt(prompt=prompt, is_pinned=True)


@admin.action(description=_("Unpin selected prompts"))
def unpin_prompts(modeladmin, request, queryset):
    for prompt in queryset.filter(is_pinned=True):
        services.update_prompt(prompt=prompt, is_pinned=False)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are written by the services only; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PromptAdminForm(forms.ModelForm):
    """The composer settings checked where the facilitator types them."""

    class Meta:
        model = Prompt
        fields = ("scaffold", "custom_sections", "suggested_words")  # the admin adds its fieldsets' fields
        widgets = {"custom_sections": forms.Textarea(attrs={"rows": 6})}  # not a Markdown editor

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scaffold") == "custom":
            try:
                scaffolds.parse_custom_sections(cleaned.get("custom_sections", ""))
            except scaffolds.SectionsError as error:
                self.add_error("custom_sections", str(error))
        words = cleaned.get("suggested_words")
        if words is not None and not 1 <= words <= MAX_SUGGESTED_WORDS:
            self.add_error(
                "suggested_words",
                gettext("Suggest between 1 and %(most)s words, or leave it empty for no suggestion.")
                % {"most": f"{MAX_SUGGESTED_WORDS:,}"},
            )
        return cleaned


# --- Inlines other apps add to the prompt's admin (issue 25) -------------------------------------
# A leaf (facilitation: "Every reflection gets a response") registers an inline here; PromptAdmin
# and moderation's re-registration (a subclass) both show them. An inline writes through its app's
# services (its formset's ``save``).
PROMPT_INLINES: list = []


def register_prompt_inline(inline) -> None:
    if inline not in PROMPT_INLINES:
        PROMPT_INLINES.append(inline)


# --- end prompt inlines ----------------------------------------------------------------------------


@admin.register(Prompt)
class PromptAdmin(MarkdownxModelAdmin):
    form = PromptAdminForm
    list_display = (
        "title",
        "lesson",
        "is_pinned",
        "pin_position",
        "is_locked",
        "independent_reflection",
        "anonymous_posting",
        "author",
        "created_at",
    )
    list_editable = ("is_pinned", "pin_position")
    list_filter = (
        "is_pinned", "is_locked", "independent_reflection", "anonymous_posting", "lesson__course", "lesson",
    )  # fmt: skip
    list_select_related = ("lesson__course", "author")
    search_fields = ("title", "body", "lesson__title")
    autocomplete_fields = ("lesson",)
    actions = [pin_prompts, unpin_prompts]
    # Locking is a moderation action with an audit-log entry: moderation/admin.py adds it.
    readonly_fields = ("is_locked",)
    fieldsets = (
        (None, {"fields": ("lesson", "title", "body")}),
        (_("In the space"), {"fields": ("is_pinned", "pin_position", "is_locked", "independent_reflection")}),
        (_("Safe to be honest"), {"fields": ("anonymous_posting",)}),
        (_("The learners' composer"), {"fields": ("scaffold", "custom_sections", "suggested_words")}),
    )
    view_on_site = True

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *PROMPT_INLINES]  # other apps' (PROMPT_INLINES)

    def save_model(self, request, obj, form, change):
        """Through the services: the one Markdown pipeline, and the author's post count."""
        fields = {
            name: form.cleaned_data[name] for name in form.cleaned_data if name in services.PROMPT_FIELDS
        }
        if change:
            services.update_prompt(prompt=obj, **fields)
        else:
            created = services.create_prompt(author=request.user, **fields)
            obj.pk, obj.author, obj.body_html = created.pk, created.author, created.body_html

    def delete_model(self, request, obj):
        """Through the service: the activity's space goes with it and only the post counts it held
        are recounted (its author's and its posters'), not every counter on the site."""
        services.delete_prompts(prompts=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_prompts(prompts=queryset)


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "prompt", "author", "like_count", "created_at", "edited_at", "deleted_at")
    list_filter = ("prompt__lesson__course", "deleted_at")
    list_select_related = ("prompt", "author")
    search_fields = ("body", "author__handle", "author__display_name")
    # A post's words change only in the space (its author) or on /moderation/ (a moderator), both of
    # which keep a revision, and the latter an audit-log entry; here they are read-only.
    readonly_fields = (
        "prompt",
        "author",
        "parent",
        "thread",
        "body",
        "body_html",
        "like_count",
        "reply_count",
        "created_at",
        "edited_at",
        "deleted_at",
        "anonymous",
        "pseudonym",
    )
    fields = (
        "prompt",
        "author",
        "anonymous",
        "pseudonym",
        "parent",
        "thread",
        "body",
        "body_html",
        "like_count",
        "reply_count",
        "created_at",
        "edited_at",
        "deleted_at",
    )

    def has_add_permission(self, request):
        return False  # reflections are written in the space, by their authors

    def has_delete_permission(self, request, obj=None):
        return False  # deleting is a moderator's permanent delete on /moderation/ (logged, counted)

    def get_queryset(self, request):
        """The one read rule here too: a facilitator does not read hidden posts' text in the admin
        (only their authors and moderators may), so the list, the search and the page leave them out."""
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=Reflection.objects.visible_to(request.user).values("pk"))
        )

    def get_object(self, request, object_id, from_field=None):
        post = super().get_object(request, object_id, from_field)
        if post is None:
            raise Http404(gettext("No such post."))  # as elsewhere: a post you may not read does not exist
        return post

    def changelist_view(self, request, extra_context=None):
        """Private reflections are their authors' alone: staff see only how many there are."""
        private = Reflection.objects.filter(is_private=True).exclude(author_id=request.user.pk).count()
        return super().changelist_view(request, {**(extra_context or {}), "private_count": private})


@admin.register(Like)
class LikeAdmin(ReadOnlyAdmin):
    """Likes are given and taken back in the space (community.services keeps like_count)."""

    list_display = ("reflection", "user", "created_at")
    list_select_related = ("reflection", "user")
    # A like's reason is for the post's author only; a reported one is on /moderation/.
    exclude = ("reason", "reason_html")


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "reflection", "editor")
    list_select_related = ("reflection", "editor")

    def get_queryset(self, request):
        """Earlier text of the posts the viewer may read only (not a private reflection's)."""
        visible = Reflection.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(reflection__in=visible)

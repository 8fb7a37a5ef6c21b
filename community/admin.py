from django.contrib import admin, messages
from markdownx.admin import MarkdownxModelAdmin

from community.models import Flag, Like, ModerationAction, Prompt, Reflection, Revision
from community.moderation import log_action, set_prompt_lock
from community.services import adjust_post_count, render_post, resync_counts


@admin.action(description="Pin selected prompts")
def pin_prompts(modeladmin, request, queryset):
    queryset.update(is_pinned=True)


@admin.action(description="Unpin selected prompts")
def unpin_prompts(modeladmin, request, queryset):
    queryset.update(is_pinned=False)


def _lock_action(locked: bool, description: str):
    """Locking goes through the moderation service, so the audit log records it."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        for prompt in queryset:
            set_prompt_lock(
                prompt=prompt, moderator=request.user, locked=locked, reason="Changed in the admin"
            )

    action.__name__ = "lock_prompts" if locked else "unlock_prompts"
    return action


@admin.register(Prompt)
class PromptAdmin(MarkdownxModelAdmin):
    list_display = (
        "title",
        "lesson",
        "is_pinned",
        "pin_position",
        "is_locked",
        "independent_reflection",
        "author",
        "created_at",
    )
    list_editable = ("is_pinned", "pin_position")
    list_filter = ("is_pinned", "is_locked", "independent_reflection", "lesson__course", "lesson")
    list_select_related = ("lesson__course", "author")
    search_fields = ("title", "body", "lesson__title")
    autocomplete_fields = ("lesson",)
    actions = [
        pin_prompts,
        unpin_prompts,
        _lock_action(True, "Lock selected prompts (no new reflections)"),
        _lock_action(False, "Unlock selected prompts"),
    ]
    fieldsets = (
        (None, {"fields": ("lesson", "title", "body")}),
        ("In the space", {"fields": ("is_pinned", "pin_position", "is_locked", "independent_reflection")}),
    )
    view_on_site = True

    def save_model(self, request, obj, form, change):
        obj.body_html = render_post(obj.body)
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        if not change:
            adjust_post_count(request.user.pk, +1)
        if change and "is_locked" in form.changed_data:
            kind = ModerationAction.Kind.LOCK if obj.is_locked else ModerationAction.Kind.UNLOCK
            log_action(kind, actor=request.user, prompt=obj, reason="Changed in the admin")

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        resync_counts()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        resync_counts()
        messages.info(request, "Post and like counts were recounted.")


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "prompt", "author", "like_count", "created_at", "edited_at", "deleted_at")
    list_filter = ("prompt__lesson__course", "deleted_at")
    list_select_related = ("prompt", "author")
    search_fields = ("body", "author__handle", "author__display_name")
    readonly_fields = (
        "prompt",
        "author",
        "parent",
        "thread",
        "body_html",
        "like_count",
        "reply_count",
        "created_at",
        "edited_at",
        "deleted_at",
    )
    fields = (
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
    )

    def has_add_permission(self, request):
        return False  # reflections are written in the space, by their authors


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
    list_display = ("reflection", "user", "created_at")
    list_select_related = ("reflection", "user")
    raw_id_fields = ("reflection", "user")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are written by the moderation services only; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "kind", "post_id", "member", "prompt", "reason")
    list_filter = ("kind",)
    list_select_related = ("actor", "member", "prompt")
    search_fields = ("reason", "actor__handle", "member__handle")
    date_hierarchy = "created_at"


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "reflection", "reporter", "reason", "status", "resolved_by")
    list_filter = ("status", "reason")
    list_select_related = ("reflection", "reporter", "resolved_by")


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "reflection", "editor")
    list_select_related = ("reflection", "editor")

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.admin import PromptAdmin, ReadOnlyAdmin
from community.models import Prompt
from moderation import services
from moderation.models import Flag, ModerationAction


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


def _lock_action(locked: bool, description: str):
    """Locking goes through the moderation service, so the audit log records it."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        for prompt in queryset:
            services.set_prompt_lock(
                prompt=prompt, moderator=request.user, locked=locked, reason=_("Changed in the admin")
            )

    action.__name__ = "lock_prompts" if locked else "unlock_prompts"
    return action


class ModeratedPromptAdmin(PromptAdmin):
    """The community app's prompt admin, plus locking (a moderation action, logged)."""

    readonly_fields = ()
    actions = [
        *PromptAdmin.actions,
        _lock_action(True, gettext_lazy("Lock selected prompts (no new reflections)")),
        _lock_action(False, gettext_lazy("Unlock selected prompts")),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "is_locked" in form.changed_data:
            services.set_prompt_lock(
                prompt=obj, moderator=request.user, locked=form.cleaned_data["is_locked"],
                reason=_("Changed in the admin"),
            )  # fmt: skip


admin.site.unregister(Prompt)
admin.site.register(Prompt, ModeratedPromptAdmin)

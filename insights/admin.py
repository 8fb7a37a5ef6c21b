from django.contrib import admin

from insights.models import Nudge, NudgeRecipient


class NudgeRecipientInline(admin.TabularInline):
    model = NudgeRecipient
    fields = ("user", "sent_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    """The record of reminders sent (read-only: nudges are sent from an activity's Insights page,
    through ``insights.services.send_nudge``)."""

    list_display = ("created_at", "prompt", "sender")
    list_select_related = ("prompt", "sender")
    list_filter = ("created_at",)
    search_fields = ("prompt__title", "sender__display_name", "message")
    fields = ("prompt", "sender", "message", "created_at")
    readonly_fields = fields
    inlines = [NudgeRecipientInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin

from followthrough.models import Plan, ReadCount


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("reflection", "user", "due_on", "reminded_at", "followed_up_at")
    list_filter = ("due_on",)
    raw_id_fields = ("reflection", "user")

    def has_add_permission(self, request) -> bool:  # only its author sets a day (services)
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReadCount)
class ReadCountAdmin(admin.ModelAdmin):
    list_display = ("reflection", "author", "readers", "counted_at")
    raw_id_fields = ("reflection", "author")

    def has_add_permission(self, request) -> bool:  # counted by the worker
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

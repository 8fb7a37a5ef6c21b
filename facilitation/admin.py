from django.contrib import admin

from community.admin import ReadOnlyAdmin
from facilitation.models import LibraryPrompt, ResponseOffer, Summary


@admin.register(ResponseOffer)
class ResponseOfferAdmin(ReadOnlyAdmin):
    """Offers are made, declined and ended by the services and the worker; the admin shows them."""

    list_display = ("reflection", "offered_to", "state", "offered_at", "expires_at", "ended_at")
    list_filter = ("state",)
    list_select_related = ("reflection", "offered_to")


@admin.register(Summary)
class SummaryAdmin(ReadOnlyAdmin):
    """Written on the activity's follow-through page (through the service: its Markdown, notices)."""

    list_display = ("prompt", "author", "published_at", "updated_at")
    list_select_related = ("prompt", "author")


@admin.register(LibraryPrompt)
class LibraryPromptAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner", "created_at")
    list_select_related = ("owner",)

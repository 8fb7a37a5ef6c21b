from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from community.admin import ReadOnlyAdmin, register_prompt_inline
from facilitation import services
from facilitation.models import HeardSettings, LibraryPrompt, ResponseOffer, Summary


class HeardFormSet(BaseInlineFormSet):
    """Saved through the service, as every admin write is. A prompt form posted without this
    inline's fields (a script, an older form) leaves the setting as it is instead of failing."""

    def _absent(self) -> bool:
        return self.is_bound and f"{self.prefix}-TOTAL_FORMS" not in self.data

    def total_form_count(self):
        return 0 if self._absent() else super().total_form_count()

    def full_clean(self):
        if self._absent():
            self._errors, self._non_form_errors = [], self.error_class()
            return
        super().full_clean()

    def save(self, commit=True):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            if not form.has_changed() or not form.cleaned_data:
                continue
            heard = services.set_heard(
                prompt=self.instance,
                enabled=form.cleaned_data["enabled"],
                window_hours=form.cleaned_data["window_hours"],
            )
            if form.instance.pk:
                self.changed_objects.append((heard, form.changed_data))
            else:
                self.new_objects.append(heard)
        return self.new_objects + [heard for heard, _changed in self.changed_objects]


class HeardSettingsInline(admin.StackedInline):
    """ "Every reflection gets a response" on the prompt's admin page (also on the activity's
    follow-through page, /facilitate/activities/<id>/)."""

    model = HeardSettings
    formset = HeardFormSet
    fields = ("enabled", "window_hours")
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = _("Every reflection gets a response")
    verbose_name_plural = _("Every reflection gets a response")

    # Part of the activity: whoever may change the prompt sets it (no permissions of its own).
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("community.change_prompt")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("community.change_prompt")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("community.change_prompt")


register_prompt_inline(HeardSettingsInline)


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

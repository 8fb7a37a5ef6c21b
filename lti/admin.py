"""The admin: django-lti's registration page (with its deployments) gets Reflect's settings for the
platform, and LMS contexts are linked to courses here. Links are written through the services."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lti_tool.admin import LtiDeploymentInline, LtiRegistrationAdmin
from lti_tool.models import Key, LtiRegistration

from lti import registrations, services
from lti.models import CourseLink, GradedActivity, Platform, ScoreSync, SectionCohort


class HttpsUrls:
    """Addresses typed without a scheme are https:// (Django 6's default, asked for now)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class DeploymentInline(HttpsUrls, LtiDeploymentInline):
    pass


class PlatformInline(admin.StackedInline):
    model = Platform
    can_delete = False
    filter_horizontal = ["courses"]
    extra = 1
    max_num = 1


class RegistrationAdmin(HttpsUrls, LtiRegistrationAdmin):
    inlines = [DeploymentInline, PlatformInline]
    readonly_fields = ["tool_urls"]
    fieldsets = [
        *LtiRegistrationAdmin.fieldsets,
        (gettext_lazy("What the platform needs"), {"fields": ["tool_urls"]}),
    ]

    @admin.display(description=gettext_lazy("Tool URLs"))
    def tool_urls(self, obj: LtiRegistration) -> str:
        if not obj.pk:
            return _("Shown once saved.")
        return "\n".join(f"{name}: {url}" for name, url in registrations.tool_urls(obj).items())


admin.site.unregister(LtiRegistration)
admin.site.register(LtiRegistration, RegistrationAdmin)


@admin.register(Key)
class KeyAdmin(admin.ModelAdmin):
    """The tool's signing keys (rotated with ``manage.py lti_rotate_keys``); nothing to type here."""

    list_display = ["__str__", "datetime_created", "is_active"]
    fields = ["public_key", "is_active", "datetime_created"]
    readonly_fields = ["public_key", "datetime_created"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CourseLink)
class CourseLinkAdmin(admin.ModelAdmin):
    list_display = ["context", "course", "cohort", "linked_by", "linked_at"]
    list_select_related = ["context", "course", "cohort", "linked_by"]
    autocomplete_fields = ["course"]
    raw_id_fields = ["context", "cohort"]
    readonly_fields = ["linked_by", "linked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)  # an admin may move a link; nothing else changes
        else:
            link = services.link_course(context=obj.context, course=obj.course, by=request.user)
            if obj.cohort_id:
                CourseLink.objects.filter(pk=link.pk).update(cohort=obj.cohort)
            obj.pk = link.pk


@admin.register(SectionCohort)
class SectionCohortAdmin(admin.ModelAdmin):
    list_display = ["context", "section_id", "cohort"]
    raw_id_fields = ["context", "cohort"]


@admin.register(GradedActivity)
class GradedActivityAdmin(HttpsUrls, admin.ModelAdmin):
    """Graded activities appear at their first launch with a line item; the rule may be changed."""

    list_display = ["prompt", "replies_required", "lineitem_url"]
    list_select_related = ["prompt"]
    fields = ["prompt", "lineitem_url", "replies_required"]
    readonly_fields = ["prompt", "lineitem_url"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ScoreSync)
class ScoreSyncAdmin(admin.ModelAdmin):
    """Each learner's sync state: what the gradebook was last sent, and whether it arrived."""

    list_display = ["user", "graded", "complete", "status", "sent_at", "error"]
    list_filter = ["status", "complete"]
    list_select_related = ["user", "graded__prompt"]
    readonly_fields = ["graded", "user", "complete", "status", "error", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False

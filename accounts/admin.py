from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from accounts.models import Suspension, User


class ReflectUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "handle", "display_name")


class ReflectUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = ReflectUserChangeForm
    add_form = ReflectUserCreationForm
    ordering = ("handle",)
    list_display = ("handle", "display_name", "email", "is_staff", "post_count", "date_joined")
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")
    search_fields = ("handle", "display_name", "email")
    readonly_fields = ("post_count", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "handle", "password")}),
        ("Profile", {"fields": ("display_name", "bio", "time_zone", "post_count")}),
        (
            "Roles and permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "handle", "display_name", "password1", "password2")},
        ),
    )


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    """Read-only here: suspend and lift on /moderation/, which also writes the audit log."""

    list_display = ("user", "starts_at", "ends_at", "lifted_at", "created_by", "reason")
    list_select_related = ("user", "created_by")
    search_fields = ("user__handle", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

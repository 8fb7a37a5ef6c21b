from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Suspension, User
from core.admin import took_the_saved_row


class ReflectUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "handle", "display_name")


class ReflectUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ReflectPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "Set password" page, through accounts.services (only the password is written)."""

    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data["password1"] if usable else None
        self.user = services.set_member_password(user=self.user, password=password)
        return self.user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Every write through accounts.services: a new member (create_member), their account and
    standing (update_member), roles and permissions (set_member_roles), password
    (set_member_password), and deleting an account (delete_account: anonymised, posts kept, likes
    taken back with exact counts)."""

    form = ReflectUserChangeForm
    add_form = ReflectUserCreationForm
    change_password_form = ReflectPasswordChangeForm
    ordering = ("handle",)
    list_display = ("handle", "display_name", "email", "is_staff", "post_count", "date_joined")
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")
    search_fields = ("handle", "display_name", "email")
    readonly_fields = ("post_count", "time_zone_set", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "handle", "password")}),
        (
            _("Profile"),
            {"fields": ("display_name", "bio", "time_zone", "time_zone_set", "language", "post_count")},
        ),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "handle", "display_name", "password1", "password2")},
        ),
    )

    def save_model(self, request, obj, form, change):
        if change:
            fields = {
                name: form.cleaned_data[name] for name in services.MEMBER_FIELDS if name in form.cleaned_data
            }
            if "time_zone" in form.changed_data:
                fields["time_zone_set"] = True  # set for the member: their browser no longer replaces it
            saved = services.update_member(user=obj, **fields)
        else:
            data = form.cleaned_data
            saved = services.create_member(
                email=data["email"], handle=data["handle"], display_name=data["display_name"],
                password=data.get("password1"),
            )  # fmt: skip
        took_the_saved_row(obj, saved)

    def save_related(self, request, form, formsets, change):
        """Roles and permissions through the service (the add form has neither)."""
        if "groups" in form.cleaned_data:
            services.set_member_roles(
                user=form.instance,
                groups=form.cleaned_data["groups"],
                permissions=form.cleaned_data.get("user_permissions"),
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_deleted_objects(self, objs, request):
        """What the delete page lists: deleting here is deleting the account (delete_account), not
        the row, which the member's posts keep."""
        summary = [
            # Translators: a line of the admin's delete page. %(name)s is the name deleted accounts
            # show ("Former member").
            gettext(
                "%(member)s: the account (anonymised as “%(name)s”; email addresses, likes, drafts and "
                "roles removed; posts kept)"
            )
            % {"member": user, "name": services.FORMER_MEMBER_NAME}
            for user in objs
        ]
        return summary, {}, set(), []

    def delete_model(self, request, obj):
        services.delete_account(user=obj, remove_posts=False)

    def delete_queryset(self, request, queryset):
        for user in queryset.order_by("pk"):
            services.delete_account(user=user, remove_posts=False)


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

    def has_delete_permission(self, request, obj=None):
        return False  # a deleted suspension would be lifted with no one told and nothing logged

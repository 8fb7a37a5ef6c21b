import json
from http import HTTPStatus

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import entrance, member_data, services
from accounts.forms import DeleteAccountForm, ProfileForm
from accounts.models import User
from accounts.profile_sections import profile_sections
from accounts.roles import reads_community


def profile_detail(request: HttpRequest, handle: str) -> HttpResponse:
    # A profile is part of the community: read by whoever may read the spaces.
    if not reads_community(request.user):
        return redirect_to_login(request.get_full_path())
    member = get_object_or_404(
        User.objects.filter(is_active=True).prefetch_related("groups"), handle__iexact=handle
    )
    sections = profile_sections(request.user, member, request)
    return render(request, "accounts/profile_detail.html", {"member": member, "sections": sections})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect(request.user)
    return render(request, "accounts/profile_form.html", {"form": form})


@login_required
@require_POST
def browser_time_zone(request: HttpRequest) -> HttpResponse:
    """The zone ``Intl.DateTimeFormat().resolvedOptions().timeZone`` gives, posted once by
    static/js/reflect.js for a member with no zone of their own; kept only then (204 either way)."""
    services.set_time_zone_from_browser(user=request.user, time_zone=request.POST.get("time_zone", "")[:64])
    return HttpResponse(status=HTTPStatus.NO_CONTENT)


# --- Your own data ------------------------------------------------------------------------------


def _download(request: HttpRequest, content: str, *, extension: str, content_type: str) -> HttpResponse:
    filename = f"reflect-data-{request.user.handle}-{timezone.localdate():%Y-%m-%d}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    counts = member_data.summary_counts(request.user)
    included = [item for part in member_data.export_parts() for item in part.describe(counts)]
    return render(request, "accounts/export.html", {"counts": counts, "included": included})


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    content = json.dumps(services.export_data(request.user), indent=2, ensure_ascii=False)
    return _download(
        request, content + "\n", extension="json", content_type="application/json; charset=utf-8"
    )


@login_required
@require_GET
def export_markdown(request: HttpRequest) -> HttpResponse:
    content = services.export_markdown(services.export_data(request.user))
    return _download(request, content, extension="md", content_type="text/markdown; charset=utf-8")


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user, remove_posts=form.remove_posts)
        logout(request)
        messages.success(request, _("Your account was deleted."))
        return redirect(settings.LOGIN_REDIRECT_URL)  # the home page, the course list
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "counts": member_data.summary_counts(request.user)},
    )


# --- allauth's sign-in and new-password pages, with the address already given filled in ---


class LoginView(allauth_views.LoginView):
    """allauth's sign-in: the address given earlier in this journey (sign-up, a new password, a
    confirmation) is filled in; a sign-in that fails keeps its address for "Forgot your password?"."""

    def get_initial(self) -> dict:
        return {**super().get_initial(), "login": entrance.given_email(self.request)}

    def form_invalid(self, form):
        entrance.remember_email(self.request, form.data.get("login", ""))
        return super().form_invalid(form)


class PasswordResetView(allauth_views.PasswordResetView):
    """allauth's "Forgot your password?": the address filled in, and kept for signing in after."""

    def get_initial(self) -> dict:
        return {**super().get_initial(), "email": entrance.given_email(self.request)}

    def form_valid(self, form):
        entrance.remember_email(self.request, form.cleaned_data["email"])
        return super().form_valid(form)

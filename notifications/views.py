"""The notifications page, opening a notice, preferences, one-click unsubscribe, and following."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community import permissions
from community.lookups import get_visible_post
from community.models import Prompt
from core.pagination import step_links
from notifications import emails, services
from notifications.forms import PreferencesForm
from notifications.kinds import Delivery, Group
from notifications.models import Subscription

PER_PAGE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notices = services.visible_notifications(request.user).select_related("actor", "reflection", "prompt")
    notices = services.with_answered_excerpts(notices, request.user)
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    page_links = step_links(page, previous_text=_("Newer"), next_text=_("Older"), position=False)
    return render(request, "notifications/list.html", {"page": page, "page_links": page_links})


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a notice read and go to what it is about."""
    notice = get_object_or_404(services.visible_notifications(request.user), pk=notification_id)
    services.mark_read(notification=notice)
    if notice.link.startswith("/") and not notice.link.startswith("//"):  # a site path only
        return redirect(notice.link)
    if notice.reflection_id:
        return redirect("community:post", post_id=notice.reflection_id)
    if notice.prompt_id:
        prompt = (
            Prompt.objects.visible_to(request.user)
            .select_related("lesson__course")
            .filter(pk=notice.prompt_id)
            .first()
        )
        if prompt is not None:
            return redirect(prompt)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("Marked %(count)s notification as read.", "Marked %(count)s notifications as read.", count)
        % {"count": count},
    )
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, current=services.deliveries(request.user.pk))
    if request.method == "POST" and form.is_valid():
        for group, delivery in form.cleaned_data.items():
            services.set_delivery(user=request.user, group=group, delivery=delivery)
        messages.success(request, _("Your email settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form}, status=400 if form.errors else 200)


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page that asks. POST (the button, or a mail client's one-click, RFC 8058): stop
    emails of this kind. No sign-in and no CSRF token: the signed token is the authority."""
    try:
        user_id, group = emails.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    user = services.User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404("No such member.")
    done = request.method == "POST"
    if done:
        services.set_delivery(user=user, group=group, delivery=Delivery.NEVER)
    context = {"group": Group(group), "done": done, "token": token}
    return render(request, "notifications/unsubscribe.html", context)


@login_required
@require_POST
def follow_thread(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_visible_post(request.user, post_id)
    level = request.POST.get("level", "")
    if level not in Subscription.Level.values:
        return HttpResponse(_("Choose following, normal or muted."), status=400)
    if not permissions.can_participate(request.user) and level == Subscription.Level.WATCHING:
        raise PermissionDenied(_("While your account is suspended you can’t follow conversations."))
    services.set_thread_level(user=request.user, thread=post, level=level)
    return redirect(post)


@login_required
@require_POST
def follow_activity(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = get_object_or_404(
        Prompt.objects.visible_to(request.user).select_related("lesson__course"), pk=prompt_id
    )
    level = request.POST.get("level", "")
    if level not in Subscription.Level.values:
        return HttpResponse(_("Choose following, normal or muted."), status=400)
    services.set_activity_level(user=request.user, prompt=prompt, level=level)
    return redirect(prompt)

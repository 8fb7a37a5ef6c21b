"""Reporting (any member) and the moderation pages at /moderation/ (moderators and staff)."""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Suspension, User
from accounts.roles import is_moderator
from community import permissions, services, space_page
from community.lookups import get_visible_post
from community.models import Like, Prompt, Reflection
from core.pagination import step_links
from core.ratelimits import TOO_MANY_REQUESTS, is_rate_limited
from moderation import services as moderation
from moderation.forms import (
    ModerationReasonForm,
    ModeratorEditForm,
    OptionalReasonForm,
    ReportForm,
    SuspensionForm,
)
from moderation.models import Flag, ModerationAction


def moderator_required(view):
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_moderator(request.user):
            raise PermissionDenied(_("Only moderators can use the moderation pages."))
        return view(request, *args, **kwargs)

    return wrapper


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _moderated_post(request: HttpRequest, post_id: int) -> Reflection:
    """A post the moderator may read (the one read rule: every shared post, hidden ones included;
    never another member's private reflection, which is its author's alone); 404 otherwise, as
    for a post that does not exist."""
    return get_object_or_404(
        Reflection.objects.visible_to(request.user).select_related(
            "author", "prompt__lesson__course", "hidden_by", "parent__author"
        ),
        pk=post_id,
    )


@login_required
def reflection_report(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = get_visible_post(request.user, post_id)
    if not permissions.can_report(request.user, reflection):
        raise PermissionDenied(_("You can’t report this post."))
    existing = Flag.objects.filter(reflection=reflection, reporter=request.user, like__isnull=True).first()
    form = ReportForm(request.POST or None)
    rate_limited = (
        request.method == "POST"
        and existing is None
        and form.is_valid()
        and is_rate_limited(request, "report")
    )
    if request.method == "POST" and existing is None and form.is_valid() and not rate_limited:
        moderation.report_reflection(
            reflection=reflection,
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        if Reflection.objects.visible_to(request.user).filter(pk=reflection.pk).exists():
            messages.success(
                request, _("Thank you — your report was received. A moderator will look at it soon.")
            )
            return redirect(reflection)
        # This report hid the post (enough members reported it): back to its space, not a 404.
        messages.success(
            request,
            _("Thank you — your report was received. The post is hidden until a moderator reviews it."),
        )
        return redirect(reflection.prompt)
    context = {"reflection": reflection, "form": form, "existing": existing, "rate_limited": rate_limited}
    status = TOO_MANY_REQUESTS if rate_limited else 400 if form.errors else 200
    return render(request, "moderation/reflection_report.html", context, status=status)


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    order = request.GET.get("order", "newest")
    needs_review = Q(open_flag_count__gt=0) | Q(
        hidden_at__isnull=False, hidden_by__isnull=True, deleted_at__isnull=True
    )
    # Through the one read rule, as every page that shows posts: moderators read hidden posts by
    # it, and no one reads a private reflection (a report never reaches one) or, unless staff, a
    # post in a draft lesson.
    reported = (
        Reflection.objects.visible_to(request.user)
        .filter(needs_review)
        .select_related("author", "prompt__lesson__course", "hidden_by", "parent__author")
        .prefetch_related(
            "author__groups",
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(status=Flag.Status.OPEN, like__isnull=True).select_related(
                    "reporter"
                ),
                to_attr="open_flags",
            ),
        )
        .annotate(latest_report=Max("flags__created_at"))
    )
    if order == "most":
        reported = reported.order_by("-open_flag_count", "-latest_report")
    else:
        order = "newest"
        reported = reported.order_by("-latest_report", "-pk")
    page = Paginator(reported, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "page_links": step_links(page, query=urlencode({"order": order}), rel=False),
        "order": order,
        "reported_reasons": _reported_reasons(request.user),
    }
    return render(request, "moderation/queue.html", context)


def _reported_reasons(user, limit: int = 50) -> list[Like]:
    """Likes whose reason has open reports, oldest report first, each with ``open_flags``, on the
    posts ``user`` may read (``visible_to``): one query."""
    readable = Reflection.objects.visible_to(user).values("pk")
    flags = (
        Flag.objects.filter(status=Flag.Status.OPEN, like__isnull=False, reflection__in=readable)
        .select_related("like__user", "reporter", "reflection")
        .order_by("created_at", "id")[: limit * 5]
    )
    likes: dict[int, Like] = {}
    for flag in flags:
        like = likes.setdefault(flag.like_id, flag.like)
        like.__dict__.setdefault("open_flags", []).append(flag)
        like.reflection = flag.reflection
    return list(likes.values())[:limit]


@login_required
def reason_report(request: HttpRequest, like_id: int) -> HttpResponse:
    """The post's author reports a reason someone gave for liking it (only they read it)."""
    like = get_object_or_404(Like.objects.select_related("user"), pk=like_id)
    like.reflection = get_visible_post(request.user, like.reflection_id)
    if not permissions.can_report_like_reason(request.user, like):
        raise PermissionDenied(_("Only the post’s author can report a reason given for liking it."))
    existing = Flag.objects.filter(like=like, reporter=request.user).first()
    form = ReportForm(request.POST or None)
    form.fields["reason"].label = _("What’s wrong with this reason?")
    posted = request.method == "POST" and existing is None and form.is_valid()
    rate_limited = posted and is_rate_limited(request, "report")
    if posted and not rate_limited:
        moderation.report_like_reason(
            like=like,
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request, _("Thank you — your report was received. A moderator will look at it soon.")
        )
        return redirect(like.reflection)
    context = {"like": like, "reflection": like.reflection, "form": form, "existing": existing,
               "rate_limited": rate_limited}  # fmt: skip
    status = TOO_MANY_REQUESTS if rate_limited else 400 if form.errors else 200
    return render(request, "moderation/reason_report.html", context, status=status)


@moderator_required
@require_POST
def reason_remove(request: HttpRequest, like_id: int) -> HttpResponse:
    like = get_object_or_404(Like, pk=like_id)
    moderation.remove_reported_reason(
        like=like, moderator=request.user, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(request, _("The reason is removed (the like stays)."))
    return redirect(_next_or(request, reverse("moderation:queue")))


@moderator_required
@require_POST
def reason_dismiss(request: HttpRequest, like_id: int) -> HttpResponse:
    like = get_object_or_404(Like, pk=like_id)
    closed = moderation.dismiss_reason_reports(
        like=like, moderator=request.user, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(request, _("Reports dismissed.") if closed else _("Those reports were already handled."))
    return redirect(_next_or(request, reverse("moderation:queue")))


@moderator_required
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _moderated_post(request, post_id)
    context = {
        "reflection": reflection,
        "flags": reflection.flags.filter(like__isnull=True).select_related("reporter", "resolved_by"),
        "revision_count": reflection.revisions.count(),
        "reason_form": ModerationReasonForm(),
        "suspension": reflection.author.active_suspension,
    }
    return render(request, "moderation/post_detail.html", context)


def _reason_or_back(request: HttpRequest, reflection: Reflection, form_class=OptionalReasonForm):
    form = form_class(request.POST)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    messages.error(request, _("Give a reason for this action."))
    return None, redirect("moderation:post", post_id=reflection.pk)


@moderator_required
@require_POST
def post_dismiss(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _moderated_post(request, post_id)
    reason, back = _reason_or_back(request, reflection)
    if back:
        return back
    closed = moderation.dismiss_reports(reflection=reflection, moderator=request.user, reason=reason)
    messages.success(
        request,
        ngettext("Dismissed %(count)s report.", "Dismissed %(count)s reports.", closed) % {"count": closed}
        if closed
        else _("Those reports were already handled."),
    )
    return redirect(_next_or(request, reverse("moderation:queue")))


@moderator_required
@require_POST
def post_hide(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _moderated_post(request, post_id)
    reason, back = _reason_or_back(request, reflection, ModerationReasonForm)
    if back:
        return back
    with_replies = request.POST.get("replies") == "hide"
    moderation.hide_reflection(
        reflection=reflection, moderator=request.user, reason=reason, with_replies=with_replies
    )
    messages.success(request, _("The post is hidden. Its author has been told why by email."))
    return redirect("moderation:post", post_id=reflection.pk)


@moderator_required
@require_POST
def post_hide_replies(request: HttpRequest, post_id: int) -> HttpResponse:
    """Hide the replies of a hidden reflection with it, or show them again under its placeholder."""
    reflection = _moderated_post(request, post_id)
    hidden = request.POST.get("hidden") == "1"
    moderation.hide_replies(reflection=reflection, moderator=request.user, hidden=hidden)
    messages.success(
        request,
        _("The whole conversation is hidden from colleagues.")
        if hidden
        else _("The replies show again under a placeholder."),
    )
    return redirect("moderation:post", post_id=reflection.pk)


@moderator_required
@require_POST
def post_restore(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _moderated_post(request, post_id)
    reason, back = _reason_or_back(request, reflection)
    if back:
        return back
    moderation.restore_reflection(reflection=reflection, moderator=request.user, reason=reason)
    messages.success(request, _("The post is visible again."))
    return redirect("moderation:post", post_id=reflection.pk)


@moderator_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _moderated_post(request, post_id)
    if reflection.is_deleted:
        raise PermissionDenied(_("This post was deleted; there is nothing to edit."))
    form = ModeratorEditForm(request.POST or None, label=_("Post text"), initial={"body": reflection.body})
    if request.method == "POST" and "preview" in request.POST:  # the one preview: nothing is saved
        extra, status = space_page.composer_preview(request, form)
        return render(
            request,
            "moderation/post_edit.html",
            {"reflection": reflection, "form": form, **extra},
            status=status,
        )
    if request.method == "POST" and form.is_valid():
        moderation.moderate_edit(
            reflection=reflection,
            moderator=request.user,
            body=form.cleaned_data["body"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Saved. The previous text is kept in the post’s history."))
        return redirect("moderation:post", post_id=reflection.pk)
    return render(
        request,
        "moderation/post_edit.html",
        {"reflection": reflection, "form": form},
        status=400 if form.errors else 200,
    )


@moderator_required
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _moderated_post(request, post_id)
    form = ModerationReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moderation.delete_permanently(
            reflection=reflection, moderator=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The post was deleted permanently."))
        return redirect("moderation:queue")
    return render(
        request,
        "moderation/post_delete.html",
        {"reflection": reflection, "form": form},
        status=400 if form.errors else 200,
    )


@moderator_required
def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _moderated_post(request, post_id)
    changes = services.revision_changes(reflection)
    context = {"reflection": reflection, "changes": changes}
    return render(request, "moderation/post_history.html", context)


@moderator_required
@require_POST
def prompt_lock(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompts = Prompt.objects.visible_to(request.user).select_related("lesson__course")  # the one read rule
    prompt = get_object_or_404(prompts, pk=prompt_id)
    locked = request.POST.get("locked") == "1"
    moderation.set_prompt_lock(
        prompt=prompt, moderator=request.user, locked=locked, reason=request.POST.get("reason", "")[:500]
    )
    title = {"title": prompt.title}
    messages.success(
        request, _("“%(title)s” is locked.") % title if locked else _("“%(title)s” is open again.") % title
    )
    return redirect(_next_or(request, prompt.get_absolute_url()))


@moderator_required
def member_suspend(request: HttpRequest, handle: str) -> HttpResponse:
    member = get_object_or_404(User, handle__iexact=handle, is_active=True)
    if member == request.user:
        raise PermissionDenied(_("You can’t suspend yourself."))
    if is_moderator(member) and not request.user.is_superuser:
        raise PermissionDenied(_("Only an administrator can suspend a moderator or a member of staff."))
    form = SuspensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ends_at = timezone.now() + timedelta(days=form.cleaned_data["days"])
        moderation.suspend_member(
            member=member, moderator=request.user, ends_at=ends_at, reason=form.cleaned_data["reason"]
        )
        until = f"{timezone.localtime(ends_at):%d %b %Y %H:%M}"
        messages.success(
            request, _("%(name)s is suspended until %(date)s.") % {"name": member.display_name, "date": until}
        )
        return redirect("moderation:member", handle=member.handle)
    suspensions = member.suspensions.select_related("created_by", "lifted_by")
    context = {"member": member, "form": form, "suspensions": suspensions, "now": timezone.now()}
    return render(request, "moderation/member.html", context, status=400 if form.errors else 200)


@moderator_required
@require_POST
def suspension_lift(request: HttpRequest, suspension_id: int) -> HttpResponse:
    suspension = get_object_or_404(Suspension.objects.select_related("user"), pk=suspension_id)
    moderation.lift_suspension(
        suspension=suspension, moderator=request.user, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(request, _("%(name)s’s suspension was lifted.") % {"name": suspension.user.display_name})
    return redirect("moderation:member", handle=suspension.user.handle)


@moderator_required
def log(request: HttpRequest) -> HttpResponse:
    actions = ModerationAction.objects.select_related("actor", "member", "prompt__lesson__course")
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page, "page_links": step_links(page, rel=False)})

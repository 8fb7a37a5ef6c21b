"""Follow-through's pages: set, change or cancel the day to come back to one's reflection, the
follow-up composer ("How did it go?"), and "How my reflections landed"."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community import permissions
from community.forms import ReflectionForm
from community.models import Reflection
from core.ratelimits import is_rate_limited
from followthrough import queries, services
from followthrough.forms import PlanForm


def _own_reflection(user, post_id: int) -> Reflection:
    """The member's own live top-level reflection, as the read rule gives it; 404 otherwise."""
    post = (
        Reflection.objects.visible_to(user)
        .live()
        .select_related("prompt__lesson__course")
        .filter(pk=post_id, author_id=user.pk, thread__isnull=True)
        .first()
    )
    if post is None:
        raise Http404("No such reflection of yours.")
    return post


@login_required
@require_POST
def plan(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _own_reflection(request.user, post_id)
    form = PlanForm(request.POST, post_id=post.pk)
    if not form.is_valid():
        context = {"post": post, "form": form, "plan": queries.plan_for(post)}
        return render(request, "followthrough/plan.html", context, status=HTTPStatus.BAD_REQUEST)
    due = services.plan_follow_up(reflection=post, user=request.user, due_on=form.cleaned_data["due_on"])
    messages.success(
        request,
        _("Reflect will ask you how it went on %(date)s.") % {"date": date_format(due.due_on, "DATE_FORMAT")},
    )
    return redirect(post)


@login_required
@require_POST
def cancel(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _own_reflection(request.user, post_id)
    if services.cancel_plan(reflection=post, user=request.user):
        messages.success(request, _("Reminder cancelled: Reflect will not ask you about this reflection."))
    return redirect(post)


def _follow_up_form(data=None) -> ReflectionForm:
    return ReflectionForm(data, label=_("How did it go?"), prefix="followup")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, post_id: int) -> HttpResponse:
    """ "How did it go?": the follow-up composer under one's own reflection."""
    original = _own_reflection(request.user, post_id)
    allowed = permissions.can_post(request.user, original.prompt) and not original.is_hidden
    blocked = "" if allowed else "unavailable"
    if original.prompt.is_locked:
        blocked = "locked"
    form = _follow_up_form(request.POST if request.method == "POST" else None)
    context = {"original": original, "form": form, "plan": queries.plan_for(original), "blocked": blocked}
    if request.method == "GET":
        return render(request, "followthrough/follow_up.html", context)
    if blocked:
        return render(request, "followthrough/follow_up.html", context, status=HTTPStatus.FORBIDDEN)
    if not form.is_valid():
        return render(request, "followthrough/follow_up.html", context, status=HTTPStatus.BAD_REQUEST)
    if is_rate_limited(request, "reply"):
        context["rate_limited"] = True
        return render(request, "followthrough/follow_up.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)
    follow_up = services.write_follow_up(
        original=original, author=request.user, body=form.cleaned_data["body"],
        submission_key=form.cleaned_data["submission_key"], content_note=form.cleaned_data["content_note"],
    )  # fmt: skip
    messages.success(request, _("Your follow-up is posted under your reflection, for the same readers."))
    return redirect(follow_up)


@login_required
def landed(request: HttpRequest) -> HttpResponse:
    """ "How my reflections landed": the last seven days, only what the member may read."""
    context = {"summary": queries.landed(request.user), "plans": queries.open_plans(request.user)}
    return render(request, "followthrough/landed.html", context)

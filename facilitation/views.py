from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import bylines
from community.models import Prompt
from facilitation import queries, services
from facilitation.forms import FromLibraryForm, HeardForm, SummaryForm
from facilitation.models import DEFAULT_WINDOW_HOURS, HeardSettings, LibraryPrompt, ResponseOffer
from facilitation.permissions import can_facilitate, can_keep_a_library


def _prompt_to_facilitate(request: HttpRequest, prompt_id: int) -> Prompt:
    """The activity, if the viewer leads its course (404 otherwise, as for a missing page)."""
    prompt = get_object_or_404(
        Prompt.objects.visible_to(request.user).select_related("lesson__course"), pk=prompt_id
    )
    if not can_facilitate(request.user, prompt.lesson.course_id):
        raise Http404("Nothing to facilitate here.")
    return prompt


def _quotable(request: HttpRequest, prompt: Prompt) -> list:
    posts = list(queries.quotable(request.user, prompt))
    for post in posts:
        excerpt = post.content_note or " ".join(post.body.split()[:16])
        post.quote_label = f"{bylines.shown_name(request.user, post)}: {excerpt}"
    return posts


def _activity_page(request: HttpRequest, prompt: Prompt, *, heard_form=None, summary_form=None, status=200):
    summary = queries.summary_of(prompt)
    if heard_form is None:
        heard = HeardSettings.objects.filter(prompt=prompt).first()
        heard_form = HeardForm(
            initial={
                "enabled": bool(heard and heard.enabled),
                "window_hours": heard.window_hours if heard else DEFAULT_WINDOW_HOURS,
            }
        )
    if summary_form is None:
        initial = {"body": summary.body, "quoted": summary.quoted_ids} if summary else {}
        summary_form = SummaryForm(initial=initial, quotable=_quotable(request, prompt))
    context = {
        "prompt": prompt,
        "course": prompt.lesson.course,
        "heard_form": heard_form,
        "summary_form": summary_form,
        "summary": summary,
        "in_library": prompt.library_run if hasattr(prompt, "library_run") else None,
        "keeps_library": can_keep_a_library(request.user),
        "offer_states": queries.offer_states(prompt),
    }
    return render(request, "facilitation/activity.html", context, status=status)


@login_required
def activity(request: HttpRequest, prompt_id: int) -> HttpResponse:
    """An activity's follow-through: "Every reflection gets a response", its summary, the library."""
    return _activity_page(request, _prompt_to_facilitate(request, prompt_id))


@login_required
@require_POST
def heard(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = _prompt_to_facilitate(request, prompt_id)
    form = HeardForm(request.POST)
    if not form.is_valid():
        return _activity_page(request, prompt, heard_form=form, status=HTTPStatus.BAD_REQUEST)
    services.set_heard(prompt=prompt, **form.cleaned_data)
    on = form.cleaned_data["enabled"]
    messages.success(
        request,
        _("Every reflection here now gets a response: each new one is offered to a colleague.")
        if on
        else _("Reflections here are no longer offered to colleagues."),
    )
    return redirect("facilitation:activity", prompt.pk)


@login_required
@require_POST
def summary(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = _prompt_to_facilitate(request, prompt_id)
    if request.POST.get("withdraw"):
        services.withdraw_summary(prompt=prompt)
        messages.success(request, _("The summary was withdrawn."))
        return redirect("facilitation:activity", prompt.pk)
    form = SummaryForm(request.POST, quotable=_quotable(request, prompt))
    if form.is_valid():
        try:
            services.publish_summary(
                prompt=prompt, by=request.user, body=form.cleaned_data["body"],
                quoted_ids=form.cleaned_data["quoted"],
            )  # fmt: skip
        except services.SummaryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The summary is published below the prompt."))
            return redirect(prompt)
    return _activity_page(request, prompt, summary_form=form, status=HTTPStatus.BAD_REQUEST)


@login_required
@require_POST
def save_to_library(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = _prompt_to_facilitate(request, prompt_id)
    if not can_keep_a_library(request.user):
        raise Http404("No library.")
    saved = services.save_to_library(prompt=prompt, by=request.user)
    if saved.created:
        messages.success(
            request, _("“%(title)s” is in your prompt library.") % {"title": saved.library_prompt.title}
        )
    else:
        messages.info(request, _("This activity is already in the prompt library."))
    return redirect("facilitation:library")


@login_required
def library(request: HttpRequest) -> HttpResponse:
    if not can_keep_a_library(request.user):
        raise Http404("No library.")
    lessons = list(queries.lessons_to_run_in(request.user))
    entries = list(queries.library_of(request.user))
    for entry in entries:
        entry.form = FromLibraryForm(lessons=lessons, auto_id=f"use-{entry.pk}-%s")
    return render(request, "facilitation/library.html", {"entries": entries, "has_lessons": bool(lessons)})


@login_required
@require_POST
def use_from_library(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(LibraryPrompt, pk=entry_id, owner_id=request.user.pk)
    lessons = list(queries.lessons_to_run_in(request.user))
    form = FromLibraryForm(request.POST, lessons=lessons)
    if not form.is_valid():
        messages.error(request, _("Choose a lesson of a course you facilitate."))
        return redirect("facilitation:library")
    lesson = next(lesson for lesson in lessons if lesson.pk == form.cleaned_data["lesson"])
    prompt = services.create_from_library(library_prompt=entry, lesson=lesson, by=request.user)
    messages.success(
        request,
        _("“%(title)s” is now an activity in Lesson %(number)s.")
        % {"title": prompt.title, "number": lesson.number},
    )
    return redirect(prompt)


@login_required
@require_POST
def decline(request: HttpRequest, offer_id: int) -> HttpResponse:
    """One click: the post goes to another colleague. Idempotent (a double click declines once)."""
    offer = get_object_or_404(ResponseOffer, pk=offer_id, offered_to_id=request.user.pk)
    services.decline_offer(offer=offer, user=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "facilitation/_follow_through.html#declined", {})
    messages.success(request, _("Declined: another colleague will be asked."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(offer.prompt)

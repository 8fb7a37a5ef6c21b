"""The community space: thin views. Each fetches what the viewer may see (``visible_to``),
checks a ``permissions`` function, calls one service and responds; the page itself is built by
``space_page`` (each post's buttons: ``post_actions``). A form that cannot be saved comes back with the member's text and the reason."""

from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from community import lookups, permissions, post_actions, post_fragments, services, space_page
from community.forms import FREE, SECTIONS, LikeReasonForm, ReflectionEditForm, ReflectionForm
from community.models import Like, Prompt, Reflection
from community.querysets import reads_community
from core.conditional import conditional_page
from core.ratelimits import TOO_MANY_REQUESTS, is_rate_limited, too_fast
from lessons.models import Lesson
from lessons.viewers import standing_columns, viewer_of

SPACE = "community/space.html"
REPLY = "community/reflection_reply.html"
# Text sent after the member's session ended, waiting for them to sign in again (at most a few).
KEPT_TEXTS = "community.kept_texts"
KEPT_TEXTS_AT_MOST = 5


def _signed_in_keeping_text(view):
    """``login_required`` for the composers' posts that loses nothing: a reflection or reply sent
    after the session ended (timed out, signed out in another tab) is kept in the visitor's
    session, and becomes that composer's draft when they sign in (``receivers.restore_kept_texts``:
    Django keeps a session's data through sign-in). They are sent to sign in and back to this
    address, whose GET shows the composer (WCAG 3.3.7: nothing is asked for twice)."""

    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, **kwargs)
        if request.method == "POST" and (kept := _text_sent(request, **kwargs)):
            request.session[KEPT_TEXTS] = [
                *request.session.get(KEPT_TEXTS, [])[1 - KEPT_TEXTS_AT_MOST :],
                kept,
            ]
            messages.info(
                request,
                _(
                    "You were signed out, so it wasn’t posted. Sign in and your words will be waiting for you."
                ),
            )
        response = redirect_to_login(request.get_full_path() if request.method == "GET" else request.path)
        return HttpResponseClientRedirect(response.url) if request.htmx else response

    return wrapper


def _text_sent(request: HttpRequest, prompt_id: int | None = None, post_id: int | None = None) -> dict | None:
    """What a signed-out composer sent, as a draft's fields with where it belongs; None when it
    holds no words. Nothing about the activity or post is shown: this only reads their ids."""
    parent = None
    if post_id is not None:
        parent = Reflection.objects.filter(pk=post_id).select_related("prompt").first()
        prompt = parent.prompt if parent else None
    else:
        prompt = Prompt.objects.filter(pk=prompt_id).first()
    if prompt is None:
        return None
    form = (
        _reply_form(parent, request.POST, user=request.user)
        if parent
        else space_page.composer_form(prompt, request.POST, user=request.user)
    )
    fields = form.draft_fields()
    if not str(fields["body"]).strip() or len(fields["body"]) > settings.REFLECTION_MAX_LENGTH:
        return None
    return {"prompt": prompt.pk, "parent": parent.pk if parent else None, "fields": fields}


def _get_lesson(request: HttpRequest, course_slug: str, lesson_slug: str) -> Lesson:
    """The lesson, with the viewer's standing in its course read in the same query."""
    user = request.user
    lessons = Lesson.objects.visible_to(user).select_related("course")
    if user.is_authenticated:
        lessons = lessons.annotate(**standing_columns(user, "course_id"))
    lesson = get_object_or_404(lessons, course__slug=course_slug, slug=lesson_slug)
    if user.is_authenticated:
        viewer_of(user).remember_standing(
            lesson.course_id, enrolled=lesson.viewer_enrolled, facilitating=lesson.viewer_facilitating
        )
    return lesson


def _record_visit(request: HttpRequest, prompt_id: int) -> None:
    services.record_visit(user=request.user, prompt=Prompt(pk=prompt_id))


@conditional_page(on_shown=_record_visit)
def space(
    request: HttpRequest, course_slug: str, lesson_slug: str, prompt_id: int | None = None
) -> HttpResponse:
    if not reads_community(request.user):
        return redirect_to_login(request.get_full_path())
    lesson = _get_lesson(request, course_slug, lesson_slug)
    page = space_page.build_space(
        request.user, lesson, prompt_id=prompt_id, order=request.GET.get("order", "oldest"), query=request.GET
    )
    return _page(request, SPACE, page, records_visit=True)


def _page(request: HttpRequest, template: str, page: space_page.SpacePage, *, records_visit: bool,
          **extra) -> HttpResponse:  # fmt: skip
    """``page`` rendered, its posts from their cached fragments, with what it showed for its
    ``ETag`` (``core.conditional``)."""
    post_fragments.attach_fragments(request, page.posts())
    response = render(request, template, page.context(**extra))
    response.shown = page.shown(records_visit=records_visit)
    return response


def _form_back(
    request: HttpRequest, template: str, partial: str, context: dict, status: int, *, target: str, swap: str
):
    """The form again, with the member's text and what stopped it: the whole page, or for htmx
    the form in place, into ``target`` (htmx swaps 200s; the status stays on the plain page)."""
    if request.htmx:
        response = render(
            request, f"{template}#{partial}", context, status=TOO_MANY_REQUESTS if status == 429 else 200
        )
        return reswap(retarget(response, target), swap)
    return render(request, template, context, status=status)


def _hold(
    request: HttpRequest, form: ReflectionForm, *, action: str, blocked: str = ""
) -> tuple[dict, int] | None:
    """Why this composer's text is not posted now, as (extra context, status); None to post it.
    "Write freely instead" / "Use the sections" come back as ``extra["form"]``, the same words."""
    if blocked:
        return {"blocked": blocked}, 403
    if request.POST.get("switch") in {FREE, SECTIONS} and form.sections:
        return {"form": form.switched(request.POST["switch"])}, 200
    if "preview" in request.POST:
        return space_page.composer_preview(request, form)
    if not form.is_valid():
        return {}, 400
    if is_rate_limited(request, action):
        return {"rate_limited": True}, TOO_MANY_REQUESTS
    return None


@_signed_in_keeping_text
@require_http_methods(["GET", "POST"])
def reflection_create(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompts = Prompt.objects.visible_to(request.user).select_related("lesson__course")
    prompt = get_object_or_404(prompts, pk=prompt_id)
    if request.method == "GET":  # back from signing in (``_signed_in_keeping_text``): the composer
        return redirect(f"{prompt.get_absolute_url()}#reflect")
    form = space_page.composer_form(prompt, request.POST, user=request.user)
    held = _hold(request, form, action="post", blocked=space_page.post_blocked_reason(request.user, prompt))
    if held:
        extra, status = held
        extra.setdefault("form", form)
        context = space_page.build_space(request.user, prompt.lesson, prompt_id=prompt.pk).context(**extra)
        return _form_back(
            request, SPACE, "reflection-form", context, status, target="#reflection-form", swap="outerHTML"
        )
    could_read = permissions.can_read_reflections(request.user, prompt)
    private = "private" in request.POST  # the composer's "Save privately" button
    for_facilitators = "for_facilitators" in request.POST and not private  # "Share with the facilitator only"
    reflection = services.create_reflection(
        prompt=prompt, author=request.user, body=form.cleaned_data["body"],
        submission_key=form.cleaned_data["submission_key"], is_private=private,
        for_facilitators=for_facilitators,
        content_note=form.cleaned_data["content_note"], anonymous=form.wants_anonymity,
        extras=form.extras_data(),  # the composer's registered fields (composer_fields)
    )  # fmt: skip
    if request.htmx and could_read:
        thread = space_page.extend_new_post(request.user, _fresh(request, reflection, prompt))
        return render(request, f"{SPACE}#thread", {"thread": thread})
    if reflection.is_private:
        messages.success(
            request, _("Saved privately: only you can see it. Share it with the course when you’re ready.")
        )
    elif reflection.for_facilitators:
        messages.success(request, _("Shared with the facilitators only. Your colleagues do not see it."))
    else:
        messages.success(request, _("Your reflection is posted. Thank you for sharing it."))
    if request.htmx:  # independent reflection: everything appears now, so load the whole page
        return HttpResponseClientRedirect(lookups.page_ending_at(reflection))
    return redirect(lookups.page_ending_at(reflection))


def _fresh(request: HttpRequest, post: Reflection, prompt: Prompt) -> Reflection:
    """A post just written, ready for its fragment: its author's current post count, actions."""
    request.user.refresh_from_db(fields=["post_count"])
    post.author, post.prompt = request.user, prompt
    return post_actions.single_post(request.user, post, liked=False)


def _replying_blocked(user, parent: Reflection) -> str:
    if parent.prompt.is_locked:
        return "locked"
    if not permissions.can_participate(user):
        return "suspended"
    if not permissions.takes_part_in(user, parent.prompt):
        return "not_enrolled"
    if not permissions.can_reply(user, parent):
        return "unavailable"
    return ""


def _reply_form(parent: Reflection | None, data=None, *, user=None, **kwargs) -> ReflectionForm:
    """The reply composer, labelled with whom it answers (when the post is still there to read;
    ``parent`` read through the rule, so an anonymous author is "Colleague 4"), offering ``user``
    anonymity where the activity does."""
    if parent is not None:
        label = _("Your reply to %(name)s") % {"name": parent.author.display_name}
    else:
        label = _("Your reply")
    anonymity = permissions.offers_anonymity(user, parent.prompt) if parent is not None and user else ""
    return ReflectionForm(data, label=label, prefix="reply", anonymity=anonymity, **kwargs)


def _reply_context(parent: Reflection | None, form: ReflectionForm, **extra) -> dict:
    """The reply page's context, for showing it and for a form that comes back (one place)."""
    return {"parent": parent, "form": form, **extra}


@_signed_in_keeping_text
def reflection_reply(request: HttpRequest, post_id: int) -> HttpResponse:
    if request.method == "POST":
        return _reply_post(request, post_id)
    parent = lookups.get_visible_post(request.user, post_id)
    if not permissions.can_reply(request.user, parent):
        raise PermissionDenied(_("You can’t reply to this post: it was removed, or its activity is locked."))
    draft = space_page.draft_for(request.user, parent.prompt, parent)
    body = str(draft.fields.get("body") or "") if draft else ""
    if "quote" in request.GET:
        body = f"{body.rstrip()}\n\n{lookups.quote_of(parent)}".lstrip() if body else lookups.quote_of(parent)
    # Anonymous in one's own anonymous conversation (one's anonymous reflection, or a reply to one's
    # anonymous post) unless one unticks it: a named reply there would tell colleagues who
    # "Colleague 4" is.
    root = parent.thread or parent
    own_anonymous = any(post.anonymous and post.author_id == request.user.pk for post in (parent, root))
    keeps = draft.fields.get("anonymous") if draft else own_anonymous
    initial = {"body": body, **({"anonymous": True} if keeps else {})}
    form = _reply_form(parent, initial=initial, user=request.user)
    template = f"{REPLY}#reply-form" if request.htmx else REPLY  # htmx: only the form, into the reply slot
    return render(request, template, _reply_context(parent, form, draft=draft))


def _reply_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """Post a reply. If the post was hidden, removed or locked while the member was writing,
    the form comes back with their text and the reason, never an error page that loses it."""
    parent = lookups.reply_target(request.user, post_id)
    blocked = "unavailable" if parent is None else _replying_blocked(request.user, parent)
    form = _reply_form(parent if not blocked else None, request.POST, user=request.user)
    held = _hold(request, form, action="reply", blocked=blocked)
    if held:
        extra, status = held
        if parent is None:
            status = 404  # hidden meanwhile: as if it were not there
        context = _reply_context(parent if not blocked else None, form, post_id=post_id, **extra)
        return _form_back(
            request, REPLY, "reply-form", context, status, target=f"#reply-slot-{post_id}", swap="innerHTML"
        )
    reply = services.create_reflection(
        prompt=parent.prompt, author=request.user, body=form.cleaned_data["body"], parent=parent,
        submission_key=form.cleaned_data["submission_key"], content_note=form.cleaned_data["content_note"],
        for_facilitators="for_facilitators" in request.POST,  # "Reply privately"
        anonymous=form.wants_anonymity,
    )  # fmt: skip
    if request.htmx:
        return render(request, "community/_reply_item.html", {"post": _fresh(request, reply, parent.prompt)})
    messages.success(request, _("Your reply is posted."))
    return redirect(reply)


# --- Drafts ---------------------------------------------------------------------------------------


@login_required
@require_POST
def reflection_draft(request: HttpRequest, prompt_id: int) -> HttpResponse:
    """Keep (or, with ``discard``, drop) the member's draft of a reflection: autosaved by
    reflect.js, or the "Save draft" button without JavaScript."""
    prompts = Prompt.objects.visible_to(request.user).select_related("lesson__course")
    prompt = get_object_or_404(prompts, pk=prompt_id)
    if space_page.post_blocked_reason(request.user, prompt):
        raise PermissionDenied(_("You can’t write in this activity."))
    form = space_page.composer_form(prompt, request.POST, user=request.user)
    outcome, status = _keep_draft(request, form, prompt=prompt, parent=None)
    if _wants_fragment(request) or status == 200:
        return _draft_done(request, outcome, status, back=f"{prompt.get_absolute_url()}#reflect")
    context = space_page.build_space(request.user, prompt.lesson, prompt_id=prompt.pk).context(
        form=form, draft_problem=outcome, rate_limited=outcome == "rate_limited"
    )
    return render(request, SPACE, context, status=status)


@login_required
@require_POST
def reply_draft(request: HttpRequest, post_id: int) -> HttpResponse:
    """The same for a reply: one draft per member and post replied to."""
    parent = lookups.get_visible_post(request.user, post_id)
    if not permissions.can_reply(request.user, parent):
        raise PermissionDenied(_("You can’t reply to this post."))
    form = _reply_form(parent, request.POST, user=request.user)
    outcome, status = _keep_draft(request, form, prompt=parent.prompt, parent=parent)
    back = reverse("community:reflection-reply", args=[parent.pk])
    if _wants_fragment(request) or status == 200:
        return _draft_done(request, outcome, status, back=back)
    context = {
        "parent": parent,
        "form": form,
        "draft_problem": outcome,
        "rate_limited": outcome == "rate_limited",
    }
    return render(request, REPLY, context, status=status)


def _wants_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) or request.headers.get("X-Requested-With") == "fetch"


def _keep_draft(request: HttpRequest, form: ReflectionForm, *, prompt: Prompt, parent) -> tuple[str, int]:
    """Save or discard the draft: (what happened, status)."""
    if is_rate_limited(request, "draft"):
        return "rate_limited", TOO_MANY_REQUESTS
    if "discard" in request.POST:
        services.discard_draft(user=request.user, prompt=prompt, parent=parent)
        return "discarded", 200
    if len(form.text()) > settings.REFLECTION_MAX_LENGTH:
        return "too_long", 400
    try:
        key = form.fields["submission_key"].clean(form.data.get(form.add_prefix("submission_key")))
    except ValidationError:
        key = None
    draft = services.save_draft(
        user=request.user, prompt=prompt, parent=parent, fields=form.draft_fields(), submission_key=key
    )
    return ("saved" if draft else "empty"), 200


def _draft_done(request: HttpRequest, outcome: str, status: int, *, back: str) -> HttpResponse:
    """A short status for the composer (JavaScript), or back to the composer with a message."""
    if _wants_fragment(request):
        return render(request, "community/_draft_status.html", {"outcome": outcome}, status=status)
    words = {
        "saved": _("Your draft is saved. It will be here when you come back."),
        "discarded": _("Your draft is discarded."),
        "empty": _("There was nothing to keep, so there is no draft."),
    }
    messages.success(request, words[outcome])
    return redirect(back)


@login_required
def reflection_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    """Edit a post. The form carries the version it started from: a save over a version changed
    meanwhile (another tab) comes back, 409, with both texts, so nothing is silently replaced."""
    reflection = lookups.get_visible_post(request.user, post_id)
    if not permissions.can_edit(request.user, reflection):
        raise PermissionDenied(_("Only the author can edit this post."))
    if request.method != "POST":
        initial = {
            "body": reflection.body, "content_note": reflection.content_note,
            "base_version": services.body_version(reflection.body),
        }  # fmt: skip
        return _edit_page(request, reflection, ReflectionEditForm(label=_("Edit your post"), initial=initial))
    form = ReflectionEditForm(request.POST, label=_("Edit your post"))
    held = _hold(request, form, action="reply")
    if held:
        extra, status = held
        return _edit_page(request, reflection, form, status=status, **extra)
    try:
        services.edit_reflection(
            reflection=reflection, body=form.cleaned_data["body"], editor=request.user,
            expected_version=form.cleaned_data["base_version"] or None,
            content_note=form.cleaned_data["content_note"],
        )  # fmt: skip
    except services.EditConflict as conflict:
        return _edit_conflict(request, reflection, conflict.current.body)
    messages.success(request, _("Your changes are saved."))
    return redirect(reflection)


def _edit_conflict(request: HttpRequest, reflection: Reflection, saved: str) -> HttpResponse:
    """409 with both texts: theirs stays in the editor, and saving again now saves over what they saw."""
    data = request.POST.copy()
    data["base_version"] = services.body_version(saved)
    form = ReflectionEditForm(data, label=_("Your version (edit it, then save again)"))
    return _edit_page(request, reflection, form, status=HTTPStatus.CONFLICT, conflict=True, saved_body=saved)


def _edit_page(
    request: HttpRequest, reflection: Reflection, form, *, status: int = 200, **extra
) -> HttpResponse:
    """The edit page: one context for showing it, a form back with its problem, and a conflict."""
    context = {"reflection": reflection, "form": form, **extra}
    return render(request, "community/reflection_edit.html", context, status=status)


@login_required
def reflection_history(request: HttpRequest, post_id: int) -> HttpResponse:
    """The author's own edit history (earlier text stays private to them and the moderators)."""
    reflection = lookups.get_visible_post(request.user, post_id)
    if reflection.author_id != request.user.pk:
        raise PermissionDenied(_("Only the author and the moderators can see a post’s earlier versions."))
    context = {"reflection": reflection, "changes": services.revision_changes(reflection)}
    return render(request, "community/reflection_history.html", context)


@login_required
def reflection_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = lookups.get_visible_post(request.user, post_id)
    if not permissions.can_delete(request.user, reflection):
        raise PermissionDenied(_("Only the author can delete this post."))
    if request.method == "POST":
        prompt = reflection.prompt
        placeholder = services.delete_reflection(reflection=reflection, by=request.user)
        messages.success(request, _("Your post was deleted."))
        return redirect(placeholder or prompt)
    return render(request, "community/reflection_delete.html", {"reflection": reflection})


def _set_like(request: HttpRequest, post_id: int, *, liked: bool) -> HttpResponse:
    reflection = lookups.get_visible_post(request.user, post_id)
    if not permissions.can_like(request.user, reflection):
        raise PermissionDenied(_("You can’t like this post."))
    if is_rate_limited(request, "like"):
        if request.htmx:  # leave the button as it is; reflect.js explains
            return reswap(HttpResponse(status=TOO_MANY_REQUESTS), "none")
        return too_fast(request)
    change = services.like_reflection if liked else services.unlike_reflection
    change(reflection=reflection, user=request.user)
    if request.htmx:  # after a like, the button comes back with "What helped you?" open
        return _like_fragment(request, reflection, liked=liked, offer_reason=liked)
    if liked:  # without JavaScript: the short "What helped you?" page, which can be skipped
        return redirect("community:like-reason", post_id=reflection.pk)
    return redirect(reflection)


def _like_fragment(request: HttpRequest, reflection: Reflection, *, liked: bool, **extra) -> HttpResponse:
    reflection.refresh_from_db(fields=["like_count"])
    post = post_actions.single_post(request.user, reflection, liked=liked)
    context = {"post": post, **extra}
    if extra.get("offer_reason") and "reason_form" not in extra:
        context["reason_form"] = LikeReasonForm(post_id=post.pk, initial={"reason": post.actions.my_reason})
    return render(request, f"{SPACE}#like-button", context)


@login_required
@require_POST
def reflection_like(request: HttpRequest, post_id: int) -> HttpResponse:
    """Idempotent: a second "Like" (a double click without JavaScript) keeps one like."""
    return _set_like(request, post_id, liked=True)


@login_required
@require_POST
def reflection_unlike(request: HttpRequest, post_id: int) -> HttpResponse:
    return _set_like(request, post_id, liked=False)


def _own_like(request: HttpRequest, post_id: int) -> tuple[Reflection, Like]:
    """The post (visible, likeable by the viewer) and the viewer's like of it (404 if none)."""
    reflection = lookups.get_visible_post(request.user, post_id)
    if not permissions.can_give_like_reason(request.user, reflection):
        raise PermissionDenied(_("You can’t like this post."))
    like = get_object_or_404(Like, reflection=reflection, user=request.user)
    return reflection, like


@login_required
def like_reason(request: HttpRequest, post_id: int) -> HttpResponse:
    """ "What helped you?" after a like: GET the form (a page, or in place for htmx), POST to save
    it (an empty reason takes it back). A reason that is too long comes back with its text."""
    reflection, like = _own_like(request, post_id)
    template = "community/like_reason.html"
    if request.method != "POST":
        form = LikeReasonForm(post_id=reflection.pk, initial={"reason": like.reason})
        if request.htmx:
            return _like_fragment(request, reflection, liked=True, offer_reason=True, reason_form=form)
        return render(request, template, {"reflection": reflection, "like": like, "form": form})
    form = LikeReasonForm(request.POST, post_id=reflection.pk)
    rate_limited = form.is_valid() and is_rate_limited(request, "like")
    if not form.is_valid() or rate_limited:
        status = TOO_MANY_REQUESTS if rate_limited else 400
        if request.htmx:
            extra = {"offer_reason": True, "reason_form": form, "rate_limited": rate_limited}
            response = _like_fragment(request, reflection, liked=True, **extra)
            return response if status == 400 else reswap(response, "outerHTML")
        context = {"reflection": reflection, "like": like, "form": form, "rate_limited": rate_limited}
        return render(request, template, context, status=status)
    like = services.set_like_reason(like=like, reason=form.cleaned_data["reason"])
    saved = (
        _("Thank you: the author can see why it helped you.") if like.reason else _("Your reason is removed.")
    )
    if request.htmx:
        return _like_fragment(request, reflection, liked=True, reason_status=saved)
    messages.success(request, saved)
    return redirect(reflection)


@login_required
@require_POST
def like_reason_remove(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection, like = _own_like(request, post_id)
    if is_rate_limited(request, "like"):
        return too_fast(request)
    services.remove_like_reason(like=like)
    if request.htmx:
        return _like_fragment(request, reflection, liked=True, reason_status=_("Your reason is removed."))
    messages.success(request, _("Your reason is removed. Your like stays."))
    return redirect(reflection)


@login_required
@require_POST
def reflection_share(request: HttpRequest, post_id: int) -> HttpResponse:
    """ "Share with the course": the author's private reflection is posted now."""
    reflection = lookups.get_visible_post(request.user, post_id)
    if reflection.author_id == request.user.pk and not reflection.is_private and not reflection.is_deleted:
        return redirect(reflection)  # shared already (a double click without JavaScript)
    if not permissions.can_share(request.user, reflection):
        raise PermissionDenied(_("Only its author can share a private reflection, while they can post here."))
    if is_rate_limited(request, "post"):
        return too_fast(request)
    for_facilitators = request.POST.get("with") == "facilitators"  # "Share with the facilitator only"
    anonymous = request.POST.get("anonymous") == "1"  # "Share anonymously with the course"
    shared = services.share_reflection(
        reflection=reflection, for_facilitators=for_facilitators, anonymous=anonymous
    )
    if for_facilitators:
        messages.success(request, _("Your reflection is shared with the facilitators only."))
    elif shared.anonymous:
        messages.success(
            request,
            _("Your reflection is shared with the course anonymously: colleagues see “%(pseudonym)s”.")
            % {"pseudonym": shared.pseudonym_label},
        )
    else:
        messages.success(request, _("Your reflection is shared with the course. Thank you for sharing it."))
    back = request.POST.get("next", "")  # shared from the learning log: back there
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(lookups.page_ending_at(reflection))


def _set_highlight(request: HttpRequest, post_id: int, *, on: bool) -> HttpResponse:
    reflection = lookups.get_visible_post(request.user, post_id)
    if not permissions.can_highlight(request.user, reflection):
        raise PermissionDenied(
            _("Only the course’s facilitators, moderators and staff highlight reflections.")
        )
    change = services.highlight_reflection if on else services.unhighlight_reflection
    change(reflection=reflection, by=request.user)
    messages.success(
        request,
        _("Highlighted: its author has been told.") if on else _("The highlight is removed."),
    )
    return redirect(reflection)


@login_required
@require_POST
def reflection_highlight(request: HttpRequest, post_id: int) -> HttpResponse:
    return _set_highlight(request, post_id, on=True)


@login_required
@require_POST
def reflection_unhighlight(request: HttpRequest, post_id: int) -> HttpResponse:
    return _set_highlight(request, post_id, on=False)


def reflection_likes(request: HttpRequest, post_id: int) -> HttpResponse:
    if not reads_community(request.user):
        return redirect_to_login(request.get_full_path())
    reflection = lookups.get_visible_post(request.user, post_id)
    likes = reflection.likes.select_related("user").order_by("created_at")
    return render(request, "community/reflection_likes.html", {"reflection": reflection, "likes": likes})


def post_permalink(request: HttpRequest, post_id: int) -> HttpResponse:
    """/posts/<id>/ → the page of the space that shows it, scrolled to it (that page carries the
    ``ETag``; finding it is one or two queries)."""
    if not reads_community(request.user):
        return redirect_to_login(request.get_full_path())
    reflection = lookups.get_visible_post(request.user, post_id, placeholders=True)
    return redirect(lookups.space_url_of(request.user, reflection))


@conditional_page()
def thread(request: HttpRequest, post_id: int) -> HttpResponse:
    """/posts/<id>/thread/: a thread with all its replies ("Show all N replies"). For htmx, the
    thread in place of the space page's bounded one. A reply's address leads to its thread."""
    if not reads_community(request.user):
        return redirect_to_login(request.get_full_path())
    post = lookups.get_visible_post(request.user, post_id, placeholders=True)
    if post.thread_id:
        return redirect(reverse("community:thread", args=[post.thread_id]))
    page = space_page.build_thread(request.user, post)
    template = f"{SPACE}#thread" if request.htmx else "community/thread.html"
    return _page(request, template, page, records_visit=False, thread=page.threads[0], form=None)


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The markdownx editor's live preview, through the same pipeline as saved posts. markdownx
    shows whatever comes back in the preview pane, so refusals are a short HTML note."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to preview.")}, status=403)
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest(_("Nothing to preview."))
    limit = settings.REFLECTION_MAX_LENGTH
    if is_rate_limited(request, "preview"):
        status = TOO_MANY_REQUESTS
        note = _("The preview is paused for a while: it was asked for very often. Your text is safe.")
    elif len(content) > limit:
        status = HTTPStatus.BAD_REQUEST
        note = ngettext(
            "No preview: your text is %(count)s character long; the limit is %(limit)s. "
            "Shorten it a little — nothing you wrote has been lost.",
            "No preview: your text is %(count)s characters long; the limit is %(limit)s. "
            "Shorten it a little — nothing you wrote has been lost.",
            len(content),
        ) % {"count": f"{len(content):,}", "limit": f"{limit:,}"}
    else:
        return HttpResponse(services.render_post(content))
    note_html = format_html('<p class="alert alert--warning" role="alert">{}</p>', note)
    return HttpResponse(note_html, status=status)


@require_POST
def markdown_upload(request: HttpRequest) -> HttpResponse:
    """Image upload is switched off: reflections are words (see docs/decisions.md)."""
    return JsonResponse({"image_code": "", "error": _("Image upload is not available.")}, status=403)

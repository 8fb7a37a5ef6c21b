from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from accounts import roles
from community import permissions, services
from community.forms import ReflectionForm
from community.models import Like, Prompt, Reflection
from core.ratelimits import TOO_MANY_REQUESTS, is_rate_limited, too_fast
from lessons.models import Lesson

SORTS = {"oldest": "Oldest", "newest": "Newest", "liked": "Most liked", "mine": "Mine"}
MAX_PREVIEW_LENGTH = 100_000


def _reading_allowed(request: HttpRequest) -> bool:
    return settings.COMMUNITY_PUBLIC_READING or request.user.is_authenticated


def _get_lesson(request: HttpRequest, course_slug: str, lesson_slug: str) -> Lesson:
    return get_object_or_404(
        Lesson.objects.visible_to(request.user).select_related("course"),
        course__slug=course_slug,
        slug=lesson_slug,
    )


def _get_post(request: HttpRequest, post_id: int, *, allow_hidden: bool = False) -> Reflection:
    """A post the viewer may see: its lesson is visible to them, under independent reflection
    they have reflected (or wrote it), and a hidden post only for its author and moderators
    (unless ``allow_hidden``: the permalink shows the placeholder). Anything else is a 404, so
    ids reveal nothing."""
    visible_lessons = Lesson.objects.visible_to(request.user)
    reflection = get_object_or_404(
        Reflection.objects.select_related("prompt__lesson__course", "author", "thread"),
        pk=post_id,
        prompt__lesson__in=visible_lessons,
    )
    if reflection.author_id != request.user.pk and not permissions.can_read_reflections(
        request.user, reflection.prompt
    ):
        raise Http404
    if reflection.is_hidden and not allow_hidden and not permissions.can_see_hidden(request.user, reflection):
        raise Http404
    return reflection


def _discussion_context(request: HttpRequest, lesson: Lesson, prompt: Prompt | int | None, form=None) -> dict:
    """Everything the space page shows, in a fixed number of queries whatever its size.

    ``prompt`` is the activity to show (or its id); None shows the first in the space's order."""
    prompts = list(
        lesson.prompts.in_space_order()
        .with_reflection_counts()
        .select_related("author")
        .prefetch_related("author__groups")
    )
    if prompt is None and prompts:
        prompt = prompts[0]
    context = {
        "course": lesson.course,
        "lesson": lesson,
        "prompts": prompts,
        "prompt": None,
        "sorts": SORTS,
    }
    if prompt is None:
        return context
    wanted = prompt if isinstance(prompt, int) else prompt.pk
    prompt = next((p for p in prompts if p.pk == wanted), None)  # the copy with its count and author
    if prompt is None:
        raise Http404("No such activity in this space.")
    prompt.lesson = lesson
    order = request.GET.get("order", "oldest")
    if order not in SORTS or (order == "mine" and not request.user.is_authenticated):
        order = "oldest"
    can_read = permissions.can_read_reflections(request.user, prompt)
    context.update(
        prompt=prompt,
        order=order,
        can_read=can_read,
        can_post=permissions.can_post(request.user, prompt),
        participates=permissions.can_participate(request.user),
        moderates=roles.is_moderator(request.user),
        form=form or ReflectionForm(label="Your reflection"),
    )
    if not can_read:
        context["colleague_count"] = (
            Reflection.objects.live().top_level().filter(prompt=prompt).values("author").distinct().count()
        )
        return context
    threads = Reflection.objects.threads_for(prompt, order=order, user=request.user).for_display()
    page = Paginator(threads, settings.REFLECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    page_threads = list(page.object_list)
    replies = Reflection.objects.filter(thread__in=page_threads).for_display().order_by("created_at", "id")
    by_thread: dict[int, list[Reflection]] = {}
    for reply in replies:
        by_thread.setdefault(reply.thread_id, []).append(reply)
    for thread in page_threads:
        thread.thread_replies_list = by_thread.get(thread.pk, [])
    shown_ids = [r.pk for r in page_threads] + [r.pk for r in replies]
    liked_ids = set()
    if request.user.is_authenticated and shown_ids:
        liked_ids = set(
            Like.objects.filter(user=request.user, reflection_id__in=shown_ids).values_list(
                "reflection_id", flat=True
            )
        )
    context.update(
        page=page,
        threads=page_threads,
        liked_ids=liked_ids,
        page_range=page.paginator.get_elided_page_range(page.number),
    )
    return context


def space(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    if not _reading_allowed(request):
        return redirect_to_login(request.get_full_path())
    lesson = _get_lesson(request, course_slug, lesson_slug)
    return render(request, "community/space.html", _discussion_context(request, lesson, None))


def prompt_detail(request: HttpRequest, course_slug: str, lesson_slug: str, prompt_id: int) -> HttpResponse:
    if not _reading_allowed(request):
        return redirect_to_login(request.get_full_path())
    lesson = _get_lesson(request, course_slug, lesson_slug)
    return render(request, "community/space.html", _discussion_context(request, lesson, prompt_id))


@login_required
@require_POST
def reflection_create(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = get_object_or_404(
        Prompt.objects.select_related("lesson__course"),
        pk=prompt_id,
        lesson__in=Lesson.objects.visible_to(request.user),
    )
    if not permissions.can_post(request.user, prompt):
        raise PermissionDenied("This activity is locked: it takes no new reflections.")
    form = ReflectionForm(request.POST, label="Your reflection")
    if not form.is_valid():
        context = _discussion_context(request, prompt.lesson, prompt, form=form)
        if request.htmx:
            response = render(request, "community/space.html#reflection-form", context)
            return reswap(retarget(response, "#reflection-form"), "outerHTML")
        return render(request, "community/space.html", context, status=400)
    if is_rate_limited(request, "post"):
        context = _discussion_context(request, prompt.lesson, prompt, form=form)
        context["rate_limited"] = True
        if request.htmx:
            response = render(
                request, "community/space.html#reflection-form", context, status=TOO_MANY_REQUESTS
            )
            return reswap(retarget(response, "#reflection-form"), "outerHTML")
        return render(request, "community/space.html", context, status=TOO_MANY_REQUESTS)
    could_read = permissions.can_read_reflections(request.user, prompt)
    reflection = services.create_reflection(
        prompt=prompt,
        author=request.user,
        body=form.cleaned_data["body"],
        submission_key=form.cleaned_data["submission_key"],
    )
    if request.htmx and could_read:
        reflection.thread_replies_list = []
        request.user.refresh_from_db(fields=["post_count"])
        reflection.author = request.user
        context = {
            "thread": reflection,
            "prompt": prompt,
            "can_post": True,
            "participates": True,
            "liked_ids": set(),
        }
        return render(request, "community/space.html#thread", context)
    messages.success(request, "Your reflection is posted. Thank you for sharing it.")
    if request.htmx:  # independent reflection: everything appears now, so load the whole page
        return HttpResponseClientRedirect(reflection.get_absolute_url())
    return redirect(reflection)


@login_required
def reflection_reply(request: HttpRequest, post_id: int) -> HttpResponse:
    parent = _get_post(request, post_id)
    if not permissions.can_reply(request.user, parent):
        raise PermissionDenied("You can’t reply to this post: it was removed, or its activity is locked.")
    label = f"Your reply to {parent.author.display_name}"
    rate_limited = False
    if request.method == "POST":
        form = ReflectionForm(request.POST, label=label, prefix="reply")
        if form.is_valid():
            rate_limited = is_rate_limited(request, "reply")
        if form.is_valid() and not rate_limited:
            reply = services.create_reflection(
                prompt=parent.prompt,
                author=request.user,
                body=form.cleaned_data["body"],
                parent=parent,
                submission_key=form.cleaned_data["submission_key"],
            )
            if request.htmx:
                request.user.refresh_from_db(fields=["post_count"])
                reply.author = request.user
                context = {"post": reply, "can_post": True, "participates": True, "liked_ids": set()}
                return render(request, "community/_reply_item.html", context)
            messages.success(request, "Your reply is posted.")
            return redirect(reply)
    else:
        initial = {}
        if "quote" in request.GET:
            quoted = "\n".join(f"> {line}" for line in parent.body.splitlines())
            initial["body"] = f"{quoted}\n>\n> — @{parent.author.handle}\n\n"
        form = ReflectionForm(label=label, initial=initial, prefix="reply")
    context = {"parent": parent, "form": form, "rate_limited": rate_limited}
    status = TOO_MANY_REQUESTS if rate_limited else 400 if form.is_bound else 200
    if request.htmx:
        # Errors come back in place, into the reply slot (htmx swaps 200 and 429 responses).
        response = render(
            request,
            "community/reflection_reply.html#reply-form",
            context,
            status=status if rate_limited else 200,
        )
        return (
            reswap(retarget(response, f"#reply-slot-{parent.pk}"), "innerHTML") if form.is_bound else response
        )
    return render(request, "community/reflection_reply.html", context, status=status)


@login_required
def reflection_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _get_post(request, post_id)
    if not permissions.can_edit(request.user, reflection):
        raise PermissionDenied("Only the author can edit this post.")
    if request.method == "POST":
        form = ReflectionForm(request.POST, label="Edit your post")
        if form.is_valid():
            services.edit_reflection(
                reflection=reflection, body=form.cleaned_data["body"], editor=request.user
            )
            messages.success(request, "Your changes are saved.")
            return redirect(reflection)
    else:
        form = ReflectionForm(label="Edit your post", initial={"body": reflection.body})
    status = 400 if form.is_bound else 200
    return render(
        request, "community/reflection_edit.html", {"reflection": reflection, "form": form}, status=status
    )


@login_required
def reflection_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _get_post(request, post_id)
    if not permissions.can_delete(request.user, reflection):
        raise PermissionDenied("Only the author can delete this post.")
    if request.method == "POST":
        prompt = reflection.prompt
        placeholder = services.delete_reflection(reflection=reflection, by=request.user)
        messages.success(request, "Your post was deleted.")
        return redirect(placeholder or prompt)
    return render(request, "community/reflection_delete.html", {"reflection": reflection})


@login_required
@require_POST
def reflection_like(request: HttpRequest, post_id: int) -> HttpResponse:
    reflection = _get_post(request, post_id)
    if not permissions.can_like(request.user, reflection):
        raise PermissionDenied("You can’t like your own posts.")
    if is_rate_limited(request, "like"):
        if request.htmx:  # leave the button as it is; reflect.js explains
            return reswap(HttpResponse(status=TOO_MANY_REQUESTS), "none")
        return too_fast(request)
    liked = services.toggle_like(reflection=reflection, user=request.user)
    reflection.refresh_from_db(fields=["like_count"])
    if request.htmx:
        return render(
            request,
            "community/space.html#like-button",
            {"post": reflection, "participates": True, "liked_ids": {reflection.pk} if liked else set()},
        )
    return redirect(reflection)


def reflection_likes(request: HttpRequest, post_id: int) -> HttpResponse:
    if not _reading_allowed(request):
        return redirect_to_login(request.get_full_path())
    reflection = _get_post(request, post_id)
    likes = reflection.likes.select_related("user").order_by("created_at")
    return render(request, "community/reflection_likes.html", {"reflection": reflection, "likes": likes})


def post_permalink(request: HttpRequest, post_id: int) -> HttpResponse:
    """/posts/<id>/ → the page of the space that shows it, scrolled to it."""
    if not _reading_allowed(request):
        return redirect_to_login(request.get_full_path())
    reflection = _get_post(request, post_id, allow_hidden=True)
    root = reflection.thread or reflection
    earlier = Reflection.objects.filter(
        prompt_id=reflection.prompt_id, thread__isnull=True, created_at__lt=root.created_at
    ).count()
    page_number = earlier // settings.REFLECTIONS_PER_PAGE + 1
    url = reflection.prompt.get_absolute_url()
    if page_number > 1:
        url += f"?page={page_number}"
    return redirect(f"{url}#{reflection.anchor}")


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The markdownx editor's live preview, through the same pipeline as saved posts."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to preview."}, status=403)
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("Nothing to preview.")
    if len(content) > MAX_PREVIEW_LENGTH:
        return HttpResponseBadRequest("Too long to preview.")
    return HttpResponse(services.render_post(content))


@require_POST
def markdown_upload(request: HttpRequest) -> HttpResponse:
    """Image upload is switched off: reflections are words (see docs/decisions.md)."""
    return JsonResponse({"image_code": "", "error": "Image upload is not available."}, status=403)

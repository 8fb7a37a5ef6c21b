from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from community.markdown import render_markdown
from lessons.models import Lesson


def space(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = get_object_or_404(
        Lesson.objects.visible_to(request.user).select_related("course"),
        course__slug=course_slug,
        slug=lesson_slug,
    )
    return render(request, "community/space.html", {"lesson": lesson, "course": lesson.course})


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The markdownx editor's live preview, through the same pipeline as saved posts."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to preview."}, status=403)
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("Nothing to preview.")
    return HttpResponse(render_markdown(content))


@require_POST
def markdown_upload(request: HttpRequest) -> HttpResponse:
    """Image upload is switched off: reflections are words (see docs/decisions.md)."""
    return JsonResponse({"image_code": "", "error": "Image upload is not available."}, status=403)

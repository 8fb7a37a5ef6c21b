from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from lessons.models import Course, Lesson


def course_list(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.visible_to(request.user).annotate(
        lesson_count=Count("lessons", filter=Q(lessons__published=True))
    )
    return render(request, "lessons/course_list.html", {"courses": courses})


def course_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=course_slug)
    lessons = Lesson.objects.visible_to(request.user).filter(course=course)
    return render(request, "lessons/course_detail.html", {"course": course, "lessons": lessons})


def lesson_detail(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = get_object_or_404(
        Lesson.objects.visible_to(request.user).select_related("course"),
        course__slug=course_slug,
        slug=lesson_slug,
    )
    siblings = list(
        Lesson.objects.visible_to(request.user)
        .filter(course=lesson.course)
        .only("number", "title", "slug", "course_id", "position")
    )
    index = next(i for i, item in enumerate(siblings) if item.pk == lesson.pk)
    context = {
        "course": lesson.course,
        "lesson": lesson,
        "previous_lesson": siblings[index - 1] if index > 0 else None,
        "next_lesson": siblings[index + 1] if index + 1 < len(siblings) else None,
    }
    return render(request, "lessons/lesson_detail.html", context)

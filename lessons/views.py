from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lessons import permissions, services
from lessons.forms import InvitationUploadForm
from lessons.models import Cohort, Course, Enrolment, Lesson


def course_list(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.visible_to(request.user).annotate(
        lesson_count=Count("lessons", filter=Q(lessons__published=True))
    )
    return render(request, "lessons/course_list.html", {"courses": courses})


def course_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=course_slug)
    lessons = Lesson.objects.visible_to(request.user).filter(course=course).select_related("course")
    enrolment = Enrolment.objects.of(request.user).filter(course=course).select_related("cohort").first()
    context = {
        "course": course,
        "lessons": lessons,
        "enrolment": enrolment,
        "can_join": enrolment is None and permissions.can_join(request.user, course),
        "facilitating": enrolment is None and permissions.facilitates(request.user, course.pk),
        "can_invite": permissions.can_invite(request.user, course),
    }
    return render(request, "lessons/course_detail.html", context)


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


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def join(request: HttpRequest, course_slug: str) -> HttpResponse:
    """ "Join this course" (open courses): into the current cohort; joining twice changes nothing."""
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=course_slug)
    if not permissions.can_join(request.user, course):
        if permissions.facilitates(request.user, course.pk):
            raise PermissionDenied(_("You facilitate this course: you take part without joining it."))
        raise PermissionDenied(_("This course is joined through an invitation."))
    _enrolment, created = services.join_course(user=request.user, course=course)
    if created:
        messages.success(
            request, _("Welcome to %(course)s. You can now add your reflections.") % {"course": course.title}
        )
    return redirect(_next_or(request, course.get_absolute_url()))


def join_invitation(request: HttpRequest, course_slug: str, token: str) -> HttpResponse:
    """An invitation link: a page to confirm (GET), joining the invited cohort (POST). Anyone not
    signed in is sent to sign in (or sign up) and comes back here."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = get_object_or_404(Course.objects.published(), slug=course_slug)
    try:
        cohort = services.cohort_of_invitation(course=course, token=token)
    except services.InvalidInvitation as problem:
        return render(
            request, "lessons/join_invalid.html", {"course": course, "problem": problem}, status=404
        )
    enrolment = Enrolment.objects.of(request.user).filter(course=course).select_related("cohort").first()
    if request.method == "POST":
        _enrolment, created = services.enrol(user=request.user, cohort=cohort)
        if created:
            messages.success(
                request,
                _("Welcome to %(course)s. You can now add your reflections.") % {"course": course.title},
            )
        return redirect(course)
    context = {"course": course, "cohort": cohort, "enrolment": enrolment}
    return render(request, "lessons/join_invitation.html", context)


@login_required
def invite(request: HttpRequest, course_slug: str) -> HttpResponse:
    """For the course's facilitators and staff: invite a list of email addresses to a cohort, and
    the cohort's invitation links."""
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=course_slug)
    if not permissions.can_invite(request.user, course):
        raise Http404("No such page.")
    cohorts = Cohort.objects.filter(course=course).annotate(members=Count("enrolments"))
    form = InvitationUploadForm(request.POST or None, cohorts=cohorts)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.invite_addresses(
            cohort=form.cleaned_data["cohort"], text=form.cleaned_data["addresses"], by=request.user
        )
        enrolled, already, invited = len(result.enrolled), len(result.already), len(result.invited)
        messages.success(
            request,
            # Translators: the three counts after an invitation upload, each a phrase of its own
            # ("3 enrolled", "1 already enrolled", "2 invited by email"), in this order.
            _("%(enrolled)s, %(already)s, %(invited)s.")
            % {
                "enrolled": ngettext("%(count)s enrolled", "%(count)s enrolled", enrolled)
                % {"count": enrolled},
                "already": ngettext("%(count)s already enrolled", "%(count)s already enrolled", already)
                % {"count": already},
                "invited": ngettext("%(count)s invited by email", "%(count)s invited by email", invited)
                % {"count": invited},
            },
        )
    links = [(cohort, request.build_absolute_uri(services.invitation_path(cohort))) for cohort in cohorts]
    context = {"course": course, "form": form, "result": result, "links": links}
    return render(request, "lessons/invite.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def renew_invitation(request: HttpRequest, course_slug: str, cohort_id: int) -> HttpResponse:
    """The invite page's "Renew link": the cohort's links given out so far stop working."""
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=course_slug)
    if not permissions.can_invite(request.user, course):
        raise Http404("No such page.")
    cohort = get_object_or_404(Cohort, pk=cohort_id, course=course)
    services.renew_invitation(cohort=cohort)
    messages.success(
        request,
        _("%(cohort)s: a new invitation link; the old one no longer works.") % {"cohort": cohort.label},
    )
    return redirect("lessons:invite", course_slug=course.slug)

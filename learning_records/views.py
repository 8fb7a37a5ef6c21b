import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Prompt
from learning_records import services
from learning_records.forms import ConsentForm
from learning_records.models import RecordSettings, Statement
from lessons.models import Course, Lesson


@login_required
def record_settings(request: HttpRequest) -> HttpResponse:
    """What the member's learning records include, and their download."""
    shown = RecordSettings.objects.filter(user_id=request.user.pk).first() or RecordSettings(
        user=request.user
    )
    form = ConsentForm(request.POST or None, instance=shown)  # looking makes nothing; saving does
    if request.method == "POST" and form.is_valid():
        services.set_consent(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your learning-record settings are saved."))
        return redirect("learning_records:settings")
    mine = Statement.objects.filter(user_id=request.user.pk)
    context = {
        "form": form,
        "enabled": services.enabled(),
        "recorded": mine.count(),
        "waiting": mine.filter(sent_at__isnull=True, rejected_at__isnull=True).count(),
    }
    return render(request, "learning_records/settings.html", context, status=400 if form.errors else 200)


@login_required
def download(request: HttpRequest) -> HttpResponse:
    """``/me/learning-records.json``: every statement recorded about the member, as the LRS gets it."""
    body = {
        "generated": timezone.now().isoformat(),
        "statements": services.member_statements(request.user),
    }
    response = HttpResponse(json.dumps(body, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="learning-records.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def activity(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(
        get_object_or_404(Prompt.objects.visible_to(request.user).select_related("lesson__course"), pk=pk)
    )


def lesson(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(
        get_object_or_404(Lesson.objects.visible_to(request.user).select_related("course"), pk=pk)
    )


def course(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(get_object_or_404(Course.objects.visible_to(request.user), pk=pk))

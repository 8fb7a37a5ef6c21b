import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import is_moderator
from community.insight_sections import insight_sections
from community.models import Prompt
from community.worklist_sections import worklist_sections
from core.csvsafe import safe_cell
from core.pagination import step_links
from core.ratelimits import is_rate_limited
from insights import queries, services, tables
from insights.chart import trend_chart
from insights.forms import CohortFilterForm, NudgeForm
from insights.permissions import can_nudge, can_view_insights
from lessons.models import Cohort

LEARNERS_PER_PAGE = 50
WAITING_SHOWN = 100  # "Not yet reflected" on the page; the nudge form and the CSV list everyone
# Sortable columns of the learners' table: key → (heading, attribute).
COLUMNS = {
    "name": (gettext_lazy("Learner"), "name"),
    "cohort": (gettext_lazy("Cohort"), "cohort"),
    "reflections": (gettext_lazy("Reflections"), "reflections"),
    "replies": (gettext_lazy("Replies"), "replies"),
    "likes_given": (gettext_lazy("Likes given"), "likes_given"),
    "likes_received": (gettext_lazy("Likes received"), "likes_received"),
    "words": (gettext_lazy("Words"), "words"),
    # times sort as the epoch seconds they are kept in
    "first_post": (gettext_lazy("First post"), "first_post_epoch"),
    "last_post": (gettext_lazy("Last post"), "last_post_epoch"),
    "last_visit": (gettext_lazy("Last visit"), "last_visit_epoch"),
}


def _prompt_for_insight(request: HttpRequest, prompt_id: int) -> Prompt:
    """The activity, if the viewer may read its insight (404 otherwise, as for a missing page)."""
    prompt = get_object_or_404(
        Prompt.objects.visible_to(request.user).select_related("lesson__course"), pk=prompt_id
    )
    if not can_view_insights(request.user, prompt.lesson.course_id):
        raise Http404("No insight here.")
    return prompt


def _cohort_id(request: HttpRequest) -> int | None:
    value = request.GET.get("cohort", "")
    return int(value) if value.isdigit() else None


def _sorted_learners(rows, sort: str, descending: bool):
    """Empty values (never posted, never visited) last whichever way the column is sorted."""
    attribute = COLUMNS[sort][1]
    present = [row for row in rows if getattr(row, attribute) is not None]
    missing = [row for row in rows if getattr(row, attribute) is None]
    key = (lambda row: getattr(row, attribute).casefold()) if sort in ("name", "cohort") else None
    present.sort(key=key or (lambda row: getattr(row, attribute)), reverse=descending)
    return present + missing


def _column_headings(sort: str, descending: bool, query: dict) -> list[dict]:
    """The learners' table headings: each a link that sorts by it (the current one turns round)."""
    headings = []
    for key, (label, _attribute) in COLUMNS.items():
        current = key == sort
        direction = "desc" if current and not descending else "asc"
        headings.append({
            "key": key,
            "label": label,
            "aria_sort": ("descending" if descending else "ascending") if current else None,
            "url": "?" + urlencode({**query, "sort": key, "dir": direction}) + "#learners",
        })  # fmt: skip
    return headings


@login_required
def activity_insights(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = _prompt_for_insight(request, prompt_id)
    insight = queries.activity_insight(prompt=prompt, viewer=request.user, cohort_id=_cohort_id(request))
    sort = request.GET.get("sort", "name")
    sort = sort if sort in COLUMNS else "name"
    descending = request.GET.get("dir") == "desc"
    learners = Paginator(_sorted_learners(insight.learners, sort, descending), LEARNERS_PER_PAGE)
    cohort_query = {"cohort": insight.cohort.pk} if insight.cohort else {}
    columns = _column_headings(sort, descending, cohort_query)
    waiting = insight.not_reflected
    learner_page = learners.get_page(request.GET.get("page"))
    chart = trend_chart(insight.trend)
    context = {
        "prompt": prompt,
        "lesson": prompt.lesson,
        "course": prompt.lesson.course,
        "insight": insight,
        "waiting": waiting,
        "waiting_shown": waiting[:WAITING_SHOWN],
        "chart": chart,
        "filter_form": CohortFilterForm(
            initial={"cohort": insight.cohort.pk if insight.cohort else ""}, cohorts=insight.cohorts
        ),
        "columns": columns,
        "learner_page": learner_page,
        "tables": {
            "waiting": tables.waiting_rows(waiting[:WAITING_SHOWN]),
            "learners": tables.learner_rows(learner_page.object_list),
            "trend": tables.trend_rows(insight.trend),
            "bars": tables.chart_bars(chart.bars),
        },
        "learner_page_links": step_links(
            learner_page,
            query=urlencode({**cohort_query, "sort": sort, "dir": "desc" if descending else "asc"}),
            fragment="#learners",
            rel=False,
        ),
        "cohort_query": urlencode(cohort_query),
        "can_nudge": can_nudge(request.user, prompt.lesson.course_id),
        "unheard_hours": queries.unheard_after().total_seconds() // 3600,
        # What apps beside insights add (the learning platform's gradebook: lti).
        "extra_sections": insight_sections(prompt=prompt, learners=insight.learners, viewer=request.user),
    }
    return render(request, "insights/activity.html", context)


@login_required
def learners_csv(request: HttpRequest, prompt_id: int) -> HttpResponse:
    """The learners' table as CSV, every cell safe from spreadsheet formulas."""
    prompt = _prompt_for_insight(request, prompt_id)
    insight = queries.activity_insight(prompt=prompt, viewer=request.user, cohort_id=_cohort_id(request))
    name = f"insights-{prompt.lesson.course.slug}-lesson-{prompt.lesson.number}-activity-{prompt.pk}"
    if insight.cohort:
        name += f"-cohort-{insight.cohort.pk}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # spreadsheets read UTF-8 names correctly with the byte-order mark
    writer = csv.writer(response)
    headings = [
        _("Learner"),
        _("Handle"),
        _("Cohort"),
        *(str(label) for label, _attr in list(COLUMNS.values())[2:]),
    ]
    writer.writerow(headings)

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for row in insight.learners:
        writer.writerow(
            safe_cell(value)
            for value in (
                row.name, row.handle, row.cohort, row.reflections, row.replies, row.likes_given,
                row.likes_received, row.words, when(row.first_post), when(row.last_post), when(row.last_visit),
            )
        )  # fmt: skip
    return response


@login_required
def nudge(request: HttpRequest, prompt_id: int) -> HttpResponse:
    """Choose learners who have not reflected, write (and preview) a reminder, send it."""
    prompt = _prompt_for_insight(request, prompt_id)
    if not can_nudge(request.user, prompt.lesson.course_id):
        raise Http404("No nudging here.")
    cohort_id = _cohort_id(request)
    insight = queries.activity_insight(prompt=prompt, viewer=request.user, cohort_id=cohort_id)
    waiting = [row for row in insight.not_reflected if not row.nudged_recently]
    reminded = [row for row in insight.not_reflected if row.nudged_recently]
    back = reverse("insights:activity", args=[prompt.pk]) + (f"?cohort={cohort_id}" if insight.cohort else "")
    preview = None
    if request.method == "POST":
        form = NudgeForm(request.POST, learners=waiting)
        if form.is_valid() and "preview" in request.POST:
            preview = form.cleaned_data["message"]
        elif form.is_valid() and is_rate_limited(request, "nudge"):
            form.add_error(
                None, _("You have sent many nudges in a short time. Please wait a little and try again.")
            )
        elif form.is_valid():
            result = services.send_nudge(
                prompt=prompt,
                sender=request.user,
                user_ids=form.cleaned_data["learners"],
                message=form.cleaned_data["message"],
            )
            messages.success(request, _nudge_summary(result))
            return redirect(back)
    else:
        form = NudgeForm(
            initial={
                "message": services.default_message(prompt),
                "learners": [row.user_id for row in waiting],
            },
            learners=waiting,
        )
    # The checkboxes are written by the template (hundreds of them: no widget per learner).
    checked = {value for value in form["learners"].value() or () if str(value).isdigit()}
    context = {
        "prompt": prompt,
        "lesson": prompt.lesson,
        "course": prompt.lesson.course,
        "insight": insight,
        "form": form,
        "checked": {int(value) for value in checked},
        "waiting": waiting,
        "reminded": reminded,
        "preview": preview,
        "back": back,
    }
    return render(request, "insights/nudge.html", context, status=400 if form.errors else 200)


def _nudge_summary(result: services.NudgeResult) -> str:
    parts = [
        ngettext("Reminder sent to %(count)s learner.", "Reminder sent to %(count)s learners.", result.sent)
        % {"count": result.sent}
    ]
    if result.skipped_recent:
        count = result.skipped_recent
        parts.append(
            # Translators: learners left out of a reminder (English says "were" for any number).
            ngettext(
                "%(count)s had a reminder in the last 24 hours and were left out.",
                "%(count)s had a reminder in the last 24 hours and were left out.",
                count,
            )
            % {"count": count}
        )
    if result.skipped_reflected:
        count = result.skipped_reflected
        # Translators: learners who reflected while the facilitator was writing the reminder.
        parts.append(
            ngettext("%(count)s reflected meanwhile.", "%(count)s reflected meanwhile.", count)
            % {"count": count}
        )
    return " ".join(parts)


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """/facilitate/: every activity of the viewer's courses, most urgent first."""
    user = request.user
    if not (user.is_staff or is_moderator(user) or Cohort.objects.facilitated_by(user).exists()):
        raise Http404("No courses to facilitate.")
    sections = worklist_sections(user=user)  # other apps' parts (facilitation: the prompt library)
    return render(request, "insights/worklist.html", {"items": queries.worklist(user), "sections": sections})

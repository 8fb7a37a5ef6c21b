"""The member's learning log (/me/learning-log/) and its exports. Thin: read the filters, ask
``queries``/``exports``/``services``, respond. Everything is the signed-in member's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from accounts import member_data
from community import permissions
from core.pagination import numbered_links
from core.ratelimits import is_rate_limited, too_fast
from journal import exports, queries, services
from journal.forms import LogFilterForm
from journal.models import LogExport

TEMPLATE = "journal/learning_log.html"


def _filter_form(request: HttpRequest, data) -> LogFilterForm:
    return LogFilterForm(data, courses=queries.courses_written_in(request.user))


def _page_with_errors(request: HttpRequest, form: LogFilterForm) -> HttpResponse:
    """An export asked with filters that do not validate: the log page with the errors."""
    return render(request, TEMPLATE, {"form": form}, status=400)


@login_required
@require_GET
def learning_log(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request, request.GET)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form})
    filters = form.filters()
    page = queries.log_page(request.user, filters, request.GET.get("page"))
    for post in page.object_list:  # a private reflection can be shared from here (issue 23)
        post.share_url = (
            reverse("community:reflection-share", args=[post.pk])
            if permissions.can_share(request.user, post)
            else None
        )
        post.share_anonymity = (
            permissions.offers_anonymity(request.user, post.prompt) if post.share_url else ""
        )
    params = request.GET.copy()
    params.pop("page", None)
    filter_query = params.urlencode()
    return render(
        request,
        TEMPLATE,
        {
            "form": form,
            "filters": filters,
            "page": page,
            "posts": page.object_list,
            "page_links": numbered_links(page, query=filter_query),
            "filter_query": filter_query,
            "latest_pdf": queries.latest_pdf(request.user),
            # Other apps' downloads of the member's own records (learning records' statements).
            "more_downloads": [(d.label, reverse(d.url_name)) for d in member_data.downloads()],
        },
    )


def _in_language(language: str, chunks):
    """``chunks`` made in ``language``: a streamed file is written after the view has returned, each
    chunk only when the server asks for it, so the request's language is set again for each."""
    chunks = iter(chunks)
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def _download(request: HttpRequest, lines, *, content_type: str, extension: str) -> HttpResponse:
    form = _filter_form(request, request.GET)
    if not form.is_valid():
        return _page_with_errors(request, form)
    if is_rate_limited(request, "export"):
        return too_fast(request)
    chunks = _in_language(translation.get_language(), lines(request.user, form.filters()))
    response = StreamingHttpResponse(chunks, content_type=content_type)
    name = exports.filename(request.user, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def export_markdown(request: HttpRequest) -> HttpResponse:
    return _download(
        request, exports.markdown_chunks, content_type="text/markdown; charset=utf-8", extension="md"
    )


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, exports.csv_lines, content_type="text/csv; charset=utf-8", extension="csv")


@login_required
@require_POST
def export_pdf(request: HttpRequest) -> HttpResponse:
    """ "Download PDF": the worker lays it out (seconds for a long log); the member waits on its page."""
    form = _filter_form(request, request.POST)
    if not form.is_valid():
        return _page_with_errors(request, form)
    if is_rate_limited(request, "export"):
        return too_fast(request)
    try:
        export = services.request_log_pdf(user=request.user, filters=form.filters())
    except services.LogTooLongForPdf as too_long:
        messages.warning(request, str(too_long))
        query = request.POST.copy()
        query.pop("csrfmiddlewaretoken", None)
        return redirect(f"{reverse('journal:learning-log')}?{query.urlencode()}")
    return redirect(export)


def _own_export(request: HttpRequest, pk: int) -> LogExport:
    return get_object_or_404(
        LogExport.objects.filter(user_id=request.user.pk).select_related("course").defer("content"), pk=pk
    )


@login_required
@require_GET
def pdf_status(request: HttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    filters = services.export_filters(export)
    # Back to the log (to try again, or carry on) with the filters the PDF was asked with (WCAG 3.3.7).
    query = filters.query()
    log_url = reverse("journal:learning-log") + (f"?{query}" if query else "")
    context = {"export": export, "range": exports.range_text(filters), "log_url": log_url}
    if request.htmx:
        return render(request, "journal/pdf_status.html#status", context)
    return render(request, "journal/pdf_status.html", context)


@login_required
@require_GET
def pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(LogExport.objects.filter(user_id=request.user.pk), pk=pk)
    if not export.is_ready:
        return redirect(export)
    response = HttpResponse(bytes(export.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(request.user, "pdf")}"'
    return response


def moved_to_learning_log(request: HttpRequest, rest: str) -> HttpResponse:
    """/me/reflections/… (the log's first address) → the same page under /me/learning-log/, with its
    query string: 301 for a GET, 308 for a POST (a PDF asked from a page loaded before the move) so
    the browser sends the form again rather than turning it into a GET."""
    url = reverse("journal:learning-log") + rest
    if query := request.META.get("QUERY_STRING"):
        url = f"{url}?{query}"
    return redirect(url, permanent=True, preserve_request=request.method not in ("GET", "HEAD"))

"""/search/: thin. Read the form, ask the service, render. Works without JavaScript (a GET form)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from community.querysets import reads_community
from core.pagination import numbered_links
from core.ratelimits import TOO_MANY_REQUESTS, is_rate_limited
from search import services
from search.forms import SearchForm

TEMPLATE = "search/results.html"


def results(request: HttpRequest) -> HttpResponse:
    if not reads_community(request.user):  # as the space does: members only, unless public reading
        return redirect_to_login(request.get_full_path())
    courses, lessons = services.filter_choices(request.user)
    form = SearchForm(request.GET, courses=courses, lessons=lessons)
    form.is_valid()  # the valid fields are used; the others show their errors
    text, shortened = services.clean_query(request.GET.get("q"))
    filters = services.Filters(
        course_id=form.value("course"),
        lesson_id=form.value("lesson"),
        author=form.value("author") or "",
        mine=bool(form.value("mine")),
        since=form.value("from"),
        until=form.value("to"),
    )
    sort = form.value("sort") or "relevance"
    context = {
        "form": form,
        "text": text,
        "shortened": shortened,
        "sort": sort,
        "sorts": services.SORTS,
        "filtered": any(form.value(name) for name in ("course", "lesson", "author", "mine", "from", "to")),
        "max_length": settings.SEARCH_MAX_QUERY_LENGTH,
        "max_posts": settings.SEARCH_MAX_POSTS,
    }
    if not text:
        return render(request, TEMPLATE, context)
    if is_rate_limited(request, "search"):
        return render(request, TEMPLATE, {**context, "rate_limited": True}, status=TOO_MANY_REQUESTS)
    found = services.search(
        user=request.user, text=text, filters=filters, sort=sort, page_number=request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    params["q"] = text
    without_sort = params.copy()
    without_sort.pop("sort", None)
    context.update(
        results=found,
        page=found.page,
        page_links=numbered_links(found.page, query=params.urlencode()),
        sort_query=without_sort.urlencode(),
    )
    return render(request, TEMPLATE, context)

"""The news checks: thin views over ``live.news`` (a space) and the header's unread count.

Each answers ``304 Not Modified`` after one query (the versions its token saw, ``core.versions``)
while none has moved; otherwise it reads what is new through the read rule inside one snapshot and
sends, with the fragment, the token for the next check (header ``X-Live-Since``)."""

from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from community import post_fragments, space_page
from community.models import Reflection
from community.post_actions import annotate_posts, load_likes, viewer_for
from core import conditional, versions
from live import news
from live.tokens import OVERLAP, SEEN_KEPT, BadToken, NoticesSince, SpaceSince, load_notices, load_space

SINCE_HEADER = "X-Live-Since"


def _answer(response: HttpResponse, since: str | None = None) -> HttpResponse:
    response.headers["Cache-Control"] = "no-store"  # a check is asked afresh each time
    if since:
        response.headers[SINCE_HEADER] = since
    return response


def _not_modified() -> HttpResponse:
    return _answer(HttpResponseNotModified())


def _seen_ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",")[:SEEN_KEPT] if part.isdigit()]


def _space_since(request: HttpRequest, prompt_id: int) -> SpaceSince | None:
    """The request's token, or None for a page's first check (which sends the ids it shows)."""
    token = request.GET.get("since", "")
    if not token:
        return None
    since = load_space(token, request.user)
    if since.prompt_id != prompt_id:
        raise BadToken
    return since


@require_GET
def space_news(request: HttpRequest, prompt_id: int) -> HttpResponse:
    """What the viewer may read that is new in activity ``prompt_id`` since the token: the bar."""
    if not request.user.is_authenticated:
        return _answer(HttpResponse(status=HTTPStatus.FORBIDDEN))
    try:
        since = _space_since(request, prompt_id)
    except BadToken:
        return _answer(HttpResponse(status=HTTPStatus.BAD_REQUEST))
    unmoved = since is not None and since.numbers is not None
    if unmoved and news.numbers_of(news.space_scopes(since)) == since.numbers:
        return _not_modified()
    with versions.snapshot():
        prompt = news.readable_prompt(request.user, prompt_id)
        if prompt is None:
            raise Http404(_("No such activity."))
        if since is None:
            since = SpaceSince(
                prompt_id=prompt.pk, course_id=prompt.lesson.course_id, user_id=request.user.pk,
                after=timezone.now() - OVERLAP, seen=_seen_ids(request.GET.get("seen", "")),
            )  # fmt: skip
        since.numbers = news.numbers_of(news.space_scopes(since))
        found = news.count_news(request.user, prompt, since)
    response = render(request, "live/news.html", {"news": found})
    return _answer(response, since.dumps())


@require_GET
def space_new_posts(request: HttpRequest, prompt_id: int) -> HttpResponse:
    """ "Show": the new posts as the space page prints them (the new threads with their first
    replies, and new replies to threads already there), read through the rule; at most
    ``news.SHOWN_AT_ONCE``."""
    if not request.user.is_authenticated:
        return _answer(HttpResponse(status=HTTPStatus.FORBIDDEN))
    try:
        since = _space_since(request, prompt_id)
    except BadToken:
        since = None
    if since is None:
        return _answer(HttpResponse(status=HTTPStatus.BAD_REQUEST))
    user = request.user
    with versions.snapshot():
        prompt = news.readable_prompt(user, prompt_id)
        if prompt is None:
            raise Http404(_("No such activity."))
        found = list(
            news.new_posts(user, prompt, since).for_page().order_by("created_at", "id")[: news.SHOWN_AT_ONCE]
        )
        threads = [post for post in found if post.thread_id is None]
        space_page.first_replies(Reflection.objects.visible_to(user, within=prompt), threads)
        in_new_threads = {thread.pk for thread in threads}
        replies = [
            post for post in found if post.thread_id is not None and post.thread_id not in in_new_threads
        ]
        posts = [*threads, *(reply for thread in threads for reply in thread.replies_shown), *replies]
        viewer = viewer_for(user)
        space_page.attach_authors(posts)
        load_likes(viewer, posts)
        annotate_posts(posts, viewer, prompt)
        page = space_page.SpacePage(lesson=prompt.lesson, prompts=[prompt], prompt=prompt, viewer=viewer,
                                    threads=threads)  # fmt: skip
        for extension in space_page.PAGE_EXTENSIONS:  # each thread's Follow control, as on the page
            extension(page)
    news_ids = {post.pk for post in found}
    for post in posts:
        post.is_new = post.pk in news_ids
    post_fragments.attach_fragments(request, posts)
    since.seen = [*since.seen, *sorted(news_ids)][-SEEN_KEPT:]
    since.numbers = None  # the next check counts again (and finds what this one left, if any)
    response = render(request, "live/new_posts.html", {"threads": threads, "replies": replies})
    return _answer(response, since.dumps())


@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    """The header's "Notifications, N unread" link, as every page prints it (``base.html``), from the
    same context processor. Its 304 depends on what every page's header depends on
    (``core.conditional``'s registered dependencies: the member's notices, and the spaces and
    courses of the posts their unread notices are about)."""
    user = request.user
    if not user.is_authenticated:
        return _answer(HttpResponse(status=HTTPStatus.FORBIDDEN))
    token = request.GET.get("since", "")
    if token:
        try:
            since = load_notices(token, user)
        except BadToken:
            return _answer(HttpResponse(status=HTTPStatus.BAD_REQUEST))
        if news.numbers_of(since.scopes) == since.numbers:
            return _not_modified()
    with versions.snapshot():
        # What every page's tag covers beyond the page itself: the viewer and the registered
        # dependencies (core.conditional keeps them; there is no public name for them yet).
        scopes = conditional._all_scopes(request, conditional.Shown())  # noqa: SLF001
        since = NoticesSince(user_id=user.pk, scopes=scopes, numbers=news.numbers_of(scopes))
        response = render(request, "base.html#notifications-link")  # rendered here, in the snapshot
    return _answer(response, since.dumps())

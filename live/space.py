"""The news bar on the space page: a page extension (``community.space_page``) that sets
``prompt.live`` without a query. The page prints it through ``live.template``; ``static/js/live.js``
polls the news check and, when streams are on, listens for nudges. The bar holds addresses and
settings only, nothing that changes from one build to the next (the page may be kept by the
browser: ``core.conditional``); the first check makes the token (``live.tokens``)."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

TEMPLATE = "live/_news_bar.html"


@dataclass
class NewsBar:
    news_url: str
    show_url: str
    poll_seconds: int
    at_end: bool  # new threads belong on this page (at its top for "Newest", else at its end)
    newest_first: bool
    template: str = TEMPLATE


def add_news_bar(space) -> None:
    user = space.viewer.user
    prompt = space.prompt
    if prompt is None or not space.can_read or not user.is_authenticated or not settings.LIVE_NEWS:
        return
    if space.order not in ("oldest", "newest", "liked"):  # "Mine", "Highlighted": not where news goes
        return
    newest = space.order == "newest"
    prompt.live = NewsBar(
        news_url=reverse("live:space-news", args=[prompt.pk]),
        show_url=reverse("live:space-new-posts", args=[prompt.pk]),
        poll_seconds=settings.LIVE_POLL_SECONDS,
        at_end=not (space.pages.previous_url if newest else space.pages.next_url),
        newest_first=newest,
    )

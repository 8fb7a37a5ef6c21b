"""The links of a pagination bar, in the one shape ``templates/components/pagination.html`` prints.

A view builds them from its page and passes them with the bar's accessible name::

    {% include "components/pagination.html" with links=page_links label="Pages of results" only %}

No links (a single page) means no bar. Two builders cover Django's ``Paginator`` pages:

- ``numbered_links``: Previous, the page numbers (elided: 1 … 4 5 6 … 20), Next;
- ``step_links``: Previous, "Page N of M", Next (or "Newer"/"Older" without the position).

The space's keyset pages build theirs from ``community.keyset.PageLinks.links``.
"""

from dataclasses import dataclass

from django.core.paginator import Page
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


@dataclass(frozen=True)
class PageLink:
    """One item of the bar: a link when ``url`` is set, else plain text (the position, an ellipsis)."""

    text: str
    url: str | None = None
    rel: str | None = None  # "prev" / "next"
    current: bool = False  # aria-current="page": the page shown
    label: str | None = None  # aria-label, where the text alone says too little ("2" → "Page 2")
    hidden: bool = False  # aria-hidden: decoration a screen reader skips (the ellipsis)


def page_url(number: int, *, query: str = "", fragment: str = "") -> str:
    """``?<query>&page=N<fragment>``; ``query`` is the rest of the query string, already encoded."""
    return f"?{query}&page={number}{fragment}" if query else f"?page={number}{fragment}"


def numbered_links(
    page: Page, *, query: str = "", fragment: str = "", on_each_side: int = 2, on_ends: int = 1
) -> list[PageLink]:
    """Previous, the page numbers around this one and at the ends, Next; nothing for one page."""
    if page.paginator.num_pages <= 1:
        return []
    links = []
    if page.has_previous():
        url = page_url(page.previous_page_number(), query=query, fragment=fragment)
        links.append(PageLink(pgettext("pagination", "Previous"), url, rel="prev"))
    for number in page.paginator.get_elided_page_range(
        page.number, on_each_side=on_each_side, on_ends=on_ends
    ):
        if number == page.paginator.ELLIPSIS:
            links.append(PageLink("…", hidden=True))
        elif number == page.number:
            links.append(
                PageLink(str(number), page_url(number, query=query, fragment=fragment), current=True)
            )
        else:
            url = page_url(number, query=query, fragment=fragment)
            links.append(PageLink(str(number), url, label=_("Page %(number)s") % {"number": number}))
    if page.has_next():
        url = page_url(page.next_page_number(), query=query, fragment=fragment)
        links.append(PageLink(pgettext("pagination", "Next"), url, rel="next"))
    return links


def step_links(
    page: Page,
    *,
    query: str = "",
    fragment: str = "",
    previous_text: str | None = None,
    next_text: str | None = None,
    position: bool = True,
    rel: bool = True,
) -> list[PageLink]:
    """Previous, "Page N of M" (unless ``position`` is False), Next; nothing for one page."""
    if page.paginator.num_pages <= 1:
        return []
    previous_text = previous_text or pgettext("pagination", "Previous")
    next_text = next_text or pgettext("pagination", "Next")
    links = []
    if page.has_previous():
        url = page_url(page.previous_page_number(), query=query, fragment=fragment)
        links.append(PageLink(previous_text, url, rel="prev" if rel else None))
    if position:
        position_text = _("Page %(number)s of %(total)s") % {
            "number": page.number,
            "total": page.paginator.num_pages,
        }
        links.append(PageLink(position_text))
    if page.has_next():
        url = page_url(page.next_page_number(), query=query, fragment=fragment)
        links.append(PageLink(next_text, url, rel="next" if rel else None))
    return links

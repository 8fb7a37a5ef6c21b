"""Keyset pages of the space page's threads: "the 20 threads after this one" instead of "skip 480
threads", so the last page and a permalink cost what page 1 does however large the space grows.

A page's address carries a cursor, the sort key of a row it starts after or ends before
(``querysets.THREAD_ORDERS``), as integers joined by dots: ``?order=liked&after=3.<µs>.<id>``
(like count, ``created_at`` in microseconds since 1970 UTC, id). The cursor holds only values the
viewer already saw on the page that made the link, and it only positions the read: the rows still
come through ``visible_to``, so a made-up cursor shows nothing more than page 1 would.

Addresses:

- no cursor: page 1;
- ``after=K``: the page after the row with key K; ``before=K``: the page before it (read backwards,
  then put back in order; where fewer than a page remain before it, a short first page);
- ``from=K``: the page starting at the row with key K (permalinks: ``lookups.space_url_of``);
- ``until=K``: the page ending at the row with key K (where a member lands after posting: their
  reflection with the ones before it, ``lookups.page_ending_at``);
- ``last=1``: the last page (read backwards);
- ``page=N``: old links (bookmarks, emails) from before keyset pages, still read with ``OFFSET``;
  nothing the app writes uses them.

``n=N`` is a position hint that the links carry ("Page N of M"): the page's number as counted when
the link was made. It is not re-counted (that is the ``COUNT`` this module exists to avoid), so
after posts arrive it can be off by a page; a permalink's page shows no number.
"""

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.utils.translation import gettext, pgettext

from community.querysets import ThreadOrder
from core.pagination import PageLink

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NUMBER = re.compile(r"[0-9]{1,7}")
_PART = re.compile(r"[0-9]{1,18}")  # below 2**63: any part fits the bigint it is compared with
_DATETIME_FIELDS = {"created_at", "highlighted_at"}
MAX_PAGE_NUMBER = 1_000_000


@dataclass(frozen=True)
class Position:
    """Where a page starts, parsed from the query string (``read_position``)."""

    kind: str = "first"  # first | after | before | from | until | last | page
    key: tuple | None = None
    number: int | None = None  # the position hint (or the old ?page=N)


@dataclass
class PageLinks:
    """The pagination bar: each link None where it does not apply; ``number``/``count`` the
    position ("Page 3 of 50") where it is known."""

    first_url: str | None = None
    previous_url: str | None = None
    next_url: str | None = None
    last_url: str | None = None
    number: int | None = None
    count: int | None = None

    @property
    def shown(self) -> bool:
        return bool(self.previous_url or self.next_url)

    @property
    def links(self) -> list[PageLink]:
        """The bar as ``components/pagination.html`` prints it: First, Previous, "Page N of M",
        Next, Last; nothing when there is one page."""
        if not self.shown:
            return []
        links = []
        if self.first_url:
            links.append(PageLink(pgettext("pagination", "First"), self.first_url))
        if self.previous_url:
            links.append(PageLink(pgettext("pagination", "Previous"), self.previous_url, rel="prev"))
        if self.number:
            if self.count:
                text = gettext("Page %(number)s of %(count)s") % {"number": self.number, "count": self.count}
            else:
                text = gettext("Page %(number)s") % {"number": self.number}
            links.append(PageLink(text, current=True))
        if self.next_url:
            links.append(PageLink(pgettext("pagination", "Next"), self.next_url, rel="next"))
        if self.last_url:
            links.append(PageLink(pgettext("pagination", "Last"), self.last_url))
        return links


def encode(order: ThreadOrder, row) -> str:
    """The cursor of ``row`` in ``order``: its key's values as integers joined by dots."""
    parts = []
    for name, value in zip(order.fields, order.values_of(row), strict=True):
        if name in _DATETIME_FIELDS:
            delta = value - _EPOCH
            value = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        parts.append(str(value))
    return ".".join(parts)


def decode(order: ThreadOrder, text: str) -> tuple | None:
    """The key values of a cursor, or None unless it is exactly one for ``order``."""
    parts = text.split(".")
    if len(parts) != len(order.fields) or not all(_PART.fullmatch(part) for part in parts):
        return None
    values = []
    for name, part in zip(order.fields, parts, strict=True):
        if name in _DATETIME_FIELDS:
            try:
                values.append(_EPOCH + timedelta(microseconds=int(part)))
            except OverflowError:
                return None
        else:
            values.append(int(part))
    return tuple(values)


def read_position(query, order: ThreadOrder) -> Position:
    """The page asked for by ``query`` (request.GET); anything malformed is page 1."""
    hint = query.get("n", "")
    number = int(hint) if _NUMBER.fullmatch(hint) and 0 < int(hint) <= MAX_PAGE_NUMBER else None
    for kind in ("after", "before", "from", "until"):
        if kind in query:
            key = decode(order, query.get(kind, ""))
            return Position(kind, key, number) if key is not None else Position()
    if query.get("last") == "1":
        return Position("last")
    old = query.get("page", "")
    if _NUMBER.fullmatch(old) and 1 < int(old) <= MAX_PAGE_NUMBER:
        return Position("page", number=int(old))
    return Position()


def read_page(threads, *, order_name: str, order: ThreadOrder, position: Position, per_page: int,
              total: int | None, first_rows=None) -> tuple[list, PageLinks]:  # fmt: skip
    """One page of ``threads`` (a ``threads_for`` queryset, read through ``visible_to``) at
    ``position``, and its links. ``total`` is the number of threads when known without a count
    (the stored count): it gives "of M" and a last page aligned with the pages counted from the
    first. One query; two for the page ending at a row (``until``: is there a next page?) and when a
    cursor finds no rows (stale, or made up) and page 1 is read. ``first_rows()``, when given,
    reads page 1's rows (its first ``per_page + 1``) instead (``core.compiled``)."""
    if position.kind == "page":
        offset = (position.number - 1) * per_page
        rows = list(threads[offset : offset + per_page + 1])
        if rows:
            return _page(rows[:per_page], order_name, order, number=position.number, total=total,
                         per_page=per_page, has_previous=True, has_next=len(rows) > per_page)  # fmt: skip
        position = Position("last")
    if position.kind in ("after", "from"):
        rows = list(
            threads.filter(order.beyond(position.key, inclusive=position.kind == "from"))[: per_page + 1]
        )
        if rows:
            number = position.number if position.kind == "after" else None
            return _page(rows[:per_page], order_name, order, number=number, total=total, per_page=per_page,
                         has_previous=True, has_next=len(rows) > per_page)  # fmt: skip
        position = Position()  # a stale cursor (past the end, or its rows gone): page 1
    if position.kind in ("before", "until", "last"):
        size = per_page
        if position.kind == "last" and total:
            size = total - (math.ceil(total / per_page) - 1) * per_page  # align with pages from the start
        backwards = threads.order_by(*order.order_by(backwards=True))
        if position.kind in ("before", "until"):
            backwards = backwards.filter(
                order.beyond(position.key, backwards=True, inclusive=position.kind == "until")
            )
        rows = list(backwards[: size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        if position.kind == "last":
            number = math.ceil(total / per_page) if total else None
            if not more:
                number = 1
            return _page(rows, order_name, order, number=number, total=total, per_page=per_page,
                         has_previous=more, has_next=False)  # fmt: skip
        if rows:  # where fewer than a page remain before it, a short first page (First is whole)
            number = (position.number if (position.number or 0) > 1 else None) if more else 1
            # Before a row there is that row; after the row a page ends at, one probe of the index.
            has_next = position.kind == "before" or threads.filter(order.beyond(position.key)).exists()
            return _page(rows, order_name, order, number=number, total=total, per_page=per_page,
                         has_previous=more, has_next=has_next)  # fmt: skip
        position = Position()  # nothing before it: page 1
    rows = first_rows() if first_rows is not None else list(threads[: per_page + 1])
    return _page(rows[:per_page], order_name, order, number=1, total=total, per_page=per_page,
                 has_previous=False, has_next=len(rows) > per_page)  # fmt: skip


def _page(rows: list, order_name: str, order: ThreadOrder, *, number: int | None, total: int | None,
          per_page: int, has_previous: bool, has_next: bool) -> tuple[list, PageLinks]:  # fmt: skip
    count = max(math.ceil(total / per_page), 1) if total is not None else None
    if number is not None and count is not None:
        number = min(number, count)
    links = PageLinks(number=number, count=count)
    if has_previous and rows:
        links.first_url = _address(order_name)
        links.previous_url = _address(
            order_name, before=encode(order, rows[0]), n=number - 1 if number else None
        )
    if has_next and rows:
        links.next_url = _address(order_name, after=encode(order, rows[-1]), n=number + 1 if number else None)
        links.last_url = _address(order_name, last="1")
    return rows, links


def _address(order_name: str, **params) -> str:
    query = {"order": order_name} | {name: value for name, value in params.items() if value}
    return "?" + urlencode(query)


def from_address(order: ThreadOrder, row) -> str:
    """The query string of the page (in the default order) that starts at ``row``."""
    return "?" + urlencode({"from": encode(order, row)})


def until_address(order: ThreadOrder, row) -> str:
    """The query string of the page (in the default order) that ends at ``row``."""
    return "?" + urlencode({"until": encode(order, row)})

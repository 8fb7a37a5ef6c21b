"""Full-text search over what the viewer may read: posts (reflections and replies), activities
(prompts) and lessons, and members by name.

Every read goes through the one visibility rule, inside the SQL, before counting, ordering and
slicing: ``Reflection.objects.visible_to`` (hidden posts, independent reflection, unpublished
lessons, anonymous visitors), ``Prompt.objects.visible_to`` and ``Lesson.objects.visible_to``.
Nothing is dropped in Python afterwards, so a count, a page and a snippet only ever hold what the
rule gives. Deleted posts have no text, so no words, and are left out explicitly too (``live()``).

A page of results runs a fixed number of queries, whatever the number of matches:
1. the page and the count together: posts, activities and lessons in one ``UNION ALL``, ranked,
   counted (a window function) and sliced in PostgreSQL;
2. the page's posts with their snippets and what they show (author, activity, lesson), by id;
   one query more each for activities and for lessons, when the page has any;
3. members whose @handle or name starts with the words (first page only).

Posts are ranked among the newest ``SEARCH_MAX_POSTS`` that match: for a word in tens of
thousands of posts PostgreSQL reads posts newest first and stops there, instead of reading and
ranking them all (docs/decisions.md, docs/performance.md).
"""

import functools
import html
import math
import operator
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchConfig, SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext_lazy

from community.models import Prompt, Reflection
from community.querysets import known_authors, reads_community
from core.search_text import search_configs, visible_text
from lessons.models import Lesson

User = get_user_model()

SORTS = {
    "relevance": pgettext_lazy("sort order", "Best match"),
    "newest": pgettext_lazy("sort order", "Newest first"),
}
MEMBERS_SHOWN = 8
MIN_MEMBER_TERM = 2  # characters: one letter would list half the site

# ts_headline marks matches with these; they are stripped from the text first, so any in the output
# are its own. The text is then escaped as a whole and the markers become <mark> and </mark>.
START, STOP = "\x02", "\x03"
# Up to two passages of about 12-30 words around the matches; short words are kept at their edges
# (ShortWord=0), so a short post comes back whole.
SNIPPET_OPTIONS = {
    "max_words": 30,
    "min_words": 12,
    "short_word": 0,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}
_WHITESPACE = re.compile(r"\s+")


# --- The words ---------------------------------------------------------------------------------------


def clean_query(raw: str | None) -> tuple[str, bool]:
    """(the words to search for, whether they were shortened). Whitespace runs become one space;
    anything past ``SEARCH_MAX_QUERY_LENGTH`` characters is cut, so no query is ever long."""
    text = _WHITESPACE.sub(" ", raw or "").strip()
    limit = settings.SEARCH_MAX_QUERY_LENGTH
    if len(text) <= limit:
        return text, False
    return text[:limit].rstrip(), True


@dataclass(frozen=True)
class TextQuery:
    """The words searched for, asked of each row in its own course's language (decision 112): a row
    indexed with "spanish" matches the words as Spanish stems them. One arm per configuration,
    ``search_config = 'spanish' AND search_vector @@ websearch_to_tsquery('spanish', …)``, so
    PostgreSQL can still use each GIN index (a query built from the row's own column could not)."""

    text: str
    configs: tuple[str, ...]

    def queries(self) -> list[tuple[str, SearchQuery]]:
        # Web-search syntax ("exact phrase", -word, or): PostgreSQL's parser for it accepts any input.
        return [
            (config, SearchQuery(self.text, search_type="websearch", config=config))
            for config in self.configs
        ]

    def matches(self) -> Q:
        arms = [
            Q(search_config=SearchConfig(config), search_vector=query) for config, query in self.queries()
        ]
        return functools.reduce(operator.or_, arms)

    def rank(self) -> Case:
        whens = [
            When(
                search_config=SearchConfig(config),
                then=SearchRank(F("search_vector"), query, normalization=Value(1)),
            )
            for config, query in self.queries()
        ]
        return Case(*whens, default=Value(0.0), output_field=FloatField())

    def headline(self, text, **options) -> Case:
        whens = [
            When(
                search_config=SearchConfig(config), then=SearchHeadline(text, query, config=config, **options)
            )
            for config, query in self.queries()
        ]
        return Case(*whens, default=Value(""), output_field=TextField())


def text_query(text: str) -> TextQuery:
    return TextQuery(text, tuple(dict.fromkeys(search_configs().values())))


def has_searchable_words(text: str) -> bool:
    """False when the words leave nothing to look for in the languages of the site's courses (only
    stop words such as "the", or only punctuation): PostgreSQL then matches nothing, and the page
    says why. One query, as before there were languages."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(max(numnode(websearch_to_tsquery(reflect_search_config(c.language), %s))), 0) "
            "FROM (SELECT DISTINCT language FROM lessons_course UNION SELECT %s) c",
            [text, settings.LANGUAGE_CODE],
        )
        return cursor.fetchone()[0] > 0


def highlight(headline: str | None, *, from_html: bool = True) -> SafeString:
    """``ts_headline`` output as safe HTML: the text is escaped as a whole, then the markers become
    ``<mark>``. ``ts_headline`` does not escape anything. Text cut from sanitised HTML still holds
    its character references (``&lt;``), so they are first turned back into the characters the
    author typed (``from_html``; a plain-text title is taken as it is). Markers come in pairs."""
    text = _WHITESPACE.sub(" ", headline or "").strip()
    if from_html:
        text = html.unescape(text)
    parts, marked = [], False
    for piece in re.split(f"([{START}{STOP}])", text):
        if piece in (START, STOP):
            if (piece == START) != marked:
                parts.append("<mark>" if piece == START else "</mark>")
                marked = not marked
        else:
            parts.append(escape(piece))
    if marked:
        parts.append("</mark>")
    return mark_safe("".join(parts))


def _snippet(query: TextQuery, field_name: str = "body_html", *, is_html: bool = True, whole: bool = False):
    text = visible_text(field_name) if is_html else F(field_name)
    text = Func(text, Value(START + STOP), Value(""), function="translate")  # markers are ours alone
    options = {"highlight_all": True} if whole else SNIPPET_OPTIONS
    return query.headline(text, start_sel=START, stop_sel=STOP, **options)


# --- Filters -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    course_id: int | None = None
    lesson_id: int | None = None
    author: str = ""  # "@handle", or a name (or part of one)
    mine: bool = False
    since: date | None = None  # from this day on, in the viewer's time zone
    until: date | None = None  # up to and including this day

    @property
    def by_author(self) -> bool:
        """Lessons have no author: a filter on the author leaves them out."""
        return bool(self.author) or self.mine


def _author_match(author: str, prefix: str) -> Q:
    text = author.strip()
    if text.startswith("@"):
        return Q(**{f"{prefix}handle__iexact": text[1:]})
    return Q(**{f"{prefix}handle__iexact": text}) | Q(**{f"{prefix}display_name__icontains": text})


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(qs: QuerySet, user, filters: Filters, *, lesson: str, author: str | None) -> QuerySet:
    """``filters`` on ``qs``; ``lesson`` is the path to its lesson ("" for lessons themselves) and
    ``author`` the path to its author (None: it has none)."""
    if filters.course_id:
        qs = qs.filter(**{f"{lesson}course_id" if lesson else "course_id": filters.course_id})
    if filters.lesson_id:
        qs = qs.filter(**{f"{lesson}id" if lesson else "pk": filters.lesson_id})
    if filters.by_author and author is None:
        return qs.none()
    if filters.author:
        qs = qs.filter(_author_match(filters.author, f"{author}__"))
        if qs.model is Reflection:  # an anonymous post is not found by its author's name
            qs = qs.filter(known_authors(user))
    if filters.mine:
        qs = qs.filter(**{f"{author}_id": user.pk}) if user.is_authenticated else qs.none()
    if filters.since:
        qs = qs.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        qs = qs.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    return qs


def matching_posts(user, query: TextQuery, filters: Filters = Filters()) -> QuerySet:
    posts = Reflection.objects.visible_to(user).live().filter(query.matches())
    return _filtered(posts, user, filters, lesson="prompt__lesson__", author="author")


def matching_prompts(user, query: TextQuery, filters: Filters = Filters()) -> QuerySet:
    prompts = Prompt.objects.visible_to(user).filter(query.matches())
    return _filtered(prompts, user, filters, lesson="lesson__", author="author")


def matching_lessons(user, query: TextQuery, filters: Filters = Filters()) -> QuerySet:
    if not reads_community(user):
        return Lesson.objects.none()
    lessons = Lesson.objects.visible_to(user).filter(query.matches())
    return _filtered(lessons, user, filters, lesson="", author=None)


# --- Results ---------------------------------------------------------------------------------------


@dataclass
class Hit:
    """One result, ready for the template: what it is, where it leads, the highlighted words."""

    kind: str  # "reflection", "reply", "activity" or "lesson"
    url: str
    snippet: SafeString
    created_at: datetime
    title: SafeString | None = None  # activities and lessons: their highlighted title
    author: object = None
    prompt: Prompt | None = None
    lesson: Lesson | None = None
    hidden: str = ""  # a post's hidden state: "moderator", "review" or ""


@dataclass
class SearchResults:
    query: str
    page: Page
    hits: list[Hit]
    members: list = field(default_factory=list)
    searchable: bool = True  # False: only stop words or punctuation
    capped: bool = False  # SEARCH_MAX_POSTS posts were ranked: more may match

    @property
    def total(self) -> int:
        return self.page.paginator.count


class _FetchedPage:
    """The one page the Paginator will ask for, fetched already together with the count."""

    def __init__(self, total: int, offset: int, rows: list):
        self.total, self.offset, self.rows = total, offset, rows

    def count(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list:
        assert index.start == self.offset, "only the fetched page can be read"
        return self.rows


def _ranked(qs: QuerySet, kind: str, query: TextQuery, sort: str) -> QuerySet:
    # Ranking reads every match's vector, so "newest" leaves it out.
    rank = query.rank() if sort == "relevance" else Value(0.0)
    return (
        qs.order_by()
        .annotate(kind=Value(kind), item_id=F("pk"), rank=rank, at=F("created_at"))
        .values_list("kind", "item_id", "rank", "at")
    )


def _post_urls():
    placeholder = 987654321
    pattern = reverse("community:post", args=[placeholder])
    return lambda pk: pattern.replace(str(placeholder), str(pk))


POST_FIELDS = (
    "id", "prompt", "author", "thread", "created_at", "hidden_at", "hidden_by", "content_note", "anonymous",
    "pseudonym", "author__handle",
    "author__display_name", "prompt__title", "prompt__lesson", "prompt__lesson__title",
    "prompt__lesson__number", "prompt__lesson__slug", "prompt__lesson__course",
    "prompt__lesson__course__slug", "prompt__lesson__course__title",
)  # fmt: skip
PROMPT_FIELDS = (
    "id", "title", "author", "lesson", "created_at", "author__handle", "author__display_name",
    "lesson__title", "lesson__number", "lesson__slug", "lesson__course", "lesson__course__slug",
    "lesson__course__title",
)  # fmt: skip
LESSON_FIELDS = ("id", "title", "number", "slug", "course", "created_at", "course__slug", "course__title")


def post_snippet(post: Reflection) -> SafeString:
    """A post's snippet: its matched words, or its content note instead when it has one (issue 23:
    a reader chooses to read on, on the post itself)."""
    if post.content_note:
        return conditional_escape(gettext("Content note: %(note)s") % {"note": post.content_note})
    return highlight(post.headline)


def _page_hits(user, query: TextQuery, rows: list[tuple]) -> list[Hit]:
    """The page's rows as Hits, in the page's order: one query per kind on the page, by the ids
    that the rule gave a moment ago (so the rule is not worked out twice)."""
    wanted: dict[str, list[int]] = {"post": [], "prompt": [], "lesson": []}
    for kind, pk, _, _ in rows:
        wanted[kind].append(pk)
    found: dict[tuple[str, int], Hit] = {}
    if wanted["post"]:
        posts = (
            Reflection.objects.live()
            .filter(pk__in=wanted["post"])
            .order_by()
            .select_related("author", "prompt__lesson__course")
            .only(*POST_FIELDS)
            .annotate(headline=_snippet(query))
            .with_bylines_for(user)  # read by id, not through the rule: its authors masked all the same
        )
        url = _post_urls()
        for post in posts:
            lesson = post.prompt.lesson
            hidden = "" if post.hidden_at is None else ("moderator" if post.hidden_by_id else "review")
            found["post", post.pk] = Hit(
                kind="reply" if post.thread_id else "reflection", url=url(post.pk),
                snippet=post_snippet(post), created_at=post.created_at, author=post.author,
                prompt=post.prompt, lesson=lesson, hidden=hidden,
            )  # fmt: skip
    if wanted["prompt"]:
        prompts = (
            Prompt.objects.filter(pk__in=wanted["prompt"])
            .order_by()
            .select_related("author", "lesson__course")
            .only(*PROMPT_FIELDS)
            .annotate(
                headline=_snippet(query), title_headline=_snippet(query, "title", is_html=False, whole=True)
            )
        )
        for prompt in prompts:
            found["prompt", prompt.pk] = Hit(
                kind="activity", url=prompt.get_absolute_url(), snippet=highlight(prompt.headline),
                title=highlight(prompt.title_headline, from_html=False), created_at=prompt.created_at, author=prompt.author,
                prompt=prompt, lesson=prompt.lesson,
            )  # fmt: skip
    if wanted["lesson"]:
        lessons = (
            Lesson.objects.filter(pk__in=wanted["lesson"])
            .order_by()
            .select_related("course")
            .only(*LESSON_FIELDS)
            .annotate(
                headline=_snippet(query), title_headline=_snippet(query, "title", is_html=False, whole=True)
            )
        )
        for lesson in lessons:
            found["lesson", lesson.pk] = Hit(
                kind="lesson", url=lesson.get_absolute_url(), snippet=highlight(lesson.headline),
                title=highlight(lesson.title_headline, from_html=False), created_at=lesson.created_at, lesson=lesson,
            )  # fmt: skip
    return [found[kind, pk] for kind, pk, _, _ in rows if (kind, pk) in found]


def matching_members(user, text: str, limit: int = MEMBERS_SHOWN) -> list:
    """Active members whose @handle starts with the words, or whose name or one of its words does
    (a prefix match: the embedded PostgreSQL has no pg_trgm, see docs/decisions.md). "@ada" looks
    at handles only. Nobody for a visitor who may not read the community."""
    if not reads_community(user):
        return []
    term = text.strip()
    handle = term.removeprefix("@")
    if len(handle) < MIN_MEMBER_TERM:
        return []
    match = Q(handle__istartswith=handle)
    if not term.startswith("@"):
        match |= Q(display_name__istartswith=term) | Q(display_name__icontains=f" {term}")
    exact = Case(When(handle__iexact=handle, then=Value(0)), default=Value(1))
    members = User.objects.filter(match, is_active=True).only("id", "handle", "display_name")
    return list(members.order_by(exact, "display_name", "handle")[:limit])


def _fetch(found: QuerySet, sort: str, offset: int, limit: int) -> tuple[list[tuple], int, int]:
    """(one page of (kind, id, rank, created_at) rows, how many rows in all, how many of them are
    posts), in one query: the count is a window over the same rows, so the matches are read once.

    The matches are a MATERIALIZED common table expression, planned on their own: otherwise
    PostgreSQL plans them for the page's LIMIT 20 and, for a rare word sorted newest first, walks
    every post newest first looking for 20 that are not there (hundreds of ms at 200,000 posts)."""
    order = "rank DESC, at DESC, kind, item_id DESC" if sort == "relevance" else "at DESC, kind, item_id DESC"
    try:
        sql, params = found.query.sql_with_params()
    except EmptyResultSet:  # every branch is .none(): nothing to ask PostgreSQL
        return [], 0, 0
    with connection.cursor() as cursor:
        # One round trip, three statements (Django's psycopg cursor binds parameters client-side):
        # without parallel workers for this query, then back to the default. The newest matches are
        # a few thousand index entries away; starting workers cost more than the scan (35 ms of 75
        # at 200,000 posts on 2 busy cores, docs/performance.md).
        cursor.execute(
            "SET LOCAL max_parallel_workers_per_gather = 0; "
            f"WITH found AS MATERIALIZED ({sql}) "
            f"SELECT kind, item_id, rank, at, count(*) OVER (), count(*) FILTER (WHERE kind = 'post') OVER () "
            f"FROM found ORDER BY {order} LIMIT %s OFFSET %s; "
            "RESET max_parallel_workers_per_gather",
            [*params, limit, offset],
        )
        cursor.nextset()
        rows = cursor.fetchall()
    if not rows:
        return [], 0, 0
    return [row[:4] for row in rows], rows[0][4], rows[0][5]


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def search(
    *,
    user,
    text: str,
    filters: Filters = Filters(),
    sort: str = "relevance",
    page_number: int | str | None = 1,
    per_page: int | None = None,
) -> SearchResults:
    """One page of what ``user`` may read that matches ``text`` (cleaned with ``clean_query``).
    A page number past the end gives the last page, as ``Paginator.get_page`` does."""
    sort = sort if sort in SORTS else "relevance"
    per_page = per_page or settings.SEARCH_RESULTS_PER_PAGE
    window = settings.SEARCH_MAX_POSTS
    query = text_query(text)
    if reads_community(user):
        posts = matching_posts(user, query, filters)
        prompts, lessons = matching_prompts(user, query, filters), matching_lessons(user, query, filters)
    else:
        posts, prompts, lessons = Reflection.objects.none(), Prompt.objects.none(), Lesson.objects.none()
    newest_posts = _ranked(posts, "post", query, sort).order_by("-at", "-item_id")[:window]
    found = newest_posts.union(_ranked(prompts, "prompt", query, sort), _ranked(lessons, "lesson", query, sort),
                               all=True)  # fmt: skip

    number = _page_number(page_number)
    rows, total, post_total = _fetch(found, sort, (number - 1) * per_page, per_page)
    if not rows and number > 1:  # past the end: count, then fetch the last page
        rows, total, post_total = _fetch(found, sort, 0, per_page)
        number = max(1, math.ceil(total / per_page))
        if number > 1:
            rows, total, post_total = _fetch(found, sort, (number - 1) * per_page, per_page)
    page = Paginator(_FetchedPage(total, (number - 1) * per_page, rows), per_page).page(number)
    return SearchResults(
        query=text,
        page=page,
        hits=_page_hits(user, query, rows),
        members=matching_members(user, text) if number == 1 else [],
        searchable=total > 0 or has_searchable_words(text),
        capped=post_total >= window,
    )


def filter_choices(user) -> tuple[list[tuple[int, str]], list[tuple[str, list[tuple[int, str]]]]]:
    """(courses, lessons grouped by course) the viewer may filter by, from one query."""
    lessons = (
        Lesson.objects.visible_to(user)
        .select_related("course")
        .only("id", "number", "title", "course__id", "course__title")
        .order_by("course__position", "course__title", "position", "number")
    )
    courses: dict[int, tuple[str, list]] = {}
    for lesson in lessons:
        courses.setdefault(lesson.course_id, (lesson.course.title, []))[1].append(
            (
                lesson.pk,
                gettext("Lesson %(number)s: %(title)s") % {"number": lesson.number, "title": lesson.title},
            )
        )
    return (
        [(pk, title) for pk, (title, _) in courses.items()],
        [(title, items) for title, items in courses.values()],
    )

"""Reads for a member's learning log: every live reflection and reply they wrote, shared and
private, with what it received.

Everything starts from ``Reflection.objects.visible_to(member).filter(author_id=member.pk)``: the
author always sees their own posts (hidden by a moderator, private, under independent reflection),
so this is every live post they wrote in a course they can still open; a course they lost access to
(an invite-only course they left) drops out with it, as it does everywhere else.

What a post "received", counted only over what the member may read:

- likes: the post's ``like_count`` (a like is a number, not content: the count is what the space
  shows the author too);
- replies: for a top-level reflection, the live replies *by others* anywhere in its thread, the
  conversation under it (the stored ``reply_count`` also counts the author's own replies and those
  hidden from them); for a reply, the live replies by others that answer that reply;
- reasons: the non-empty ``Like.reason`` given with each like, and who gave it (one query per page
  or per chunk of an export, never one per post).

Dates are the member's own calendar days: ``since``/``until`` are read in their time zone, which
is given explicitly (``member_zone``) because exports stream after the view has returned and the
PDF is built in a worker, where no time zone is active.
"""

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from community.models import Like, Reflection
from journal.models import LogExport
from lessons.models import Course

PER_PAGE = 50


@dataclass(frozen=True)
class LogFilters:
    course_id: int | None = None
    since: date | None = None  # from this day on, in the member's time zone
    until: date | None = None  # up to and including this day

    @property
    def active(self) -> bool:
        return bool(self.course_id or self.since or self.until)

    def query(self) -> str:
        """These filters as the learning log's query string (its filter form's names)."""
        values = {"course": self.course_id, "from": self.since and self.since.isoformat(),
                  "to": self.until and self.until.isoformat()}  # fmt: skip
        return urlencode({name: value for name, value in values.items() if value})


def member_zone(member) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(member.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def _day_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def own_posts(member) -> QuerySet:
    """The member's live posts, as the one reading rule gives them to the member."""
    return Reflection.objects.visible_to(member).filter(author_id=member.pk).live()


def _replies_received(member) -> Case:
    """Live replies by others that ``member`` may read: in the thread of a top-level reflection,
    or answering a reply directly. One correlated subquery per row, inside the one query."""
    others = Reflection.objects.visible_to(member).live().exclude(author_id=member.pk).order_by()

    def counted(field: str) -> Coalesce:
        rows = others.filter(**{field: OuterRef("pk")}).values(field).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(rows[:1], output_field=IntegerField()), 0)

    return Case(
        When(thread__isnull=True, then=counted("thread_id")),
        default=counted("parent_id"),
        output_field=IntegerField(),
    )


def log_entries(member, filters: LogFilters = LogFilters()) -> QuerySet:
    """The member's learning log, filtered, in its reading order: by course, lesson and activity,
    then oldest first. Each row has ``replies_received`` and its prompt, lesson and course."""
    posts = own_posts(member)
    if filters.course_id:
        posts = posts.filter(prompt__lesson__course_id=filters.course_id)
    zone = member_zone(member)
    if filters.since:
        posts = posts.filter(created_at__gte=_day_start(filters.since, zone))
    if filters.until:
        posts = posts.filter(created_at__lt=_day_start(filters.until + timedelta(days=1), zone))
    return (
        posts.select_related("prompt__lesson__course", "parent")
        .defer("parent__body", "parent__body_html", "parent__search_vector")
        .annotate(replies_received=_replies_received(member))
        .order_by(
            "prompt__lesson__course__title",
            "prompt__lesson__course_id",
            "prompt__lesson__number",
            "prompt__lesson_id",
            "prompt__created_at",
            "prompt_id",
            # A follow-up comes right after the reflection it follows up (issue 25).
            Coalesce("follows_up__created_at", "created_at"),
            "created_at",
            "id",
        )
    )


def courses_written_in(member) -> QuerySet:
    """The courses of the member's live posts (for the course filter), by title."""
    return Course.objects.filter(pk__in=own_posts(member).values("prompt__lesson__course_id")).order_by(
        "title", "pk"
    )


@dataclass(frozen=True)
class Reason:
    text: str
    html: str
    by: str  # the display name of the member who liked


def reasons_for(post_ids: Iterable[int]) -> dict[int, list[Reason]]:
    """{post id: the reasons given with its likes, oldest first}; one query."""
    likes = (
        Like.objects.filter(reflection_id__in=list(post_ids))
        .exclude(reason="")
        .select_related("user")
        .order_by("created_at", "id")
    )
    found: dict[int, list[Reason]] = defaultdict(list)
    for like in likes:
        found[like.reflection_id].append(
            Reason(text=like.reason, html=like.reason_html, by=like.user.display_name)
        )
    return dict(found)


def log_page(member, filters: LogFilters, page_number) -> Page:
    """One page of the log (``PER_PAGE`` posts), each post with its ``reasons``: three queries
    (the count, the posts, their reasons)."""
    page = Paginator(log_entries(member, filters), PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    reasons = reasons_for(post.pk for post in page.object_list)
    for post in page.object_list:
        post.reasons = reasons.get(post.pk, [])
    return page


def latest_pdf(member) -> LogExport | None:
    """The member's last PDF export (without its bytes), if any."""
    return LogExport.objects.filter(user_id=member.pk).defer("content").order_by("-created_at").first()

"""Reads of follow-through. Every post read through ``Reflection.objects.visible_to(member)``; a
like's reason is read only on the member's own posts (only a post's author reads its reasons)."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from community.models import Like, Reflection
from followthrough.models import Plan

WEEK = timedelta(days=7)


def member_zone(member) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(member.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.get_default_timezone()


@dataclass
class Landed:
    """What the member's reflections received in the week up to ``until``, and what is due."""

    since: datetime
    until: datetime
    likes: list[Like] = field(default_factory=list)
    replies: list[Reflection] = field(default_factory=list)
    due: list[Plan] = field(default_factory=list)

    @property
    def reasons(self) -> list[Like]:
        return [like for like in self.likes if like.reason]

    @property
    def empty(self) -> bool:
        return not (self.likes or self.replies or self.due)

    def line(self) -> str:
        """One line of figures: the notice and the email's subject."""
        parts = []
        if self.likes:
            count, reasons = len(self.likes), len(self.reasons)
            likes = ngettext("%(count)s like", "%(count)s likes", count) % {"count": count}
            if reasons:
                # Translators: likes is "3 likes"; said is "2 said why" (how many of them gave a reason).
                likes = _("%(likes)s (%(said)s)") % {
                    "likes": likes,
                    "said": ngettext("%(count)s said why", "%(count)s said why", reasons)
                    % {"count": reasons},
                }
            parts.append(likes)
        if self.replies:
            count = len(self.replies)
            parts.append(ngettext("%(count)s reply", "%(count)s replies", count) % {"count": count})
        if self.due:
            count = len(self.due)
            parts.append(
                ngettext("%(count)s follow-up due", "%(count)s follow-ups due", count) % {"count": count}
            )
        # Translators: joins the figures of the weekly summary ("3 likes, 2 replies").
        figures = pgettext("list separator", ", ").join(parts)
        # Translators: figures is a list such as "3 likes (1 said why), 2 replies, 1 follow-up due".
        return _("How your reflections landed this week: %(figures)s") % {"figures": figures}


def own_posts(member):
    return Reflection.objects.visible_to(member).filter(author_id=member.pk).live()


def landed(member, *, now: datetime | None = None) -> Landed:
    """The week before ``now``: likes on the member's posts (with the reasons given, theirs to
    read), replies by others they may read in the threads of their reflections or answering their
    replies, and their plans due within the coming week (or overdue) not yet followed up. Three
    queries."""
    now = now or timezone.now()
    since = now - WEEK
    mine = own_posts(member)
    likes = list(
        Like.objects.filter(reflection__in=mine.values("pk"), created_at__gt=since, created_at__lte=now)
        .exclude(user_id=member.pk)
        .select_related("user", "reflection__prompt")
        .order_by("-created_at", "-pk")
    )
    mine_top = mine.filter(thread__isnull=True).values("pk")
    replies = list(
        Reflection.objects.visible_to(member)
        .live()
        .exclude(author_id=member.pk)
        .filter(created_at__gt=since, created_at__lte=now)
        .filter(Q(thread_id__in=mine_top) | Q(parent_id__in=mine.values("pk")))
        .select_related("author", "prompt")
        .order_by("-created_at", "-pk")
    )
    today = timezone.localtime(now, member_zone(member)).date()
    due = list(
        Plan.objects.filter(
            user_id=member.pk,
            followed_up_at__isnull=True,
            due_on__lte=today + WEEK,
            reflection__in=mine.values("pk"),
        )
        .select_related("reflection__prompt")
        .order_by("due_on", "pk")
    )
    return Landed(since=since, until=now, likes=likes, replies=replies, due=due)


def landed_recipients(*, now: datetime) -> list[int]:
    """Members who may have something to hear this week: a like or a reply on one of their posts in
    the week, or a plan due. (Whether they may read it is checked per member by ``landed``.)"""
    since = now - WEEK
    liked = Like.objects.filter(created_at__gt=since, created_at__lte=now).values_list(
        "reflection__author_id", flat=True
    )
    answered = Reflection.objects.filter(created_at__gt=since, created_at__lte=now, parent__isnull=False)
    replied = answered.values_list("parent__author_id", flat=True)
    replied_thread = answered.values_list("thread__author_id", flat=True)
    due = Plan.objects.filter(
        followed_up_at__isnull=True, due_on__lte=(now + WEEK + timedelta(days=1)).date()
    )
    ids = set(liked) | set(replied) | set(replied_thread) | set(due.values_list("user_id", flat=True))
    return sorted(ids)


def open_plans(member) -> list[Plan]:
    """The member's plans not yet followed up, on their own reflections they may still read
    (soonest first), each with ``form`` to change its day: one query."""
    from followthrough.forms import PlanForm

    plans = list(
        Plan.objects.filter(
            user_id=member.pk, followed_up_at__isnull=True, reflection__in=own_posts(member).values("pk")
        )
        .select_related("reflection__prompt")
        .order_by("due_on", "pk")
    )
    for plan in plans:
        plan.form = PlanForm(
            post_id=plan.reflection_id, initial={"come_back": "date", "come_back_on": plan.due_on}
        )
    return plans


def plan_for(reflection: Reflection) -> Plan | None:
    return Plan.objects.filter(reflection=reflection).first()


def due_label(plan: Plan, today: date) -> str:
    if plan.followed_up:
        return _("Followed up")
    if plan.due_on <= today:
        return _("Due now: how did it go?")
    return _("Reflect asks you on %(date)s") % {"date": date_format(plan.due_on, "DATE_FORMAT")}

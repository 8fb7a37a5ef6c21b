"""The member's activity on their profile page (an ``accounts.profile_sections`` section,
registered by ``CommunityConfig.ready``): the reflections and replies the *viewer* may read,
newest first and paginated, and a summary counted over the same posts.

Everything reads through ``Reflection.objects.visible_to(viewer)``, so a hidden post, a post
behind independent reflection or in a draft lesson shows up here exactly when it would in the
space. Two queries whatever the member wrote: the summary, then one page of posts with their
activity, lesson and course.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from accounts import profile_sections
from community.models import Reflection
from community.querysets import reads_community
from core.pagination import numbered_links
from core.text import excerpt

EXCERPT_CHARS = 200
# What a listed post shows: an excerpt of its rendered text (``core.text.excerpt``: plain text,
# escaped by the template), never its HTML itself.
LISTED_FIELDS = (
    "id", "thread_id", "body_html", "like_count", "created_at", "hidden_at", "hidden_by", "is_private",
    "content_note", "anonymous", "pseudonym", "prompt__id", "prompt__title",
    "prompt__lesson__id", "prompt__lesson__number", "prompt__lesson__title", "prompt__lesson__slug",
    "prompt__lesson__course__id", "prompt__lesson__course__title", "prompt__lesson__course__slug",
)  # fmt: skip


def member_posts(viewer, member):
    """The member's live posts that ``viewer`` may read (deleted placeholders left out)."""
    return Reflection.objects.visible_to(viewer).attributed_to(member, viewer).live()


def activity_section(viewer, member, request) -> dict | None:
    if not reads_community(viewer):
        return None
    posts = member_posts(viewer, member)
    summary = posts.aggregate(
        reflections=Count("pk", filter=Q(thread__isnull=True)),
        replies=Count("pk", filter=Q(thread__isnull=False)),
        likes=Coalesce(Sum("like_count"), 0),
    )
    listing = (
        posts.select_related("prompt__lesson__course").only(*LISTED_FIELDS).order_by("-created_at", "-id")
    )
    paginator = Paginator(listing, settings.REFLECTIONS_PER_PAGE)
    paginator.count = summary["reflections"] + summary["replies"]  # known already: no COUNT query
    page = paginator.get_page(request.GET.get("page"))
    posts_shown = list(page.object_list)
    for post in posts_shown:
        if post.content_note and viewer.pk != member.pk:  # issue 23: others read on on the post itself
            post.excerpt = gettext("Content note: %(note)s") % {"note": post.content_note}
        else:
            post.excerpt = excerpt(post.body_html, EXCERPT_CHARS)
    return {
        "template": "community/_profile_activity.html",
        "context": {
            "activity_page": page,
            "activity_posts": posts_shown,
            "activity_page_links": numbered_links(page, fragment="#activity", on_each_side=3, on_ends=2),
            "own_profile": viewer == member,
            "activity_summary": summary,
        },
    }


def register() -> None:
    profile_sections.register_profile_section("community.activity", activity_section)

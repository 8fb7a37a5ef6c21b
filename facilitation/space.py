"""What the space page shows of the follow-through (a community page extension): the facilitator's
summary pinned below the prompt, the viewer's open offers ("Kwame is waiting to hear from you",
with "Decline"), and for those who lead the course a link to the activity's follow-through page.

No query when there is nothing to show: whether the activity has a summary and whether the viewer
has an open offer there are flags read with the page's prompts (``community.space_page``'s
``register_prompt_flag``); both tables move the activity's version (migration 0001's triggers), so
the kept page follows them."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Value
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from community import bylines
from community.models import Reflection
from core import versions
from facilitation.models import ResponseOffer, Summary
from facilitation.permissions import can_facilitate

QUOTE_WORDS = 60


def has_summary(user):
    return Exists(Summary.objects.filter(prompt_id=OuterRef("pk")))


def has_offer(user):
    if not user.is_authenticated:
        return Value(False)
    return Exists(
        ResponseOffer.objects.filter(
            prompt_id=OuterRef("pk"), offered_to_id=user.pk, state=ResponseOffer.State.OPEN
        )
    )


@dataclass
class Quote:
    text: str
    name: str
    url: str
    note: str = ""  # the post's content note: shown instead of its words


@dataclass
class OfferShown:
    pk: int
    name: str
    url: str
    decline_url: str


@dataclass
class FollowThrough:
    summary_html: str = ""
    summary_by: str = ""
    summary_at: object = None
    quotes: list[Quote] = field(default_factory=list)
    offers: list[OfferShown] = field(default_factory=list)
    tools_url: str = ""
    next_url: str = ""
    template: str = "facilitation/_follow_through.html"


def quote_of(post: Reflection, viewer) -> Quote:
    text = Truncator(strip_tags(post.body_html)).words(QUOTE_WORDS)
    name = bylines.shown_name(viewer, post)
    return Quote(text=text, name=name, url=post.get_absolute_url(), note=post.content_note)


def add_follow_through(space) -> None:
    prompt = space.prompt
    if prompt is None:
        return
    user = space.viewer.user
    shown = FollowThrough(next_url=prompt.get_absolute_url())
    if can_facilitate(user, space.lesson.course_id):
        shown.tools_url = reverse("facilitation:activity", args=[prompt.pk])
    if getattr(prompt, "has_summary", False):
        summary = Summary.objects.select_related("author").filter(prompt_id=prompt.pk).first()
        if summary is not None:
            shown.summary_html, shown.summary_at = summary.body_html, summary.updated_at
            shown.summary_by = summary.author.display_name
            space.extension_scopes.add(versions.user_scope(summary.author_id))
            if summary.quoted_ids:
                posts = {
                    post.pk: post
                    for post in Reflection.objects.visible_to(user)
                    .counted()
                    .filter(pk__in=summary.quoted_ids, prompt_id=prompt.pk, is_private=False,
                            audience=Reflection.Audience.COURSE, hidden_at__isnull=True)
                    .select_related("author")
                }  # fmt: skip
                for pk in summary.quoted_ids:
                    if pk in posts:
                        shown.quotes.append(quote_of(posts[pk], user))
                        if bylines.knows_author(user, posts[pk]):
                            space.extension_scopes.add(versions.user_scope(posts[pk].author_id))
    if getattr(prompt, "has_offer", False):
        for offer in ResponseOffer.objects.filter(
            prompt_id=prompt.pk, offered_to_id=user.pk, state=ResponseOffer.State.OPEN,
            reflection__in=Reflection.objects.visible_to(user).values("pk"),
        ).select_related("reflection__author"):  # fmt: skip
            shown.offers.append(
                OfferShown(
                    pk=offer.pk, name=bylines.shown_name(user, offer.reflection),
                    url=offer.reflection.get_absolute_url(),
                    decline_url=reverse("facilitation:decline", args=[offer.pk]),
                )
            )  # fmt: skip
            if bylines.knows_author(user, offer.reflection):
                space.extension_scopes.add(versions.user_scope(offer.reflection.author_id))
    if shown.summary_html or shown.offers or shown.tools_url:
        prompt.follow_through = shown

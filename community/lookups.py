"""Single posts as a viewer may reach them: a post read through the rule (else 404), the post a
reply answers, a quote of it, and the address of the space page that shows a post."""

from django.conf import settings
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from community import keyset
from community.models import Prompt, Reflection
from community.post_actions import PostUrls
from community.querysets import THREAD_ORDERS

_POST_RELATED = ("prompt__lesson__course", "author", "thread", "parent__author")


def get_visible_post(user, post_id: int, *, placeholders: bool = False) -> Reflection:
    """A post the viewer may see, else 404 (so ids reveal nothing). ``placeholders``: also a
    hidden reflection whose replies stay, for the pages that show it as a placeholder (its thread,
    its permalink)."""
    posts = Reflection.objects.visible_to(user, placeholders=placeholders).select_related(*_POST_RELATED)
    return get_object_or_404(posts, pk=post_id)


def reply_target(user, post_id: int) -> Reflection | None:
    """The post a reply is being sent to: the post when the viewer may still see it, None when it
    was hidden or removed meanwhile (the reply form then comes back with its text), 404 when it
    was never in a space the viewer can open."""
    posts = Reflection.objects.select_related(*_POST_RELATED)
    post = posts.filter(pk=post_id, prompt__in=Prompt.objects.visible_to(user)).first()
    if post is None:
        raise Http404(_("No such post."))
    return posts.visible_to(user).filter(pk=post_id).first()


def quote_of(post: Reflection) -> str:
    quoted = "\n".join(f"> {line}" for line in post.body.splitlines())
    # An anonymous post is quoted under its pseudonym, whoever quotes it (a facilitator's quote
    # would otherwise print the name colleagues may not know).
    source = post.pseudonym_label if post.anonymous else f"@{post.author.handle}"
    return f"{quoted}\n>\n> — {source}\n\n"


def space_url_of(user, post: Reflection) -> str:
    """The address of the space page that shows ``post`` (in the default order), with its anchor:
    the page starting at its thread (a keyset cursor, so no count of the posts before it); a
    reply beyond its thread's first ``REPLIES_SHOWN_PER_THREAD`` is on the thread's own page.

    One query for a reply (its thread and the thread's first replies, through ``visible_to``);
    none for a top-level post (``post`` was read through ``visible_to``). A reply whose thread the
    viewer may not see (their own reply in a hidden thread) gets the space's first page: the
    cursor would carry the hidden thread's date."""
    url = post.prompt.get_absolute_url()
    root = post
    if post.thread_id:
        shown = settings.REPLIES_SHOWN_PER_THREAD
        first = list(
            Reflection.objects.visible_to(user, within=post.prompt, placeholders=True)
            .filter(Q(pk=post.thread_id) | Q(thread_id=post.thread_id))
            .order_by(F("thread_id").asc(nulls_first=True), "created_at", "id")
            .values_list("pk", flat=True)[: shown + 1]
        )
        if post.thread_id not in first:
            return f"{url}#{post.anchor}"
        if post.pk not in first:
            return f"{PostUrls()('thread', post.thread_id)}#{post.anchor}"
        root = post.thread
    return f"{url}{keyset.from_address(THREAD_ORDERS['oldest'], root)}#{post.anchor}"


def page_ending_at(post: Reflection) -> str:
    """Where a member lands after posting (or sharing) top-level ``post``: the space page (in the
    default order) that ends at it, so their reflection shows with the ones before it — under
    independent reflection, the colleagues' reflections it has just unlocked. No query."""
    return (
        f"{post.prompt.get_absolute_url()}{keyset.until_address(THREAD_ORDERS['oldest'], post)}#{post.anchor}"
    )

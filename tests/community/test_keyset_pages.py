"""Keyset pages of the space (issue 13): "First", "Previous", "Next", "Last" links carry a cursor
(the sort key of a row the viewer saw), so a deep page or a permalink costs what page 1 does.

Each order is walked forwards and backwards through every page and must show every thread the
viewer may see exactly once, in order; posts added or liked mid-walk move only as the order says;
hidden, private and other-cohort posts never appear, whatever the cursor; a malformed cursor is
page 1; the query count is the same on every page."""

import re
from html import unescape
from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts import roles
from community import keyset, services
from community.models import Reflection
from community.querysets import THREAD_ORDERS
from moderation.services import hide_reflection
from tests.community.test_cohort_visibility import build_cohorts
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

PER_PAGE = 3
OLDEST = THREAD_ORDERS["oldest"]
THREAD = re.compile(r'<div class="thread" id="thread-(\d+)">')


def link(html: str, name: str) -> str | None:
    """The query string of the pagination link named ``name`` (First, Previous, Next, Last)."""
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.DOTALL)
    found = nav and re.search(rf'<a href="([^"]+)"[^>]*>{name}</a>', nav.group(0))
    return unescape(found.group(1)) if found else None


def threads_on(html: str) -> list[int]:
    return [int(pk) for pk in THREAD.findall(html)]


def walk(client, url: str, start: str, direction: str, between=None) -> list[list[int]]:
    """The threads of each page, following ``direction`` (Next or Previous) from ``start``;
    ``between(page_index)`` runs after each page (to post or like mid-walk)."""
    pages, query, seen_queries = [], start, set()
    while query is not None:
        assert query not in seen_queries, f"the walk loops at {query}"
        seen_queries.add(query)
        response = client.get(url + query)
        assert response.status_code == HTTPStatus.OK
        assert "page=" not in response.text.split('<nav class="pagination"')[-1].split("</nav>")[0]
        pages.append(threads_on(response.text))
        if between:
            between(len(pages))
        query = link(response.text, direction)
    return pages


def expected(viewer, prompt, order: str) -> list[int]:
    """The threads the space lists: those the rule gives, and placeholders of hidden reflections."""
    return list(
        Reflection.objects.visible_to(viewer, placeholders=True)
        .threads_for(prompt, order=order, user=viewer)
        .values_list("pk", flat=True)
    )


@pytest.fixture
def space(settings, user):
    """A space of 12 threads the viewer may see (4 pages of 3: 11 and a hidden reflection's
    placeholder), with likes, highlights, the viewer's own posts and replies, and posts the viewer
    may not see in between."""
    settings.REFLECTIONS_PER_PAGE = PER_PAGE
    facilitator = make_user(role=roles.FACILITATOR)
    moderator = make_user(role=roles.MODERATOR)
    prompt = make_prompt(author=facilitator)
    other = make_user()
    for i in range(11):
        post = make_reflection(prompt=prompt, author=user if i % 4 == 0 else other, body=f"Thread {i}",
                               likes=(i * 7) % 4)  # fmt: skip
        if i % 3 == 0:
            services.highlight_reflection(reflection=post, by=facilitator)
        if i == 5:
            make_reflection(parent=post, author=user, body="My reply")
        if i in (2, 6):
            hidden = make_reflection(prompt=prompt, author=other, body=f"Hidden {i}", likes=i % 3)
            # The first is hidden with its replies; the second leaves a placeholder.
            hide_reflection(reflection=hidden, moderator=moderator, reason="Off topic", with_replies=i == 2)
        if i == 8:
            services.create_reflection(
                prompt=prompt, author=other, body="Someone's private words", is_private=True
            )
    return prompt


@pytest.mark.parametrize("order", list(THREAD_ORDERS))
def test_every_order_walks_forwards_and_back_through_every_visible_thread_once(
    auth_client, user, space, order
):
    url = space.get_absolute_url()
    want = expected(user, space, order)
    assert len(want) > PER_PAGE  # at least two pages in every order
    forwards = walk(auth_client, url, f"?order={order}", "Next")
    assert [pk for page in forwards for pk in page] == want
    assert all(len(page) == PER_PAGE for page in forwards[:-1])
    first = auth_client.get(url, {"order": order}).text
    backwards = walk(auth_client, url, link(first, "Last"), "Previous")
    assert [pk for page in reversed(backwards) for pk in page] == want
    if order in ("oldest", "newest", "liked"):  # the total is known: the pages line up both ways
        assert list(reversed(backwards)) == forwards
    unread = Reflection.objects.filter(prompt=space).exclude(hidden_at=None, is_private=False)
    placeholder = unread.get(hidden_at__isnull=False, hidden_with_replies=False).pk
    assert (placeholder in want) is (order in ("oldest", "newest", "liked"))  # without its words
    hidden = set(unread.exclude(pk=placeholder).values_list("pk", flat=True))
    assert hidden and not hidden & set(want)


def test_the_bar_says_where_you_are(auth_client, space):
    url = space.get_absolute_url()
    first = auth_client.get(url).text
    assert '<span aria-current="page">Page 1 of 4</span>' in first
    assert link(first, "First") is None and link(first, "Previous") is None
    assert 'rel="next">Next</a>' in first
    second = auth_client.get(url + link(first, "Next")).text
    assert '<span aria-current="page">Page 2 of 4</span>' in second and 'rel="prev">Previous</a>' in second
    last = auth_client.get(url + link(first, "Last")).text
    assert '<span aria-current="page">Page 4 of 4</span>' in last
    assert (
        link(last, "Next") is None and link(last, "Last") is None and link(last, "First") == "?order=oldest"
    )
    assert len(threads_on(last)) == 12 - 3 * PER_PAGE  # aligned with the pages counted from the first


def test_the_last_page_without_a_known_total_is_the_last_full_page(auth_client, user, space):
    want = expected(user, space, "mine")
    last = auth_client.get(space.get_absolute_url(), {"order": "mine", "last": "1"}).text
    assert threads_on(last) == want[-PER_PAGE:]
    assert "aria-current" not in last.split('<nav class="pagination"')[-1].split("</nav>")[0]


def test_a_single_page_has_no_bar(auth_client, settings):
    settings.REFLECTIONS_PER_PAGE = 5
    prompt = make_prompt()
    for _ in range(3):
        make_reflection(prompt=prompt)
    for query in ("", "?last=1", "?order=liked&last=1"):
        assert 'class="pagination"' not in auth_client.get(prompt.get_absolute_url() + query).text


def test_posts_added_mid_walk_neither_repeat_nor_hide_earlier_ones(auth_client, user, space):
    """Newest first: a new thread arrives at the top. OFFSET would show the last thread of the
    page read again on the next; a cursor carries on where the reader was."""
    url = space.get_absolute_url()
    want = expected(user, space, "newest")

    def post(_):
        make_reflection(prompt=space, body="Arrived mid-walk")

    pages = walk(auth_client, url, "?order=newest", "Next", between=post)
    assert [pk for page in pages for pk in page] == want


def test_likes_mid_walk_move_a_thread_only_as_the_order_says(auth_client, user, space):
    """Most liked: a thread already read that gains likes moves up, behind the reader, and is not
    shown again; the others are each shown once."""
    url = space.get_absolute_url()
    want = expected(user, space, "liked")
    seen: list[int] = []

    def like_a_read_thread(page_index):
        seen.extend(want[(page_index - 1) * PER_PAGE : page_index * PER_PAGE])
        services.like_reflection(reflection=Reflection.objects.get(pk=seen[-1]), user=make_user())

    pages = walk(auth_client, url, "?order=liked", "Next", between=like_a_read_thread)
    assert [pk for page in pages for pk in page] == want


def test_a_cursor_at_a_hidden_post_shows_only_what_the_viewer_may_see(auth_client, user, space):
    """A cursor only positions the read: one made from a post the viewer may not see (guessed, or
    copied by someone who may) shows the visible threads after it and nothing else."""
    oldest = THREAD_ORDERS["oldest"]
    hidden = Reflection.objects.filter(prompt=space, hidden_at__isnull=False).order_by("created_at").first()
    text = auth_client.get(space.get_absolute_url(), {"after": keyset.encode(oldest, hidden)}).text
    visible_after = [pk for pk in expected(user, space, "oldest") if pk > hidden.pk][:PER_PAGE]
    assert threads_on(text) == visible_after
    assert "Hidden 2" not in text and "Hidden 6" not in text and "Someone&#x27;s private words" not in text
    text = auth_client.get(space.get_absolute_url(), {"from": keyset.encode(oldest, hidden)}).text
    assert threads_on(text) == visible_after


@pytest.mark.enrolment
def test_other_cohorts_never_appear_on_any_page(client, settings):
    settings.REFLECTIONS_PER_PAGE = 1
    cohorts = build_cohorts()
    viewer = cohorts.users["spring_a"]
    client.force_login(viewer)
    for order in ("oldest", "newest", "liked"):
        pages = walk(client, cohorts.prompt.get_absolute_url(), f"?order={order}", "Next")
        shown = [pk for page in pages for pk in page]
        assert shown == expected(viewer, cohorts.prompt, order)
        assert set(shown) == {cohorts.posts[name].pk for name in ("spring_a", "cohort_facilitator", "staff")}


@pytest.mark.parametrize(
    "query",
    [
        {"after": "abc"}, {"after": ""}, {"after": "1"}, {"after": "1.2.3"}, {"after": "-1.5"},
        {"after": "1e5.2"}, {"after": "١٢.٣"}, {"after": "9" * 19 + ".1"}, {"after": "99999999999999999.1"},
        {"before": "1.2.3.4"}, {"from": "x.y"}, {"order": "liked", "after": "1.2"},
        {"order": "liked", "before": "2147483648.1.1"}, {"last": "yes"}, {"page": "0"}, {"page": "abc"},
        {"page": "-2"}, {"n": "abc"}, {"n": "99999999999"}, {"after": "1.2", "n": "x"},
    ],
)  # fmt: skip
def test_a_malformed_cursor_is_page_1(auth_client, user, space, query):
    response = auth_client.get(space.get_absolute_url(), query)
    assert response.status_code == HTTPStatus.OK
    order = query.get("order", "oldest")
    shown = threads_on(response.text)
    want = expected(user, space, order)
    # A cursor of the right shape but outside the data positions the read (before the first row:
    # page 1; past the last: page 1 again, as a stale cursor).
    assert shown == want[:PER_PAGE]


def test_a_stale_cursor_past_the_end_is_page_1(auth_client, user, space):
    last = Reflection.objects.filter(prompt=space).order_by("-created_at").first()
    cursor = keyset.encode(THREAD_ORDERS["oldest"], last)
    text = auth_client.get(space.get_absolute_url(), {"after": cursor}).text
    assert threads_on(text) == expected(user, space, "oldest")[:PER_PAGE]


def test_old_page_links_still_work_and_lead_on_with_cursors(auth_client, user, space):
    want = expected(user, space, "oldest")
    text = auth_client.get(space.get_absolute_url(), {"page": "2"}).text
    assert threads_on(text) == want[PER_PAGE : 2 * PER_PAGE]
    assert '<span aria-current="page">Page 2 of 4</span>' in text
    assert "after=" in link(text, "Next") and "before=" in link(text, "Previous")
    beyond = auth_client.get(space.get_absolute_url(), {"page": "99"}).text
    assert threads_on(beyond) == want[3 * PER_PAGE :]  # past the end: the last page


def test_permalinks_land_on_a_page_showing_the_post(auth_client, user, space, settings):
    settings.REPLIES_SHOWN_PER_THREAD = 2
    threads = expected(user, space, "oldest")
    middle = Reflection.objects.get(pk=threads[7])
    early = make_reflection(parent=middle, body="Early reply")
    make_reflection(parent=middle, body="Second reply")
    late = make_reflection(parent=middle, body="Late reply")
    for post in (middle, early):
        target = auth_client.get(post.get_absolute_url()).url
        path, anchor = target.split("#")
        assert anchor == f"post-{post.pk}" and "?from=" in path
        page = auth_client.get(path).text
        assert f'id="post-{post.pk}"' in page
        assert threads_on(page)[0] == middle.pk
    target = auth_client.get(late.get_absolute_url()).url
    assert target.startswith(f"/posts/{middle.pk}/thread/")
    assert f'id="post-{late.pk}"' in auth_client.get(target.split("#")[0]).text


def test_a_permalink_to_my_reply_in_a_hidden_thread_carries_no_cursor(auth_client, user):
    """The cursor would carry the hidden thread's date: the author of a reply there gets page 1."""
    thread = make_reflection(body="To be hidden")
    reply = make_reflection(parent=thread, author=user, body="My answer")
    moderator = make_user(role=roles.MODERATOR)
    hide_reflection(reflection=thread, moderator=moderator, reason="Off topic", with_replies=True)
    assert (
        auth_client.get(reply.get_absolute_url()).url == f"{thread.prompt.get_absolute_url()}#post-{reply.pk}"
    )


def _seed(prompt, threads: int):
    for i in range(threads):
        top = make_reflection(prompt=prompt, body=f"Thread {i}", likes=1)
        make_reflection(parent=top)


@pytest.mark.parametrize("signed_in", [True, False])
def test_every_page_makes_the_same_queries(client, settings, assert_exact_queries, signed_in):
    """First, a middle page (Next), the last page, Previous from it, "Most liked", a permalink's
    page and an old ?page= link: the same number of queries (the test_views count), none of them a
    COUNT of the space."""
    settings.COMMUNITY_PUBLIC_READING = True
    settings.REFLECTIONS_PER_PAGE = 4
    prompt = make_prompt()
    make_prompt(lesson=prompt.lesson, title="Second activity")
    _seed(prompt, 20)
    if signed_in:
        client.force_login(make_user())
    url = prompt.get_absolute_url()
    first = client.get(url).text
    middle = client.get(url + link(first, "Next")).text
    middle = client.get(url + link(middle, "Next")).text
    last = client.get(url + link(first, "Last")).text
    third = Reflection.objects.filter(prompt=prompt, thread=None).order_by("created_at", "id")[9]
    queries = {
        "first": "",
        "middle": link(middle, "Next"),
        "last": link(first, "Last"),
        "previous from last": link(last, "Previous"),
        "most liked, page 2": link(client.get(url, {"order": "liked"}).text, "Next"),
        "permalink's page": keyset.from_address(THREAD_ORDERS["oldest"], third),
        "old ?page=3": "?page=3",
    }
    for name, query in queries.items():
        with assert_exact_queries(13 if signed_in else 7):
            response = client.get(url + query)
        assert response.status_code == HTTPStatus.OK, name
        assert len(threads_on(response.text)) == 4, name
    # The page ending at a reflection (after posting): one probe more, is there a next page?
    with assert_exact_queries(14 if signed_in else 8):
        response = client.get(url + keyset.until_address(THREAD_ORDERS["oldest"], third))
    assert len(threads_on(response.text)) == 4 and link(response.text, "Next")


def test_after_posting_a_member_lands_on_the_page_ending_at_their_reflection(auth_client, user, space):
    """Not a page starting at it (it is the newest): theirs with the ones before it."""
    want = expected(user, space, "oldest")
    response = auth_client.post(reverse("community:reflection-create", args=[space.pk]), {"body": "Just now"})
    mine = Reflection.objects.get(body="Just now")
    assert response.url == f"{space.get_absolute_url()}{keyset.until_address(OLDEST, mine)}#post-{mine.pk}"
    page = auth_client.get(response.url.split("#")[0]).text
    assert threads_on(page) == [*want[-(PER_PAGE - 1) :], mine.pk]
    assert link(page, "Next") is None and link(page, "Previous")


def test_sharing_under_independent_reflection_lands_among_the_colleagues_it_unlocks(auth_client, user):
    prompt = make_prompt(independent_reflection=True)
    make_reflection(prompt=prompt, body="Words of a colleague")
    mine = services.create_reflection(prompt=prompt, author=user, body="Mine, privately", is_private=True)
    response = auth_client.post(reverse("community:reflection-share", args=[mine.pk]))
    assert "?until=" in response.url
    page = auth_client.get(response.url.split("#")[0]).text
    assert "Words of a colleague" in page and "Mine, privately" in page

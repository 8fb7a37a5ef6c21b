"""Bounded space pages (issue 13): each thread shows its first few replies and "Show all N
replies"; the thread page shows them all; a permalink beyond the first few lands there."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts import roles
from community import keyset, services
from community.models import Reflection
from community.querysets import THREAD_ORDERS
from moderation import services as moderation
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db
OLDEST = THREAD_ORDERS["oldest"]


def _many_replies(thread, count: int) -> list[Reflection]:
    """``count`` replies under ``thread`` in one INSERT (the counters as the services keep them)."""
    author = make_user()
    replies = Reflection.objects.bulk_create(
        Reflection(
            prompt=thread.prompt,
            author=author,
            parent=thread,
            thread=thread,
            body=f"Reply {i}",
            body_html=f"<p>Reply number {i:03}.</p>",
        )  # fmt: skip
        for i in range(count)
    )
    services.resync_counts()
    return replies


def thread_url(post):
    return reverse("community:thread", args=[post.pk])


def test_a_lively_thread_shows_its_first_replies_and_a_link_to_all(auth_client, settings):
    settings.REPLIES_SHOWN_PER_THREAD = 3
    thread = make_reflection(body="The lively one")
    _many_replies(thread, 500)
    text = auth_client.get(thread.prompt.get_absolute_url()).text
    assert text.count('class="post post--reply') == 3
    assert "Reply number 000." in text and "Reply number 002." in text and "Reply number 003." not in text
    assert f'href="{thread_url(thread)}"' in text
    assert "Show all 500 replies" in text


def test_a_quiet_thread_has_no_show_all_link(auth_client, settings):
    settings.REPLIES_SHOWN_PER_THREAD = 3
    thread = make_reflection(body="Quiet", replies=3)
    text = auth_client.get(thread.prompt.get_absolute_url()).text
    assert text.count('class="post post--reply') == 3
    assert "Show all" not in text


def test_the_query_count_is_the_same_with_500_replies(client, settings, assert_exact_queries):
    settings.REPLIES_SHOWN_PER_THREAD = 3
    prompt = make_prompt()
    small = make_reflection(prompt=prompt, replies=1)
    big = make_reflection(prompt=prompt)
    client.force_login(make_user())
    client.get(prompt.get_absolute_url())  # the visit is recorded; "new" is then the same both times
    with assert_exact_queries(13):  # as in test_views.test_space_query_count_is_flat
        client.get(prompt.get_absolute_url())
    _many_replies(big, 500)
    _many_replies(small, 10)
    client.get(prompt.get_absolute_url())  # seen: no "New" markers (one query more) either time
    with assert_exact_queries(13):
        response = client.get(prompt.get_absolute_url())
    assert response.text.count('class="post post--reply') == 6


def test_the_count_and_the_shown_replies_leave_out_what_the_viewer_may_not_read(auth_client, settings):
    settings.REPLIES_SHOWN_PER_THREAD = 2
    thread = make_reflection(body="Thread")
    replies = [make_reflection(parent=thread, body=f"Visible {i}") for i in range(3)]
    moderation.hide_reflection(reflection=replies[0], moderator=_moderator(), reason="Off topic")
    text = auth_client.get(thread.prompt.get_absolute_url()).text
    assert "Visible 0" not in text
    assert "Visible 1" in text and "Visible 2" in text
    assert "Show all" not in text  # two replies may be read, both are shown


def _moderator():
    return make_user(role=roles.MODERATOR)


def test_the_thread_page_shows_every_reply_without_javascript(auth_client, settings):
    settings.REPLIES_SHOWN_PER_THREAD = 3
    thread = make_reflection(body="The lively one")
    _many_replies(thread, 40)
    response = auth_client.get(thread_url(thread))
    assert response.status_code == HTTPStatus.OK
    assert response.text.count('class="post post--reply') == 40
    assert "<html" in response.text and "Show all" not in response.text


def test_htmx_expands_the_thread_in_place(auth_client, settings):
    settings.REPLIES_SHOWN_PER_THREAD = 3
    thread = make_reflection(body="The lively one")
    _many_replies(thread, 12)
    response = auth_client.get(thread_url(thread), HTTP_HX_REQUEST="true")
    assert "<html" not in response.text
    assert response.text.lstrip().startswith(f'<div class="thread" id="thread-{thread.pk}">')
    assert response.text.count('class="post post--reply') == 12


def test_the_thread_page_of_a_reply_is_its_thread(auth_client):
    thread = make_reflection(replies=1)
    reply = Reflection.objects.get(thread=thread)
    response = auth_client.get(thread_url(reply))
    assert response.status_code == HTTPStatus.FOUND and response.url == thread_url(thread)


def test_a_permalink_beyond_the_first_replies_lands_on_the_thread_page(auth_client, settings):
    settings.REPLIES_SHOWN_PER_THREAD = 3
    thread = make_reflection()
    replies = _many_replies(thread, 5)
    early = auth_client.get(reverse("community:post", args=[replies[2].pk])).url
    late = auth_client.get(reverse("community:post", args=[replies[3].pk])).url
    assert (
        early
        == f"{thread.prompt.get_absolute_url()}?from={keyset.encode(OLDEST, thread)}#post-{replies[2].pk}"
    )
    assert f'id="post-{replies[2].pk}"' in auth_client.get(early.split("#")[0]).text
    assert late == f"{thread_url(thread)}#post-{replies[3].pk}"
    assert f'id="post-{replies[3].pk}"' in auth_client.get(late.split("#")[0]).text


def test_a_thread_the_viewer_may_not_read_is_404(auth_client):
    thread = make_reflection()
    moderation.hide_reflection(
        reflection=thread, moderator=_moderator(), reason="Off topic", with_replies=True
    )
    assert auth_client.get(thread_url(thread)).status_code == HTTPStatus.NOT_FOUND


def test_what_is_new_is_counted_up_to_99(client):
    """ "99+ new": a member back after a month in a busy space costs what everyone else does."""
    thread = make_reflection(body="Before the visit")
    viewer = make_user()
    client.force_login(viewer)
    client.get(thread.prompt.get_absolute_url())
    _many_replies(thread, 120)
    text = client.get(thread.prompt.get_absolute_url()).text
    assert "<strong>99+ new</strong>" in text
    first = Reflection.objects.filter(thread=thread).order_by("created_at", "id").first()
    assert f'href="/posts/{first.pk}/">Go to the first new post' in text

"""Hiding a reflection keeps the conversation (issue 21, item 8): colleagues see a placeholder
("This reflection is hidden while moderators review it") with the replies under it, never its
author or words; the moderator may hide the whole conversation instead, and change that later.
Whatever the choice, the post's author and the moderators still read everything."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from moderation import services as moderation
from moderation.models import ModerationAction
from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.django_db
PLACEHOLDER = "This reflection is hidden while moderators review it."


def _article(html: str, post) -> str:
    found = re.search(rf'<article [^>]*id="post-{post.pk}".*?</article>', html, re.DOTALL)
    return found[0] if found else ""


@pytest.fixture
def conversation(moderator):
    author = make_user(handle="kwame", display_name="Kwame Mensah")
    post = make_reflection(author=author, body="What I got wrong about the **rota**.")
    replier = make_user(handle="lina", display_name="Lina Park")
    reply = make_reflection(parent=post, author=replier, body="Thank you for telling us this.")
    return post, reply


def test_a_hidden_reflection_leaves_a_placeholder_and_its_replies(client, user, conversation, moderator):
    post, reply = conversation
    moderation.hide_reflection(reflection=post, moderator=moderator, reason="Names a colleague")
    client.force_login(user)
    for url in (post.prompt.get_absolute_url(), reverse("community:thread", args=[post.pk])):
        html = client.get(url).text
        article = _article(html, post)
        assert PLACEHOLDER in article
        assert "rota" not in html and "Kwame" not in html and "kwame" not in html
        assert ">Like<" not in article and ">Reply<" not in article and "Report" not in article
        assert "Thank you for telling us this." in _article(html, reply)
        assert 'aria-label="Replies to a hidden reflection"' in html
    # Its permalink leads to the placeholder; what only a reader may open stays closed.
    assert client.get(reverse("community:post", args=[post.pk])).status_code == HTTPStatus.FOUND
    assert (
        client.get(reverse("community:reflection-likes", args=[post.pk])).status_code == HTTPStatus.NOT_FOUND
    )
    assert (
        client.get(reverse("community:reflection-reply", args=[post.pk])).status_code == HTTPStatus.NOT_FOUND
    )
    # The conversation goes on: a colleague answers the reply under the placeholder.
    response = client.post(
        reverse("community:reflection-reply", args=[reply.pk]), {"reply-body": "Agreed, and thank you."}
    )
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    assert "Agreed, and thank you." in client.get(reverse("community:thread", args=[post.pk])).text


def test_the_author_and_moderators_still_read_the_hidden_reflection(client, conversation, moderator):
    post, reply = conversation
    moderation.hide_reflection(reflection=post, moderator=moderator, reason="Names a colleague")
    for reader in (post.author, moderator):
        client.force_login(reader)
        article = _article(client.get(post.prompt.get_absolute_url()).text, post)
        assert "rota" in article and PLACEHOLDER not in article and "Hidden by a moderator." in article


def test_the_moderator_may_hide_the_whole_conversation_and_show_the_replies_again(
    client, user, conversation, moderator
):
    post, reply = conversation
    client.force_login(moderator)
    page = client.get(reverse("moderation:post", args=[post.pk])).text
    assert "A placeholder, with the replies under it" in page and "Nothing: hide the replies too" in page
    client.post(reverse("moderation:hide", args=[post.pk]), {"reason": "Abusive", "replies": "hide"})
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_with_replies

    client.force_login(user)
    html = client.get(post.prompt.get_absolute_url()).text
    assert f'id="post-{post.pk}"' not in html and "Thank you for telling us this." not in html
    assert client.get(reverse("community:thread", args=[post.pk])).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("community:post", args=[reply.pk])).status_code == HTTPStatus.NOT_FOUND
    client.force_login(reply.author)  # a reply's author still sees their own words
    assert client.get(reverse("community:post", args=[reply.pk])).status_code == HTTPStatus.FOUND

    client.force_login(moderator)
    assert "Hide the replies too" not in client.get(reverse("moderation:post", args=[post.pk])).text
    client.post(reverse("moderation:hide-replies", args=[post.pk]), {"hidden": "0"})
    post.refresh_from_db()
    assert post.is_hidden and not post.hidden_with_replies
    kinds = list(
        ModerationAction.objects.filter(reflection=post).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == [ModerationAction.Kind.HIDE, ModerationAction.Kind.SHOW_REPLIES]

    client.force_login(user)
    html = client.get(post.prompt.get_absolute_url()).text
    assert PLACEHOLDER in _article(html, post) and "Thank you for telling us this." in html


def test_hiding_by_reports_keeps_the_replies_and_restoring_clears_the_choice(
    settings, conversation, moderator
):
    from moderation.services import report_reflection

    post, reply = conversation
    settings.FLAG_HIDE_THRESHOLD = 1
    report_reflection(reflection=post, reporter=make_user(), reason="spam")
    post.refresh_from_db()
    assert post.is_hidden and not post.hidden_with_replies
    moderation.hide_replies(reflection=post, moderator=moderator, hidden=True)
    moderation.restore_reflection(reflection=post, moderator=moderator)
    post.refresh_from_db()
    assert not post.is_hidden and not post.hidden_with_replies


def test_search_and_counts_read_the_replies_never_the_placeholder(client, user, conversation, moderator):
    post, reply = conversation
    moderation.hide_reflection(reflection=post, moderator=moderator, reason="Names a colleague")
    client.force_login(user)
    results = client.get(reverse("search:results"), {"q": "telling"}).text
    assert f"/posts/{reply.pk}/" in results
    assert f"/posts/{post.pk}/" not in client.get(reverse("search:results"), {"q": "rota"}).text
    post.prompt.refresh_from_db()
    assert post.prompt.reflection_count == 0  # the placeholder is not a reflection anyone reads

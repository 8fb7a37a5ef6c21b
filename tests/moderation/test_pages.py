"""The moderators' pages: the queue of reported posts (most reported first, a fixed number of
queries) and the log of actions, closed to learners and facilitators; a private reflection is on
none of them."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from community import services
from moderation import services as moderation
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


def test_queue_lists_reported_posts_with_context_most_reported_first(client, moderator):
    quiet = make_reflection(body="Reported once")
    loud = make_reflection(body="Reported twice")
    moderation.report_reflection(reflection=quiet, reporter=make_user(), reason="spam", note="ad link")
    for _ in range(2):
        moderation.report_reflection(reflection=loud, reporter=make_user(), reason="harassment")
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue"), {"order": "most"}).text
    assert page.index("Reported twice") < page.index("Reported once")
    assert "ad link" in page and quiet.prompt.title in page


@pytest.mark.parametrize("reports", [2, 15])
def test_queue_query_count_is_flat(client, moderator, assert_exact_queries, reports):
    for _ in range(reports):
        post = make_reflection()
        moderation.report_reflection(reflection=post, reporter=make_user(), reason="spam")
    client.force_login(moderator)
    # user with their roles and suspension (accounts.backends), the paginator's count, the header's unread
    # count, one page of posts (+ authors' groups, + open reports with reporters),
    # and the open reports about like reasons ("What helped you?"). No session query: the session
    # comes from the cache (cached_db).
    with assert_exact_queries(7):
        client.get(reverse("moderation:queue"))


def test_log_is_visible_to_moderators_only(client, user, moderator):
    post = make_reflection()
    moderation.hide_reflection(reflection=post, moderator=moderator, reason="visible in log")
    client.force_login(user)
    assert client.get(reverse("moderation:log")).status_code == HTTPStatus.FORBIDDEN
    client.force_login(moderator)
    page = client.get(reverse("moderation:log"))
    assert "visible in log" in page.text and "Hid a post" in page.text


@pytest.mark.parametrize("fixture", ["user", "facilitator"])
def test_moderation_pages_are_forbidden_to_learners_and_facilitators(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("moderation:queue")).status_code == HTTPStatus.FORBIDDEN


def test_moderators_cannot_open_a_private_reflection_on_the_moderation_pages(client, user, moderator):
    post = services.create_reflection(prompt=make_prompt(), author=user, body="SECRET-WORDS", is_private=True)
    client.force_login(moderator)
    for name in ("post", "history"):
        assert client.get(reverse(f"moderation:{name}", args=[post.pk])).status_code == HTTPStatus.NOT_FOUND
    assert "SECRET-WORDS" not in client.get(reverse("moderation:queue")).text

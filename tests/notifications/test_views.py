"""The notifications page, the header count, preferences, one-click unsubscribe and following."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from moderation import services as moderation
from notifications import emails, services
from notifications.kinds import Delivery, Group, Kind
from notifications.models import Notification, Preference, Subscription
from tests.factories import make_prompt, make_reflection

pytestmark = pytest.mark.django_db


def reply_notice(user, other_user):
    top = make_reflection(author=user)
    reply = make_reflection(parent=top, author=other_user, body="An answer")
    return Notification.objects.create(recipient=user, kind=Kind.REPLY, actor=other_user, reflection=reply,
                                       prompt=reply.prompt)  # fmt: skip


def test_header_count_is_in_the_links_accessible_name(auth_client, user, other_user):
    reply_notice(user, other_user)
    page = auth_client.get(reverse("lessons:course-list")).text
    assert 'aria-label="Notifications, 1 unread"' in page


def test_list_opens_an_item_which_marks_it_read_and_lands_on_the_post(auth_client, user, other_user):
    notice = reply_notice(user, other_user)
    page = auth_client.get(reverse("notifications:list")).text
    assert "Ben Carter replied to your reflection" in page and "notice--unread" in page
    response = auth_client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("community:post", args=[notice.reflection_id])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'aria-label="Notifications"' in auth_client.get(reverse("notifications:list")).text


def test_mark_all_as_read(auth_client, user, other_user):
    reply_notice(user, other_user)
    reply_notice(user, other_user)
    response = auth_client.post(reverse("notifications:read-all"))
    assert response.status_code == HTTPStatus.FOUND
    assert services.unread_count(user) == 0


def test_members_cannot_open_each_others_notices(client, user, other_user):
    notice = reply_notice(user, other_user)
    client.force_login(other_user)
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == HTTPStatus.NOT_FOUND
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_notice_about_a_post_hidden_since_is_not_listed_snippeted_or_counted(
    auth_client, user, other_user, moderator
):
    notice = reply_notice(user, other_user)
    moderation.hide_reflection(reflection=notice.reflection, moderator=moderator, reason="r")
    page = auth_client.get(reverse("notifications:list")).text
    assert "Ben Carter" not in page and 'aria-label="Notifications"' in page
    assert (
        auth_client.get(reverse("notifications:open", args=[notice.pk])).status_code == HTTPStatus.NOT_FOUND
    )


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response.url


def test_email_settings_page_saves_each_group(auth_client, user):
    page = auth_client.get(reverse("notifications:settings"))
    assert page.status_code == HTTPStatus.OK and "Mentions of you" in page.text
    data = {group: Delivery.IMMEDIATELY for group in Group.values}
    data[Group.LIKES] = Delivery.WEEKLY
    response = auth_client.post(reverse("notifications:settings"), data)
    assert response.status_code == HTTPStatus.FOUND
    assert services.deliveries(user.pk)[Group.LIKES] == Delivery.WEEKLY
    bad = auth_client.post(reverse("notifications:settings"), {**data, Group.LIKES: "hourly"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST


def test_unsubscribe_asks_on_get_and_stops_on_post_without_login_or_csrf(client, user):
    from django.test import Client

    token = emails.unsubscribe_token(user.pk, Group.MENTIONS)
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK and "Stop these emails?" in page.text
    assert services.deliveries(user.pk)[Group.MENTIONS] == Delivery.IMMEDIATELY  # GET changes nothing
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url)  # RFC 8058: the mail client posts, with no session and no token
    assert response.status_code == HTTPStatus.OK and "You’re unsubscribed" in response.text
    assert services.deliveries(user.pk)[Group.MENTIONS] == Delivery.NEVER
    assert services.deliveries(user.pk)[Group.REPLIES] == Delivery.IMMEDIATELY  # only that group


@pytest.mark.parametrize("case", ["tampered", "other_salt", "expired", "not_a_group"])
def test_bad_unsubscribe_tokens_change_nothing(client, user, case):
    token = emails.unsubscribe_token(user.pk, Group.REPLIES)
    if case == "tampered":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif case == "other_salt":
        token = signing.dumps({"u": user.pk, "g": Group.REPLIES}, salt="something.else", compress=True)
    elif case == "not_a_group":
        token = signing.dumps({"u": user.pk, "g": "everything"}, salt=emails.UNSUBSCRIBE_SALT, compress=True)
    url = reverse("notifications:unsubscribe", args=[token])
    if case == "expired":
        with mock.patch("time.time", return_value=signing.time.time() + emails.UNSUBSCRIBE_MAX_AGE + 60):
            response = client.post(url)
    else:
        response = client.post(url)
    assert response.status_code == HTTPStatus.BAD_REQUEST and "doesn’t work" in response.text
    assert not Preference.objects.exists()


def test_a_token_names_one_member_only(client, user, other_user):
    token = emails.unsubscribe_token(other_user.pk, Group.REPLIES)
    client.post(reverse("notifications:unsubscribe", args=[token]))
    assert services.deliveries(other_user.pk)[Group.REPLIES] == Delivery.NEVER
    assert services.deliveries(user.pk)[Group.REPLIES] == Delivery.IMMEDIATELY


def test_follow_and_mute_a_conversation_from_the_space(auth_client, user, other_user):
    top = make_reflection(author=other_user)
    url = reverse("notifications:follow-thread", args=[top.pk])
    page = auth_client.get(top.prompt.get_absolute_url()).text
    assert f'action="{url}"' in page and ">Follow</button>" in page
    assert auth_client.post(url, {"level": "watching"}).status_code == HTTPStatus.FOUND
    assert Subscription.objects.get(user=user, thread=top).level == Subscription.Level.WATCHING
    assert ">Following</button>" in auth_client.get(top.prompt.get_absolute_url()).text
    auth_client.post(url, {"level": "muted"})
    assert Subscription.objects.get(user=user, thread=top).level == Subscription.Level.MUTED
    assert auth_client.post(url, {"level": "loud"}).status_code == HTTPStatus.BAD_REQUEST


def test_following_an_activity_and_hidden_or_unreadable_targets(auth_client, user, other_user, moderator):
    prompt = make_prompt()
    url = reverse("notifications:follow-activity", args=[prompt.pk])
    assert "Follow this activity" in auth_client.get(prompt.get_absolute_url()).text
    auth_client.post(url, {"level": "watching"})
    assert Subscription.objects.get(user=user, prompt=prompt).level == Subscription.Level.WATCHING
    hidden = make_reflection(author=other_user)
    moderation.hide_reflection(reflection=hidden, moderator=moderator, reason="r")
    response = auth_client.post(
        reverse("notifications:follow-thread", args=[hidden.pk]), {"level": "watching"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Subscription.objects.filter(user=user, thread=hidden).exists()


def test_notification_pages_are_valid_html(auth_client, user, other_user):
    from tests.html_validation import nu_errors, require_java

    require_java()
    reply_notice(user, other_user)
    pages = {
        "list": auth_client.get(reverse("notifications:list")).text,
        "settings": auth_client.get(reverse("notifications:settings")).text,
        "unsubscribe": auth_client.get(
            reverse("notifications:unsubscribe", args=[emails.unsubscribe_token(user.pk, Group.LIKES)])
        ).text,
    }
    errors = nu_errors(pages)
    assert errors == {name: [] for name in pages}, errors


@pytest.mark.parametrize("count", [2, 40])
def test_the_notifications_page_runs_a_fixed_number_of_queries(
    auth_client, user, other_user, assert_exact_queries, count
):
    for _ in range(count):
        reply_notice(user, other_user)
    # user with their roles and suspension (one query, accounts.backends), the paginator's count, whether any notice
    # is unread and the header's unread count (two queries where there are some, one where there are
    # none: services.unread_count), one page of notices (actor, post and activity joined in). The session comes
    # from the cache (cached_db; it was 8 with the db engine).
    with assert_exact_queries(5):
        auth_client.get(reverse("notifications:list"))


def test_the_header_count_asks_the_read_rule_only_when_something_is_unread(
    user, other_user, moderator, django_assert_num_queries
):
    with django_assert_num_queries(1):  # nothing unread: one probe of the recipient's notices
        assert services.unread_count(user) == 0
    first = reply_notice(user, other_user)
    reply_notice(user, other_user)
    assert services.unread_count(user) == 2  # reads the member's role names once (then kept)
    with django_assert_num_queries(2):
        assert services.unread_count(user) == 2
    moderation.hide_reflection(reflection=first.reflection, moderator=moderator, reason="Off topic")
    assert services.unread_count(user) == 1  # never a count of what the member may not read
    services.mark_all_read(user=user)
    assert services.unread_count(user) == 0

"""Reporting a post: once per member, never one's own, at a limited pace; enough distinct reporters
hide it pending review (and its author is told); a moderator dismissing the reports brings it back.
Two moderators or two reporters acting at once leave exact counts. The reason given with a like
is reported on its own: a moderator removes the reason, and the post stays up."""

import threading
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from community import services
from community.models import Like
from moderation import services as moderation
from moderation.models import Flag, ModerationAction
from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.django_db
Kind = ModerationAction.Kind


def report_url(post):
    return reverse("moderation:report", args=[post.pk])


def test_member_reports_a_post_once_and_is_thanked(auth_client, other_user):
    post = make_reflection(author=other_user)
    response = auth_client.post(report_url(post), {"reason": "spam", "note": "selling things"})
    assert response.status_code == HTTPStatus.FOUND
    page = auth_client.get(response.url, follow=True)
    assert "your report was received" in page.text
    again = auth_client.post(report_url(post), {"reason": "other"})
    assert again.status_code == HTTPStatus.OK and "You reported this post" in again.text
    assert Flag.objects.filter(reflection=post).count() == 1


def test_report_without_a_reason_comes_back_with_the_note(auth_client, other_user):
    post = make_reflection(author=other_user)
    response = auth_client.post(report_url(post), {"note": "my careful note"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "my careful note" in response.text
    assert not Flag.objects.exists()


def test_reporting_your_own_post_is_forbidden(auth_client, user):
    post = make_reflection(author=user)
    assert auth_client.post(report_url(post), {"reason": "spam"}).status_code == HTTPStatus.FORBIDDEN


def test_reporting_too_fast_keeps_the_note(auth_client, settings):
    cache.clear()
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "1/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = settings.RATE_LIMITS
    first, second = make_reflection(), make_reflection()
    auth_client.post(reverse("moderation:report", args=[first.pk]), {"reason": "spam"})
    response = auth_client.post(
        reverse("moderation:report", args=[second.pk]), {"reason": "other", "note": "kept note"}
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "kept note" in response.text
    assert Flag.objects.count() == 1
    cache.clear()


def test_threshold_of_distinct_reporters_hides_the_post(settings):
    settings.FLAG_HIDE_THRESHOLD = 3
    post = make_reflection()
    reporters = [make_user() for _ in range(3)]
    for reporter in reporters[:2]:
        moderation.report_reflection(reflection=post, reporter=reporter, reason="spam")
    post.refresh_from_db()
    assert not post.is_hidden and post.open_flag_count == 2
    moderation.report_reflection(reflection=post, reporter=reporters[2], reason="harassment")
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_by is None and "pending review" in post.hidden_reason
    assert ModerationAction.objects.filter(kind=Kind.AUTO_HIDE, post_id=post.pk).count() == 1


def test_auto_hidden_post_says_pending_review_and_its_author_is_told(
    client, committed, jobs, user, moderator, settings
):
    settings.FLAG_HIDE_THRESHOLD = 2
    post = make_reflection(author=user, body="Reported words")
    with committed():
        for _ in range(2):
            moderation.report_reflection(reflection=post, reporter=make_user(), reason="other")
    jobs.run()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "hidden pending review after several reports" in mail.outbox[0].subject
    for viewer in (user, moderator):
        client.force_login(viewer)
        page = client.get(post.prompt.get_absolute_url()).text
        assert "Hidden pending review." in page and "Hidden by a moderator" not in page


def test_dismissing_reports_restores_an_automatically_hidden_post(settings, moderator):
    settings.FLAG_HIDE_THRESHOLD = 1
    post = make_reflection()
    moderation.report_reflection(reflection=post, reporter=make_user(), reason="spam")
    assert moderation.dismiss_reports(reflection=post, moderator=moderator) == 1
    post.refresh_from_db()
    assert not post.is_hidden and post.open_flag_count == 0
    assert Flag.objects.get().status == Flag.Status.DISMISSED


@pytest.mark.django_db(transaction=True)
def test_two_moderators_acting_on_one_report_leave_one_result():
    post = make_reflection()
    moderation.report_reflection(reflection=post, reporter=make_user(), reason="spam")
    moderators = [make_user(role="Moderator") for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def act(mod):
        try:
            barrier.wait()
            results.append(moderation.dismiss_reports(reflection=post, moderator=mod))
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(m,)) for m in moderators]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 1]
    assert ModerationAction.objects.filter(kind=Kind.DISMISS).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_members_reporting_at_once_count_exactly(settings):
    settings.FLAG_HIDE_THRESHOLD = 2
    post = make_reflection()
    reporters = [make_user() for _ in range(2)]
    barrier = threading.Barrier(2)

    def report(member):
        try:
            barrier.wait()
            moderation.report_reflection(reflection=post, reporter=member, reason="spam")
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=(m,)) for m in reporters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    post.refresh_from_db()
    assert post.open_flag_count == 2 and post.is_hidden
    assert ModerationAction.objects.filter(kind=Kind.AUTO_HIDE).count() == 1


# --- Reasons given with likes ---------------------------------------------------------------------


def test_the_author_reports_a_reason_and_a_moderator_removes_it(client, user, other_user, moderator):
    post = make_reflection(author=other_user)
    like = services.set_like_reason(
        like=services.like_reflection(reflection=post, user=user), reason="RUDE-REASON here"
    )
    client.force_login(other_user)
    page = client.get(post.prompt.get_absolute_url()).text
    report_url = reverse("moderation:report-reason", args=[like.pk])
    assert f'href="{report_url}"' in page
    assert client.post(report_url, {"reason": "harassment"}).status_code == HTTPStatus.FOUND
    flag = Flag.objects.get(like=like)
    post.refresh_from_db()
    assert flag.reporter == other_user and flag.reflection == post and post.open_flag_count == 0
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).text
    assert "RUDE-REASON here" in queue and "Reported reasons for likes" in queue
    client.post(reverse("moderation:reason-remove", args=[like.pk]), {"reason": "Unkind"})
    like.refresh_from_db()
    flag.refresh_from_db()
    assert like.reason == "" and Like.objects.filter(pk=like.pk).exists()
    assert flag.status == Flag.Status.ACTIONED
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.REMOVE_REASON, post_id=post.pk).exists()
    assert "RUDE-REASON" not in client.get(reverse("moderation:queue")).text


def test_reason_reports_do_not_hide_the_post(settings, user, other_user):
    settings.FLAG_HIDE_THRESHOLD = 1
    post = make_reflection(author=other_user)
    like = services.set_like_reason(like=services.like_reflection(reflection=post, user=user), reason="Hm")
    moderation.report_like_reason(like=like, reporter=other_user, reason="spam")
    post.refresh_from_db()
    assert not post.is_hidden and post.open_flag_count == 0
    # The author may still report the post of someone else and a reason on their own post.
    assert moderation.report_like_reason(like=like, reporter=other_user, reason="spam")[1] is False


def test_the_report_that_hides_a_post_thanks_its_reporter_and_returns_to_the_space(
    client, other_user, settings
):
    """The post the last report hid is no longer the reporter's to open: they land on the
    activity's page with the thank-you, not on a 404."""
    settings.FLAG_HIDE_THRESHOLD = 3
    post = make_reflection(author=other_user, body="Words three members reported")
    for _ in range(2):
        moderation.report_reflection(reflection=post, reporter=make_user(), reason="spam")
    client.force_login(make_user())
    response = client.post(report_url(post), {"reason": "spam"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == post.prompt.get_absolute_url()
    page = client.get(response.url)
    assert page.status_code == HTTPStatus.OK
    assert "your report was received" in page.text
    post.refresh_from_db()
    assert post.is_hidden

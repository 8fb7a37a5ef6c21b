import threading
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from community.models import Reflection, Revision
from moderation import services as moderation
from moderation.models import Flag, ModerationAction
from tests.factories import make_prompt, make_reflection, make_user

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


def test_hidden_post_is_gone_for_others_and_bannered_for_author_and_moderator(
    client, user, other_user, moderator
):
    post = make_reflection(author=user, body="Sensitive words")
    moderation.hide_reflection(
        reflection=post, moderator=moderator, reason="Shares a colleague's private details."
    )
    url = post.prompt.get_absolute_url()
    client.force_login(other_user)
    page = client.get(url).text
    assert f'id="post-{post.pk}"' not in page and "Sensitive words" not in page
    assert "Amara" not in page  # not even a placeholder naming its author
    for viewer in (user, moderator):
        client.force_login(viewer)
        page = client.get(url).text
        assert "Sensitive words" in page and "Shares a colleague&#x27;s private details." in page
        assert "Hidden by a moderator." in page and "pending review" not in page


def test_hiding_emails_the_author_with_the_reason(committed, jobs, user, moderator):
    post = make_reflection(author=user)
    with committed():
        moderation.hide_reflection(reflection=post, moderator=moderator, reason="Off-topic advertising.")
    assert mail.outbox == []  # the worker sends it, never the moderator's request
    jobs.run()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "Off-topic advertising." in mail.outbox[0].body


def test_hidden_posts_cannot_be_liked_replied_to_or_read_by_id(auth_client, other_user, moderator):
    post = make_reflection(author=other_user)
    moderation.hide_reflection(reflection=post, moderator=moderator, reason="r")
    for name in ("community:reflection-like", "community:reflection-reply", "community:reflection-likes",
                 "moderation:report"):  # fmt: skip
        response = auth_client.post(reverse(name, args=[post.pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND, name


def test_restore_brings_the_post_back_and_logs_it(moderator):
    post = make_reflection(body="Back again")
    moderation.hide_reflection(reflection=post, moderator=moderator, reason="check")
    moderation.restore_reflection(reflection=post, moderator=moderator)
    post.refresh_from_db()
    assert not post.is_hidden and post.body == "Back again"
    kinds = list(ModerationAction.objects.filter(post_id=post.pk).values_list("kind", flat=True))
    assert kinds == [Kind.RESTORE, Kind.HIDE]


def test_dismissing_reports_restores_an_automatically_hidden_post(settings, moderator):
    settings.FLAG_HIDE_THRESHOLD = 1
    post = make_reflection()
    moderation.report_reflection(reflection=post, reporter=make_user(), reason="spam")
    assert moderation.dismiss_reports(reflection=post, moderator=moderator) == 1
    post.refresh_from_db()
    assert not post.is_hidden and post.open_flag_count == 0
    assert Flag.objects.get().status == Flag.Status.DISMISSED


def test_moderator_edit_keeps_the_original_and_history_shows_the_difference(client, moderator):
    post = make_reflection(body="first line\nrude line")
    moderation.moderate_edit(
        reflection=post, moderator=moderator, body="first line\nkind line", reason="tone"
    )
    assert Revision.objects.get(reflection=post).previous_body == "first line\nrude line"
    client.force_login(moderator)
    page = client.get(reverse("moderation:history", args=[post.pk])).text
    assert "- rude line" in page and "+ kind line" in page
    assert ModerationAction.objects.filter(kind=Kind.EDIT, post_id=post.pk, reason="tone").exists()


def test_author_edits_keep_revisions_too(auth_client, user):
    post = make_reflection(author=user, body="v1")
    auth_client.post(reverse("community:reflection-edit", args=[post.pk]), {"body": "v2"})
    assert list(post.revisions.values_list("previous_body", flat=True)) == ["v1"]


def test_permanent_delete_is_confirmed_logged_and_removes_the_words(client, moderator):
    post = make_reflection(body="spam spam", replies=1)
    client.force_login(moderator)
    url = reverse("moderation:delete", args=[post.pk])
    assert "Delete this post permanently?" in client.get(url).text
    assert client.post(url, {"reason": ""}).status_code == HTTPStatus.BAD_REQUEST
    client.post(url, {"reason": "Commercial spam"})
    post.refresh_from_db()
    assert post.is_deleted and post.body == "" and post.removed_by_moderator
    assert ModerationAction.objects.get(kind=Kind.DELETE).post_id == post.pk
    page = client.get(post.prompt.get_absolute_url()).text
    assert "This post was removed by a moderator" in page


def test_lock_and_unlock_an_activity(client, moderator, user):
    prompt = make_prompt()
    client.force_login(moderator)
    client.post(reverse("moderation:lock", args=[prompt.pk]), {"locked": "1", "reason": "heated"})
    prompt.refresh_from_db()
    assert prompt.is_locked
    client.force_login(user)
    create = reverse("community:reflection-create", args=[prompt.pk])
    assert client.post(create, {"body": "x"}).status_code == HTTPStatus.FORBIDDEN
    client.force_login(moderator)
    client.post(reverse("moderation:lock", args=[prompt.pk]), {"locked": "0"})
    prompt.refresh_from_db()
    assert not prompt.is_locked
    assert list(ModerationAction.objects.values_list("kind", flat=True)) == [Kind.UNLOCK, Kind.LOCK]


def test_suspended_member_reads_but_cannot_act_and_sees_a_banner(client, user, other_user, moderator):
    post = make_reflection(author=other_user)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:member", args=[user.handle]),
        {"days": "3", "reason": "Repeated insults."},
    )
    assert response.status_code == HTTPStatus.FOUND
    client.force_login(user)
    page = client.get(post.prompt.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assert "Your account is suspended until" in page.text and "Repeated insults." in page.text
    assert "Post reflection" not in page.text
    assert (
        client.post(reverse("community:reflection-create", args=[post.prompt_id]), {"body": "x"}).status_code
        == 403
    )
    assert (
        client.post(reverse("community:reflection-reply", args=[post.pk]), {"reply-body": "x"}).status_code
        == 403
    )
    assert client.post(reverse("community:reflection-like", args=[post.pk])).status_code == 403
    assert client.post(report_url(post), {"reason": "spam"}).status_code == 403
    assert not Reflection.objects.filter(author=user).exists()


def test_lifting_a_suspension_restores_posting(client, user, moderator):
    suspension = moderation.suspend_member(
        member=user, moderator=moderator, ends_at=timezone.now() + timedelta(days=1), reason="cool off"
    )
    client.force_login(moderator)
    client.post(reverse("moderation:lift", args=[suspension.pk]))
    client.force_login(user)
    prompt = make_prompt()
    assert (
        client.post(reverse("community:reflection-create", args=[prompt.pk]), {"body": "hello"}).status_code
        == 302
    )
    assert ModerationAction.objects.filter(kind=Kind.LIFT, member=user).exists()


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
    # user, the moderator's roles with their suspension, the paginator's count, the header's unread
    # count, one page of posts (+ authors' groups, + open reports with reporters),
    # and the open reports about like reasons ("What helped you?"). No session query: the session
    # comes from the cache (cached_db).
    with assert_exact_queries(8):
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


def test_moderators_cannot_suspend_each_other(client, moderator):
    other = make_user(role="Moderator")
    client.force_login(moderator)
    url = reverse("moderation:member", args=[other.handle])
    response = client.post(url, {"days": "3", "reason": "x"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not other.suspensions.exists()


def test_locking_in_the_admin_is_logged(client, facilitator):
    prompt = make_prompt()
    client.force_login(facilitator)
    response = client.post(
        reverse("admin:community_prompt_changelist"),
        {"action": "lock_prompts", "_selected_action": [prompt.pk]},
    )
    assert response.status_code == HTTPStatus.FOUND
    prompt.refresh_from_db()
    assert prompt.is_locked
    assert ModerationAction.objects.get(kind=Kind.LOCK).actor == facilitator

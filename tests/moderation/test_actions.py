"""What a moderator does to a post or an activity: hide it (gone for others, its author told why by
email), restore it, edit it (the original kept), delete it for good, lock the activity; each
action is written to the moderation log, also when taken in the admin."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from community.models import Revision
from moderation import services as moderation
from moderation.models import ModerationAction
from tests.factories import make_prompt, make_reflection

pytestmark = pytest.mark.django_db
Kind = ModerationAction.Kind


def test_hidden_post_is_a_placeholder_for_others_and_bannered_for_author_and_moderator(
    client, user, other_user, moderator
):
    post = make_reflection(author=user, body="Sensitive words")
    moderation.hide_reflection(
        reflection=post, moderator=moderator, reason="Shares a colleague's private details."
    )
    url = post.prompt.get_absolute_url()
    client.force_login(other_user)
    page = client.get(url).text
    assert "This reflection is hidden while moderators review it." in page and "Sensitive words" not in page
    assert "Amara" not in page and "Shares a colleague" not in page  # no author, no reason
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


def test_the_moderators_edit_previews_without_saving(client, moderator):
    post = make_reflection(body="rude line")
    client.force_login(moderator)
    url = reverse("moderation:edit", args=[post.pk])
    assert 'name="preview"' in client.get(url).text
    page = client.post(url, {"body": "a **kinder** line", "reason": "tone", "preview": "1"}).text
    assert "<strong>kinder</strong>" in page and "Preview — not posted yet · 3 words" in page
    assert "a **kinder** line" in page and 'value="tone"' in page  # the form keeps both
    post.refresh_from_db()
    assert post.body == "rude line" and not ModerationAction.objects.filter(kind=Kind.EDIT).exists()


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

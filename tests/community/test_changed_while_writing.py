"""The space's defects found by trying it as a new user would; each test failed before its fix."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Suspension
from community.models import Reflection
from moderation import services as moderation
from tests.factories import make_prompt, make_reflection

pytestmark = pytest.mark.django_db


def test_preview_button_renders_server_side_and_keeps_the_text(auth_client):
    prompt = make_prompt()
    response = auth_client.post(
        reverse("community:reflection-create", args=[prompt.pk]),
        {"body": "Some **bold** idea <script>x</script>", "preview": "1"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Preview — not posted yet" in response.text
    assert "<strong>bold</strong>" in response.text and "<script>x" not in response.text
    assert "Some **bold** idea &lt;script&gt;x&lt;/script&gt;</textarea>" in response.text
    assert not Reflection.objects.exists()


def test_preview_button_on_replies_and_edits(auth_client, user, other_user):
    theirs = make_reflection(author=other_user)
    reply = auth_client.post(
        reverse("community:reflection-reply", args=[theirs.pk]),
        {"reply-body": "*quiet* reply", "preview": "1"},
    )
    assert "<em>quiet</em>" in reply.text and "*quiet* reply</textarea>" in reply.text
    mine = make_reflection(author=user, body="before")
    edit = auth_client.post(
        reverse("community:reflection-edit", args=[mine.pk]), {"body": "- after", "preview": "1"}
    )
    assert "<li>after</li>" in edit.text
    mine.refresh_from_db()
    assert mine.body == "before" and Reflection.objects.count() == 2


def test_a_locked_empty_activity_says_it_is_closed(auth_client):
    prompt = make_prompt(is_locked=False)
    prompt.is_locked = True
    prompt.save()
    page = auth_client.get(prompt.get_absolute_url()).text
    assert "This activity is closed" in page
    assert "be the first" not in page


def test_reply_to_a_post_hidden_meanwhile_keeps_the_text(auth_client, other_user, moderator):
    post = make_reflection(author=other_user)
    moderation.hide_reflection(reflection=post, moderator=moderator, reason="r")
    response = auth_client.post(
        reverse("community:reflection-reply", args=[post.pk]), {"reply-body": "My careful answer"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "no longer available" in response.text and "My careful answer</textarea>" in response.text
    assert post.body not in response.text  # the hidden words stay hidden


def test_reply_to_a_post_whose_activity_was_locked_meanwhile_keeps_the_text(
    auth_client, other_user, moderator
):
    post = make_reflection(author=other_user)
    moderation.set_prompt_lock(prompt=post.prompt, moderator=moderator, locked=True)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = auth_client.post(
            reverse("community:reflection-reply", args=[post.pk]), {"reply-body": "Still typing"}, **headers
        )
        assert "closed while you were writing" in response.text and "Still typing</textarea>" in response.text
    assert Reflection.objects.count() == 1


def test_reflection_on_an_activity_locked_meanwhile_keeps_the_text(auth_client, moderator):
    prompt = make_prompt()
    moderation.set_prompt_lock(prompt=prompt, moderator=moderator, locked=True)
    response = auth_client.post(
        reverse("community:reflection-create", args=[prompt.pk]), {"body": "Long thought"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "closed while you were writing" in response.text and "Long thought</textarea>" in response.text


def test_a_suspended_author_is_not_offered_edit(client, user):
    post = make_reflection(author=user)
    Suspension.objects.create(user=user, reason="r", ends_at=timezone.now() + timedelta(days=1))
    client.force_login(user)
    page = client.get(post.prompt.get_absolute_url()).text
    assert reverse("community:reflection-edit", args=[post.pk]) not in page
    assert reverse("community:reflection-delete", args=[post.pk]) in page  # may still remove their words
    assert (
        client.get(reverse("community:reflection-edit", args=[post.pk])).status_code == HTTPStatus.FORBIDDEN
    )


def test_the_htmx_fragment_of_a_new_post_carries_the_authors_current_count(auth_client, user):
    prompt = make_prompt()
    make_reflection(prompt=prompt, author=user)
    response = auth_client.post(
        reverse("community:reflection-create", args=[prompt.pk]), {"body": "Second"}, HTTP_HX_REQUEST="true"
    )
    user.refresh_from_db()
    assert user.post_count == 2
    assert f'data-author-posts="{user.pk}">2 posts<' in response.text


def test_the_preview_button_has_the_post_length_limit_and_keeps_the_text(auth_client, settings):
    settings.REFLECTION_MAX_LENGTH = 50
    prompt = make_prompt()
    text = "x" * 60
    response = auth_client.post(
        reverse("community:reflection-create", args=[prompt.pk]), {"body": text, "preview": "1"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "the limit is 50" in response.text and f"{text}</textarea>" in response.text
    assert "Preview — not posted yet" not in response.text

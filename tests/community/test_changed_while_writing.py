"""Writing while the space changes. Two tabs editing one post: a save from the stale tab is refused
with both texts (409), and merging goes through. A reply or a reflection whose post was hidden, or
whose activity was locked, while it was being written comes back with its text."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from community import services
from community.models import Reflection
from moderation import services as moderation
from tests.factories import make_prompt, make_reflection
from tests.html_validation import nu_errors, require_java

pytestmark = pytest.mark.django_db
CONFLICT = "This post was changed in another tab or window since you opened it"


def edit_url(post):
    return reverse("community:reflection-edit", args=[post.pk])


# --- Two tabs editing one post --------------------------------------------------------------------


def _form_fields(html: str) -> dict:
    version = re.search(r'name="base_version" value="([^"]*)"', html)
    return {"base_version": version.group(1) if version else ""}


def test_a_save_from_a_stale_tab_is_refused_with_both_texts(auth_client, user):
    post = make_reflection(author=user, body="The first draft.")
    tab_one = _form_fields(auth_client.get(edit_url(post)).text)
    tab_two = _form_fields(auth_client.get(edit_url(post)).text)
    saved = auth_client.post(edit_url(post), {"body": "Written in tab one.", **tab_one})
    assert saved.status_code == HTTPStatus.FOUND

    response = auth_client.post(edit_url(post), {"body": "Written in tab two.", **tab_two})

    assert response.status_code == HTTPStatus.CONFLICT
    assert CONFLICT in response.text
    saved_version = re.search(r"<textarea[^>]*readonly[^>]*>([^<]*)</textarea>", response.text)
    assert saved_version and saved_version.group(1).strip() == "Written in tab one."
    editable = re.search(r'<textarea[^>]*name="body"[^>]*>([^<]*)</textarea>', response.text)
    assert editable and editable.group(1).strip() == "Written in tab two."
    post.refresh_from_db()
    assert post.body == "Written in tab one."

    merged = {"body": "Tab one and tab two, merged.", **_form_fields(response.text)}
    assert auth_client.post(edit_url(post), merged).status_code == HTTPStatus.FOUND
    post.refresh_from_db()
    assert post.body == "Tab one and tab two, merged."
    assert post.revisions.count() == 2


def test_the_conflict_page_is_valid_html(request, auth_client, user):
    require_java(request.config)
    post = make_reflection(author=user, body="Draft <one> & \u202eall.")
    stale = _form_fields(auth_client.get(edit_url(post)).text)
    services.edit_reflection(reflection=post, body="Changed elsewhere.", editor=user)
    response = auth_client.post(edit_url(post), {"body": "Mine.", **stale})
    assert response.status_code == HTTPStatus.CONFLICT
    assert nu_errors({"conflict": response.text}) == {"conflict": []}


def test_saving_the_same_text_as_another_tab_is_not_a_conflict(auth_client, user):
    post = make_reflection(author=user, body="Draft.")
    tab_one = _form_fields(auth_client.get(edit_url(post)).text)
    tab_two = _form_fields(auth_client.get(edit_url(post)).text)
    auth_client.post(edit_url(post), {"body": "Same words.", **tab_one})
    assert (
        auth_client.post(edit_url(post), {"body": "Same words.", **tab_two}).status_code == HTTPStatus.FOUND
    )


def test_edit_service_refuses_a_stale_version_and_changes_nothing(user):
    post = make_reflection(author=user, body="Now.")
    stale = services.body_version("Before.")
    with pytest.raises(services.EditConflict) as raised:
        services.edit_reflection(reflection=post, body="Later.", editor=user, expected_version=stale)
    assert raised.value.current.body == "Now."
    post.refresh_from_db()
    assert post.body == "Now." and not post.revisions.exists()
    current = services.body_version("Now.")
    services.edit_reflection(reflection=post, body="Later.", editor=user, expected_version=current)
    post.refresh_from_db()
    assert post.body == "Later."


# --- A post hidden, an activity locked, while writing ---------------------------------------------


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

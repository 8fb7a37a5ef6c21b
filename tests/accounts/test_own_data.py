"""Members' own data: downloading everything they wrote, and deleting their account."""

import json
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from accounts.models import User
from accounts.services import delete_account
from community.models import Like, Reflection
from community.services import like_reflection
from moderation.models import Flag
from tests.factories import PASSWORD, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

EXPORT = reverse("accounts:export")
EXPORT_JSON = reverse("accounts:export-json")
EXPORT_MD = reverse("accounts:export-markdown")
DELETE = reverse("accounts:delete")


def delete_form(**overrides) -> dict:
    return {"posts": "keep", "password": PASSWORD, "confirm": "on", **overrides}


# --- Export ---------------------------------------------------------------------------------------


def test_export_page_explains_what_is_included_and_offers_both_downloads(auth_client, user):
    make_reflection(author=user)
    response = auth_client.get(EXPORT)
    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert "Download JSON" in text and "Download Markdown" in text
    assert f'href="{EXPORT_JSON}"' in text and f'href="{EXPORT_MD}"' in text
    for included in ("profile", "reflections and replies", "likes", "reports"):
        assert included in text.lower()


def test_export_json_has_my_posts_and_not_others(auth_client, user, other_user):
    prompt = make_prompt(title="What makes feedback land?")
    mine = make_reflection(prompt=prompt, author=user, body="My **own** thought.")
    theirs = make_reflection(prompt=prompt, author=other_user, body="Ben's separate idea.")
    my_reply = make_reflection(parent=theirs, author=user, body="Replying to Ben.")
    like_reflection(reflection=theirs, user=user)
    Flag.objects.create(
        reflection=theirs, reporter=user, reason=Flag.Reason.OFF_TOPIC, note="Not about feedback"
    )

    response = auth_client.get(EXPORT_JSON)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "amara" in disposition and disposition.endswith('.json"')
    data = json.loads(response.content)
    assert data["profile"]["email"] == "amara@example.com"
    assert data["profile"]["handle"] == "amara"
    assert data["profile"]["display_name"] == "Amara Osei"
    bodies = [post["body"] for post in data["reflections"]]
    assert bodies == ["My **own** thought.", "Replying to Ben."]
    assert "Ben's separate idea." not in response.text
    first, reply = data["reflections"]
    assert first["id"] == mine.pk and first["parent_id"] is None and first["kind"] == "reflection"
    assert first["prompt"]["title"] == "What makes feedback land?"
    assert first["lesson"] == prompt.lesson.title and first["course"] == prompt.lesson.course.title
    assert reply["id"] == my_reply.pk and reply["kind"] == "reply"
    assert (reply["parent_id"], reply["thread_id"]) == (theirs.pk, theirs.pk)
    assert reply["in_reply_to"] == {"id": theirs.pk, "author": "Ben Carter"}
    assert [like["post_id"] for like in data["likes"]] == [theirs.pk]
    assert data["reports"][0]["post_id"] == theirs.pk
    assert data["reports"][0]["reason"] == "off_topic"
    assert data["reports"][0]["note"] == "Not about feedback"


def test_export_includes_prompts_a_facilitator_wrote(client, facilitator):
    make_prompt(author=facilitator, title="Where did you last learn from a mistake?")
    client.force_login(facilitator)
    data = json.loads(client.get(EXPORT_JSON).content)
    assert [prompt["title"] for prompt in data["prompts"]] == ["Where did you last learn from a mistake?"]


def test_export_markdown_has_a_heading_per_post(auth_client, user, other_user):
    prompt = make_prompt(title="What makes feedback land?")
    first = make_reflection(prompt=prompt, author=user, body="First *thought*.")
    theirs = make_reflection(prompt=prompt, author=other_user, body="Ben's separate idea.")
    reply = make_reflection(parent=theirs, author=user, body="A reply to Ben.")

    response = auth_client.get(EXPORT_MD)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/markdown")
    assert response["Content-Disposition"].endswith('.md"')
    text = response.content.decode()
    assert text.startswith("# Your data from Reflect: @amara")
    assert f"### Reflection {first.pk}: What makes feedback land?" in text
    assert f"### Reply {reply.pk}: What makes feedback land?" in text
    assert "First *thought*." in text and "A reply to Ben." in text
    assert f"In reply to post {theirs.pk} by Ben Carter" in text
    assert "Ben's separate idea." not in text


@pytest.mark.parametrize("url", [EXPORT, EXPORT_JSON, EXPORT_MD, DELETE])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_json_export_query_count_does_not_grow_with_posts(
    auth_client, user, other_user, django_assert_max_num_queries
):
    def add_posts(n):
        for _ in range(n):
            prompt = make_prompt(lesson=make_lesson())  # a new prompt, lesson and course each time
            theirs = make_reflection(prompt=prompt, author=other_user)
            make_reflection(parent=theirs, author=user)
            like_reflection(reflection=theirs, user=user)
            Flag.objects.create(reflection=theirs, reporter=user, reason=Flag.Reason.SPAM)

    add_posts(2)
    with django_assert_max_num_queries(8) as few:
        auth_client.get(EXPORT_JSON)
    add_posts(18)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = auth_client.get(EXPORT_JSON)
    assert len(json.loads(response.content)["reflections"]) == 20


# --- Deleting an account --------------------------------------------------------------------------


def test_delete_page_explains_both_choices_before_confirming(auth_client, user):
    response = auth_client.get(DELETE)
    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert "<fieldset" in text and "<legend>What should happen to your posts?" in text
    assert "Keep my posts, shown as “Former member”" in text
    assert "conversations you took part in stay readable" in text
    assert "Remove my posts too" in text
    assert "removed by its author" in text
    assert 'type="password"' in text and 'type="checkbox"' in text
    assert "Delete my account" in text
    assert user.reflections.count() == 0 and User.objects.get(pk=user.pk).is_active


def test_delete_keeping_posts_anonymises_the_member(client, user, other_user):
    user.groups.add(Group.objects.get(name=roles.MODERATOR))
    client.force_login(user)
    post = make_reflection(author=user, body="Something worth keeping.")
    reply = make_reflection(parent=post, author=other_user, body="Thanks!")

    response = client.post(DELETE, delete_form(posts="keep"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("lessons:course-list")
    assert "Your account was deleted." in response.text
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert (user.display_name, user.handle) == ("Former member", f"former_{user.pk}")
    assert user.email == f"former-{user.pk}@invalid.example"
    assert user.bio == ""
    assert not user.has_usable_password()
    assert not (user.is_active or user.is_staff or user.is_superuser)
    assert not user.groups.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    post.refresh_from_db()
    assert post.body == "Something worth keeping." and post.deleted_at is None
    assert post.author.display_name == "Former member"
    assert Reflection.objects.filter(pk=reply.pk).exists()
    # They cannot sign in again, and their profile page is gone.
    assert not client.login(email="amara@example.com", password=PASSWORD)
    assert not client.login(email=user.email, password=PASSWORD)
    client.force_login(other_user)  # profiles are for members (anonymous visitors sign in first)
    assert client.get(reverse("accounts:profile", kwargs={"handle": user.handle})).status_code == 404
    assert client.get(reverse("accounts:profile", kwargs={"handle": "amara"})).status_code == 404
    # The email address and handle are free for someone new.
    newcomer = User.objects.create_user(email="amara@example.com", handle="amara", password=PASSWORD)
    assert newcomer.pk != user.pk


def test_delete_removing_posts_leaves_placeholders_only_where_others_replied(client, user, other_user):
    client.force_login(user)
    prompt = make_prompt()
    answered = make_reflection(prompt=prompt, author=user, body="Others answered this.")
    others_reply = make_reflection(parent=answered, author=other_user, body="I agree.")
    alone = make_reflection(prompt=prompt, author=user, body="Nobody answered this.")
    own_reply = make_reflection(parent=alone, author=user, body="Answering myself.")
    reply_to_others = make_reflection(parent=make_reflection(prompt=prompt), author=user, body="Hello.")

    response = client.post(DELETE, delete_form(posts="remove"))

    assert response.status_code == HTTPStatus.FOUND
    answered.refresh_from_db()
    assert answered.deleted_at is not None and answered.body == ""
    assert Reflection.objects.filter(pk=others_reply.pk, deleted_at__isnull=True).exists()
    assert not Reflection.objects.filter(pk__in=[alone.pk, own_reply.pk, reply_to_others.pk]).exists()
    assert not Reflection.objects.filter(author=user, deleted_at__isnull=True).exists()
    user.refresh_from_db()
    assert user.post_count == 0 and not user.is_active


def test_delete_takes_back_likes_with_exact_counts(client, user, other_user):
    client.force_login(user)
    liked = make_reflection(author=other_user, likes=2)
    like_reflection(reflection=liked, user=user)
    liked.refresh_from_db()
    assert liked.like_count == 3

    client.post(DELETE, delete_form(posts="remove"))

    liked.refresh_from_db()
    assert liked.like_count == 2
    assert not Like.objects.filter(user=user).exists()


def test_wrong_password_shows_an_error_and_deletes_nothing(auth_client, user):
    post = make_reflection(author=user)
    response = auth_client.post(DELETE, delete_form(posts="remove", password="not-my-password"))
    assert response.status_code == HTTPStatus.OK
    assert "That password is not right." in response.text
    assert 'role="alert"' in response.text
    user.refresh_from_db()
    assert user.is_active and user.display_name == "Amara Osei" and user.has_usable_password()
    assert Reflection.objects.filter(pk=post.pk, deleted_at__isnull=True).exists()
    assert EmailAddress.objects.filter(user=user).exists()


def test_choice_and_confirmation_are_required(auth_client, user):
    response = auth_client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == HTTPStatus.OK
    assert "Choose what should happen to your posts." in response.text
    assert "Tick the box to confirm" in response.text
    user.refresh_from_db()
    assert user.is_active


def test_delete_account_service_is_safe_when_the_former_handle_is_taken(user):
    make_user(handle=f"former_{user.pk}")
    delete_account(user=user, remove_posts=False)
    user.refresh_from_db()
    assert user.handle.startswith(f"former_{user.pk}") and not user.is_active


def test_account_pages_link_to_export_and_delete(auth_client):
    for url in (reverse("accounts:profile-edit"), reverse("account_change_password")):
        text = auth_client.get(url).text
        assert f'href="{EXPORT}"' in text and f'href="{DELETE}"' in text

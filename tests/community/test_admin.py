"""The community admin writes through the services: prompts through create_prompt/update_prompt
(the Markdown pipeline, exact post counts), locks through moderation.services (the audit log),
and a post's words not at all."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts import roles
from accounts.models import User
from community.models import Like, Prompt, Reflection
from moderation.models import ModerationAction
from tests.factories import make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

ADD = reverse("admin:community_prompt_add")
CHANGELIST = reverse("admin:community_prompt_changelist")
BODY = "<script>alert('x')</script> Think of **one** time."


@pytest.fixture(params=["facilitator", "superuser"])
def staff(request, db):
    if request.param == "superuser":
        return make_user(role="", is_staff=True, is_superuser=True, handle="root", email="root@example.com")
    return make_user(role=roles.FACILITATOR, handle="fran", email="fran@example.com")


def prompt_form(lesson, **overrides) -> dict:
    data = {"lesson": lesson.pk, "title": "What did you notice?", "body": BODY, "pin_position": 0}
    data.update(overrides)
    return {name: ("on" if value is True else value) for name, value in data.items() if value is not False}


def test_adding_a_prompt_renders_it_and_counts_one_post(client, staff):
    client.force_login(staff)
    lesson = make_lesson()
    response = client.post(ADD, prompt_form(lesson, is_pinned=True))
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    prompt = Prompt.objects.get(lesson=lesson)
    assert prompt.author == staff and prompt.is_pinned
    assert "<script>" not in prompt.body_html and "&lt;script&gt;" in prompt.body_html
    assert "<strong>one</strong>" in prompt.body_html
    assert User.objects.get(pk=staff.pk).post_count == staff.post_count + 1


def test_editing_a_prompt_renders_it_again_and_keeps_the_count(client, staff):
    client.force_login(staff)
    prompt = make_prompt(body="Old *words*.")
    author_posts = User.objects.get(pk=prompt.author_id).post_count
    url = reverse("admin:community_prompt_change", args=[prompt.pk])
    response = client.post(url, prompt_form(prompt.lesson, title=prompt.title, body="New **words**."))
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    prompt.refresh_from_db()
    assert prompt.body_html == "<p>New <strong>words</strong>.</p>"
    assert User.objects.get(pk=prompt.author_id).post_count == author_posts
    assert User.objects.get(pk=staff.pk).post_count == staff.post_count


def test_locking_through_the_change_form_writes_one_audit_entry(client, staff):
    client.force_login(staff)
    prompt = make_prompt()
    url = reverse("admin:community_prompt_change", args=[prompt.pk])
    form = prompt_form(prompt.lesson, title=prompt.title, body=prompt.body, is_locked=True)
    assert client.post(url, form).status_code == HTTPStatus.FOUND
    assert client.post(url, form).status_code == HTTPStatus.FOUND  # saved again: still locked, no new entry
    prompt.refresh_from_db()
    assert prompt.is_locked
    action = ModerationAction.objects.get()
    assert (action.kind, action.actor, action.prompt) == (ModerationAction.Kind.LOCK, staff, prompt)


def test_pinning_from_the_list_goes_through_update_prompt(client, facilitator):
    client.force_login(facilitator)
    prompt = make_prompt(body="**Welcome**")
    Prompt.objects.filter(pk=prompt.pk).update(body_html="stale")
    client.post(CHANGELIST, {"action": "pin_prompts", "_selected_action": [prompt.pk]})
    prompt.refresh_from_db()
    assert prompt.is_pinned and prompt.body_html == "<p><strong>Welcome</strong></p>"


# --- Reflections and likes --------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(role="", is_staff=True, is_superuser=True))
    return client


def test_a_posts_words_cannot_be_changed_in_the_admin(superuser_client):
    post = make_reflection(body="What I wrote.")
    url = reverse("admin:community_reflection_change", args=[post.pk])
    page = superuser_client.get(url)
    assert page.status_code == HTTPStatus.OK and 'name="body"' not in page.text
    response = superuser_client.post(url, {"body": "Words put in my mouth."})
    assert response.status_code == HTTPStatus.FOUND
    changelist = reverse("admin:community_reflection_changelist")
    superuser_client.post(
        changelist,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": post.pk,
            "form-0-body": "Nor here.",
            "_save": "Save",
        },
    )
    post.refresh_from_db()
    assert (post.body, post.body_html, post.edited_at) == ("What I wrote.", "<p>What I wrote.</p>", None)
    assert not post.revisions.exists()


def test_the_reflection_list_still_searches_bodies(superuser_client):
    make_reflection(body="A needle in the haystack.")
    make_reflection(body="Something else.")
    response = superuser_client.get(reverse("admin:community_reflection_changelist"), {"q": "needle"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 1


def test_posts_and_likes_are_not_deleted_or_added_in_the_admin(superuser_client):
    post = make_reflection(likes=1)
    like = Like.objects.get()
    for url in (
        reverse("admin:community_reflection_delete", args=[post.pk]),
        reverse("admin:community_like_delete", args=[like.pk]),
        reverse("admin:community_like_add"),
    ):
        assert superuser_client.post(url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert Reflection.objects.filter(pk=post.pk).exists() and Like.objects.filter(pk=like.pk).exists()

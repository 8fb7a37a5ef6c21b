"""The community admin writes through the services: prompts through create_prompt/update_prompt
(the Markdown pipeline, exact post counts) and delete_prompts (only the counts they held
recounted), locks through moderation.services (the audit log), and a post's words not at all."""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from accounts.models import User
from community.models import Like, Prompt, Reflection
from moderation.models import ModerationAction
from tests.factories import make_lesson, make_prompt, make_reflection, make_user
from tests.service_writes import writes_outside_services

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
    data = {
        "lesson": lesson.pk,
        "title": "What did you notice?",
        "body": BODY,
        "pin_position": 0,
        "anonymous_posting": "off",
    }
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


# --- Deleting prompts: through delete_prompts, recounting only what they held ----------------------


@pytest.fixture
def spaces(db):
    """Two activities by ``fran`` to delete (one with a learner's draft and visit, no posts) and one
    of hers in another course to keep, where ``ann`` posted and others liked. Counters a site-wide
    recount would "fix" are set wrong on purpose: ``dan``'s post count, and the kept activity's
    reflection and like counts."""
    from community import services

    fran = make_user(role=roles.FACILITATOR, handle="fran", email="fran@example.com")
    ann, dan = make_user(handle="ann"), make_user(handle="dan")
    doomed = [make_prompt(author=fran), make_prompt(author=fran)]
    services.save_draft(user=ann, prompt=doomed[0], fields={"body": "Not posted yet."})
    services.record_visit(user=ann, prompt=doomed[0])
    kept = make_prompt(author=fran)
    make_reflection(prompt=kept, author=ann, likes=2)
    User.objects.filter(pk=dan.pk).update(post_count=99)
    Prompt.objects.filter(pk=kept.pk).update(reflection_count=42)
    Reflection.objects.filter(prompt=kept).update(like_count=7)
    return {"fran": fran, "ann": ann, "dan": dan, "doomed": doomed, "kept": kept}


def post_counts(*members) -> dict[str, int]:
    return dict(User.objects.filter(pk__in=[m.pk for m in members]).values_list("handle", "post_count"))


def updated_members(captured) -> list[set[int]]:
    """For each ``UPDATE "accounts_user" … WHERE id IN (…)`` captured, the member ids it is limited to."""
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "accounts_user"')]
    limited = [re.search(r'WHERE "accounts_user"\."id" IN \(([\d, ]+)\)$', sql) for sql in updates]
    assert all(limited), updates  # never every member
    return [{int(pk) for pk in where.group(1).split(",")} for where in limited]


def assert_others_untouched(w) -> None:
    assert post_counts(w["ann"], w["dan"]) == {"ann": 1, "dan": 99}
    assert Prompt.objects.get(pk=w["kept"].pk).reflection_count == 42
    assert set(Reflection.objects.filter(prompt=w["kept"]).values_list("like_count", flat=True)) == {7}


def test_deleting_a_prompt_in_the_admin_recounts_only_its_author(superuser_client, spaces):
    w = spaces
    prompt = w["doomed"][0]
    url = reverse("admin:community_prompt_delete", args=[prompt.pk])
    assert "Are you sure" in superuser_client.get(url).text
    with writes_outside_services() as outside, CaptureQueriesContext(connection) as captured:
        response = superuser_client.post(url, {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert outside == []
    assert not Prompt.objects.filter(pk=prompt.pk).exists()
    assert post_counts(w["fran"]) == {"fran": 2}
    assert_others_untouched(w)
    # One UPDATE of members, of the author alone (ann's draft and visit went, not her count).
    assert updated_members(captured) == [{w["fran"].pk}]
    assert not any(
        q["sql"].startswith(('UPDATE "community_prompt"', 'UPDATE "community_reflection"'))
        for q in captured.captured_queries
    )


def test_deleting_selected_prompts_recounts_their_author_exactly(superuser_client, spaces):
    w = spaces
    selected = [p.pk for p in w["doomed"]]
    with writes_outside_services() as outside, CaptureQueriesContext(connection) as captured:
        response = superuser_client.post(
            CHANGELIST, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
        )
    assert response.status_code == HTTPStatus.FOUND
    assert outside == []
    assert list(Prompt.objects.values_list("pk", flat=True)) == [w["kept"].pk]
    assert post_counts(w["fran"]) == {"fran": 1}
    assert_others_untouched(w)
    assert updated_members(captured) == [{w["fran"].pk}]


def test_the_prompt_admin_never_recounts_the_whole_site(superuser_client, spaces, monkeypatch):
    from community import services

    def everything():
        raise AssertionError("resync_counts recounts every counter on the site")

    monkeypatch.setattr(services, "resync_counts", everything)
    prompt = spaces["doomed"][0]
    superuser_client.post(reverse("admin:community_prompt_delete", args=[prompt.pk]), {"post": "yes"})
    superuser_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [spaces["doomed"][1].pk], "post": "yes"}
    )
    assert not Prompt.objects.filter(pk__in=[p.pk for p in spaces["doomed"]]).exists()


def test_a_prompt_with_posts_is_not_deleted_in_the_admin(superuser_client, spaces):
    """Posts are removed one by one by moderators (logged); the admin refuses a delete that would
    take learners' posts with it, as before."""
    kept = spaces["kept"]
    response = superuser_client.post(
        reverse("admin:community_prompt_delete", args=[kept.pk]), {"post": "yes"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Prompt.objects.filter(pk=kept.pk).exists()


def test_delete_prompts_recounts_the_posters_and_the_authors_only(spaces):
    """The service behind the admin (and a lesson's delete), with posts: each member who wrote in
    the deleted spaces is recounted, exactly; nobody else."""
    from community import services

    w = spaces
    bob = make_user(handle="bob")
    prompt = w["doomed"][1]
    thread = make_reflection(prompt=prompt, author=w["ann"], likes=1)
    make_reflection(parent=thread, author=bob)
    make_reflection(prompt=prompt, author=bob, body="Private.")
    services.create_reflection(prompt=prompt, author=w["ann"], body="Mine alone.", is_private=True)
    with CaptureQueriesContext(connection) as captured:
        assert services.delete_prompts(prompts=[prompt]) == 1
    assert not Reflection.objects.filter(prompt_id=prompt.pk).exists()
    assert post_counts(w["fran"], w["ann"], bob, w["dan"]) == {"fran": 2, "ann": 1, "bob": 0, "dan": 99}
    (members,) = updated_members(captured)
    assert w["dan"].pk not in members and members <= {w["fran"].pk, w["ann"].pk, bob.pk}
    assert Prompt.objects.get(pk=w["kept"].pk).reflection_count == 42


def test_adding_editing_and_pinning_prompts_write_through_the_services(client, facilitator):
    client.force_login(facilitator)
    lesson = make_lesson()
    with writes_outside_services() as outside:
        client.post(ADD, prompt_form(lesson))
        prompt = Prompt.objects.get(lesson=lesson)
        url = reverse("admin:community_prompt_change", args=[prompt.pk])
        client.post(url, prompt_form(lesson, title="Another title", is_locked=True))
        client.post(CHANGELIST, {"action": "pin_prompts", "_selected_action": [prompt.pk]})
    assert outside == []
    prompt.refresh_from_db()
    assert (prompt.title, prompt.is_pinned, prompt.is_locked) == ("Another title", True, True)

"""One rule for who sees what: every read path agrees with ``Reflection.objects.visible_to``.

The same fixture set of posts is read by every kind of viewer through the space page, the
permalink, "who liked", the reply page, the report page and the counts; each must show exactly
the posts the rule gives, and nothing else.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Suspension
from community import services
from community.models import Reflection
from moderation import services as moderation
from tests.factories import make_lesson, make_prompt, make_reflection, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

VIEWERS = [
    "anonymous",
    "author",
    "learner",
    "learner_not_reflected",
    "suspended",
    "facilitator",
    "moderator",
    "staff",
]


@dataclass
class World:
    users: dict
    open_prompt: object
    independent: object
    draft_prompt: object
    posts: dict


def build_world() -> World:
    author = make_user(handle="author", display_name="Ada Author")
    learner = make_user(handle="learner", display_name="Lee Learner")
    users = {
        "author": author,
        "learner": learner,
        "learner_not_reflected": make_user(handle="newbie", display_name="Nia New"),
        "suspended": make_user(handle="paused", display_name="Pat Paused"),
        "facilitator": make_user(role=roles.FACILITATOR, handle="fac", display_name="Fay Facilitator"),
        "moderator": make_user(role=roles.MODERATOR, handle="mod", display_name="Max Moderator"),
        "staff": make_user(role="", handle="staffer", display_name="Sam Staff", is_staff=True),
    }
    Suspension.objects.create(
        user=users["suspended"], reason="Cooling off", ends_at=timezone.now() + timedelta(days=1)
    )
    lesson = make_lesson()
    open_prompt = make_prompt(lesson=lesson, title="Open activity")
    independent = make_prompt(lesson=lesson, title="Think first", independent_reflection=True)
    draft_prompt = make_prompt(lesson=make_lesson(published=False), title="Draft activity")

    posts = {}
    posts["open"] = make_reflection(prompt=open_prompt, author=author, body="open words", likes=1)
    posts["open_reply"] = make_reflection(parent=posts["open"], author=learner, body="a reply")
    posts["hidden"] = make_reflection(prompt=open_prompt, author=author, body="hidden words", likes=1)
    posts["hidden_reply"] = make_reflection(parent=posts["hidden"], author=learner, body="reply to hidden")
    moderation.hide_reflection(
        reflection=posts["hidden"], moderator=users["moderator"], reason="Private details"
    )
    posts["hidden_own_reply"] = make_reflection(parent=posts["open"], author=author, body="my hidden reply")
    moderation.hide_reflection(reflection=posts["hidden_own_reply"], moderator=users["moderator"], reason="r")
    removed = make_reflection(prompt=open_prompt, author=learner, body="soon removed")
    posts["removed_reply"] = make_reflection(parent=removed, author=author, body="answer to removed")
    posts["removed"] = services.delete_reflection(reflection=removed)  # a placeholder stays
    posts["independent"] = make_reflection(prompt=independent, author=author, body="independent words")
    posts["independent_learner"] = make_reflection(prompt=independent, author=learner, body="learner's own")
    posts["independent_reply"] = make_reflection(
        parent=posts["independent"], author=learner, body="ind reply"
    )
    posts["draft"] = make_reflection(prompt=draft_prompt, author=author, body="draft words")
    # Private first, shared by choice: the author's own eyes only, until shared.
    posts["private"] = services.create_reflection(
        prompt=open_prompt, author=author, body="private words", is_private=True
    )
    posts["private_gated"] = services.create_reflection(
        prompt=independent, author=users["learner_not_reflected"], body="kept to myself", is_private=True
    )
    posts["shared"] = services.share_reflection(
        reflection=services.create_reflection(
            prompt=open_prompt, author=learner, body="shared later", is_private=True
        )
    )
    for post in posts.values():
        post.refresh_from_db()
    return World(users=users, open_prompt=open_prompt, independent=independent, draft_prompt=draft_prompt,
                 posts=posts)  # fmt: skip


def _viewer(world: World, name: str):
    return AnonymousUser() if name == "anonymous" else world.users[name]


def _login(client, world: World, name: str) -> None:
    client.logout()
    if name != "anonymous":
        client.force_login(world.users[name])


def _shown_post_ids(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', html)}


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("public_reading", [False, True])
@pytest.mark.parametrize("name", VIEWERS)
def test_every_read_path_agrees_with_visible_to(client, settings, world, name, public_reading):
    settings.COMMUNITY_PUBLIC_READING = public_reading
    viewer = _viewer(world, name)
    _login(client, world, name)
    rule = set(Reflection.objects.visible_to(viewer).values_list("pk", flat=True))
    all_ids = {post.pk for post in world.posts.values()}

    # The space pages (both activities, and the draft lesson's for staff): the posts on them are
    # the rule's posts of those activities, except replies whose thread the viewer cannot see.
    shown: set[int] = set()
    for prompt in (world.open_prompt, world.independent, world.draft_prompt):
        response = client.get(prompt.get_absolute_url())
        if response.status_code == HTTPStatus.OK:
            shown |= _shown_post_ids(response.text)
    expected_on_pages = {
        pk
        for pk in rule
        if (thread_id := Reflection.objects.get(pk=pk).thread_id) is None or thread_id in rule
    }
    assert shown == expected_on_pages, (
        f"{name}: space shows {sorted(shown)}, rule gives {sorted(expected_on_pages)}"
    )

    for pk in all_ids:
        readable = pk in rule
        permalink = client.get(reverse("community:post", args=[pk]))
        if name == "anonymous" and not public_reading:
            assert permalink.status_code == HTTPStatus.FOUND and "/accounts/login/" in permalink.url
            continue
        assert permalink.status_code == (HTTPStatus.FOUND if readable else HTTPStatus.NOT_FOUND), (name, pk)
        likes = client.get(reverse("community:reflection-likes", args=[pk]))
        assert likes.status_code == (HTTPStatus.OK if readable else HTTPStatus.NOT_FOUND), (name, pk)
        if name != "anonymous":
            for url_name in ("community:reflection-reply", "moderation:report"):
                status = client.get(reverse(url_name, args=[pk])).status_code
                assert (status == HTTPStatus.NOT_FOUND) == (not readable), (name, url_name, pk, status)


@pytest.mark.parametrize("name", VIEWERS)
def test_private_reflections_reach_no_one_else_by_notice(world, name, jobs):
    """Saving privately tells no one (not the activity's followers, not those it mentions); the
    notices list of every other viewer has nothing about it, and neither has the author's."""
    from notifications.models import Notification
    from notifications.services import visible_notifications

    author = world.users["author"]
    secret = services.create_reflection(
        prompt=world.open_prompt, author=author, body="a word with @learner and @fac", is_private=True
    )
    jobs.run()
    assert not Notification.objects.filter(reflection=secret).exists()
    if name != "anonymous":
        viewer = world.users[name]
        assert not visible_notifications(viewer).filter(
            reflection_id__in=[secret.pk, world.posts["private"].pk]
        )


@pytest.mark.parametrize("name", VIEWERS)
def test_counts_follow_the_same_rule(client, settings, world, name):
    """The activity list, the space heading and the lesson page count the same thing: the live
    top-level reflections the viewer may see."""
    settings.COMMUNITY_PUBLIC_READING = True
    viewer = _viewer(world, name)
    _login(client, world, name)
    counted = Reflection.objects.visible_to(viewer).counted()
    open_count = counted.filter(prompt=world.open_prompt).count()
    independent_count = counted.filter(prompt=world.independent).count()
    page = client.get(world.open_prompt.get_absolute_url()).text
    assert f'Open activity</a> <span class="muted small">{open_count} reflection' in page
    assert f'Think first</a> <span class="muted small">{independent_count} reflection' in page
    assert f'Reflections <span class="muted">({open_count})</span>' in page
    lesson_page = client.get(world.open_prompt.lesson.get_absolute_url()).text
    total = open_count + independent_count
    if total:
        assert f"<strong>{total} reflection{'s' if total != 1 else ''}</strong> so far" in lesson_page
    else:
        assert "so far" not in lesson_page


def test_the_rule_in_words(world):
    """Spot checks of the rule itself, one clause each."""
    posts, users = world.posts, world.users
    visible = {
        name: set(Reflection.objects.visible_to(u).values_list("pk", flat=True)) for name, u in users.items()
    }
    # Hidden posts (and the replies in a hidden thread): their author and moderators only.
    assert posts["hidden"].pk in visible["author"] and posts["hidden"].pk in visible["moderator"]
    assert posts["hidden"].pk not in visible["learner"] | visible["facilitator"]
    assert posts["hidden_reply"].pk in visible["learner"]  # its own author still sees their words
    assert posts["hidden_reply"].pk not in visible["learner_not_reflected"]
    # Independent reflection: others' posts only after your own reflection there.
    assert (
        posts["independent"].pk in visible["learner"] and posts["independent"].pk not in visible["suspended"]
    )
    assert posts["independent"].pk in visible["facilitator"]
    # Draft lessons: staff only.
    assert posts["draft"].pk in visible["staff"] and posts["draft"].pk not in visible["author"]
    # Placeholders of removed posts stay for everyone who reads the space.
    assert posts["removed"].pk in visible["learner_not_reflected"]
    # Private reflections: their author's alone, whatever the other viewer's role.
    for name in users:
        assert (posts["private"].pk in visible[name]) is (name == "author"), name
        assert (posts["private_gated"].pk in visible[name]) is (name == "learner_not_reflected"), name
    assert not Reflection.objects.visible_to(AnonymousUser()).filter(is_private=True).exists()
    # A private reflection opens no gate under independent reflection; a shared one is anyone's.
    assert posts["independent"].pk not in visible["learner_not_reflected"]
    assert all(posts["shared"].pk in visible[name] for name in users)


@pytest.mark.parametrize("name", ["facilitator", "staff"])
def test_the_admin_list_agrees_with_visible_to(client, world, name):
    """Admin users read posts in the Django admin too: the same rule (facilitators get no hidden text)."""
    viewer = world.users[name]
    if name == "staff":
        viewer.is_superuser = True
        viewer.save(update_fields=["is_superuser"])
    client.force_login(viewer)
    html = client.get(reverse("admin:community_reflection_changelist") + "?all=").text
    listed = {int(pk) for pk in re.findall(r"/admin/community/reflection/(\d+)/change/", html)}
    assert listed == set(Reflection.objects.visible_to(viewer).values_list("pk", flat=True))
    assert (world.posts["hidden"].pk in listed) is (name == "staff")
    # Private reflections: not listed, not even to staff, whose page says only how many there are.
    assert world.posts["private"].pk not in listed and "private words" not in html
    assert "2 private reflections not listed" in html

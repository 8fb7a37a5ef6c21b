"""The space page's kept read of its threads (issue 13, community/page_cache.py): the space's
version moves with every write to its posts, whatever makes it; a kept read is shared only by
viewers who read exactly the same posts; each viewer, whoever came before them, sees what
``visible_to`` gives them."""

import re
from itertools import permutations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import Client

from accounts import roles
from community import page_cache, services
from community.models import FeedVersion, Prompt, Reflection
from moderation import services as moderation
from tests.community.test_cohort_visibility import build_cohorts
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

POST = re.compile(r'<article class="post[^"]*" id="post-(\d+)"')


def version(prompt) -> int:
    return Prompt.objects.with_feed_version().get(pk=prompt.pk).feed_version


def client_for(member) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def posts_on(client, prompt) -> set[int]:
    response = client.get(prompt.get_absolute_url())
    assert response.status_code == 200
    return {int(pk) for pk in POST.findall(response.text)}


def readable(member, prompt) -> set[int]:
    """What the one rule gives ``member`` in ``prompt`` that the space page shows (every post fits
    on one page here): the threads they may read and those threads' replies they may read (their
    own reply in a hidden thread is theirs to read, from their profile, but has no thread to sit in)."""
    viewer = member or AnonymousUser()
    rows = Reflection.objects.visible_to(viewer).filter(prompt=prompt).values_list("pk", "thread_id")
    threads = {pk for pk, thread_id in rows if thread_id is None}
    return {pk for pk, thread_id in rows if thread_id is None or thread_id in threads}


# --- The version ---------------------------------------------------------------------------------


def test_every_write_to_a_post_moves_its_space_version_and_no_other():
    prompt, other = make_prompt(), make_prompt()
    assert version(prompt) == 0  # no post yet
    post = make_reflection(prompt=prompt)
    make_reflection(prompt=other)
    seen = [version(prompt)]
    writes = [
        lambda: make_reflection(parent=post),
        lambda: services.edit_reflection(reflection=post, body="Edited", editor=post.author),
        lambda: services.like_reflection(reflection=post, user=make_user()),
        lambda: moderation.hide_reflection(reflection=post, moderator=make_user(role=roles.MODERATOR), reason="x"),
        lambda: Reflection.objects.filter(pk=post.pk).update(hidden_at=None),  # a bulk update, no service
        lambda: Reflection.objects.filter(prompt=prompt, thread=post).delete(),
    ]  # fmt: skip
    other_version = version(other)
    for write in writes:
        write()
        seen.append(version(prompt))
    assert seen == sorted(set(seen)), seen  # it moved on every write, never back
    assert version(other) == other_version


def test_a_bulk_insert_moves_each_space_once():
    prompt = make_prompt()
    author = make_user()
    before = FeedVersion.objects.count()
    Reflection.objects.bulk_create(
        Reflection(prompt=prompt, author=author, body=f"Bulk {n}", body_html=f"<p>Bulk {n}</p>")
        for n in range(50)
    )
    assert FeedVersion.objects.count() == before + 1
    assert version(prompt) > 0


# --- Shared only where exact ---------------------------------------------------------------------


@pytest.fixture
def space(settings):
    """A whole-course space with a post of every kind a viewer may or may not read."""
    settings.COMMUNITY_PUBLIC_READING = True
    prompt = make_prompt()
    people = {
        "learner": make_user(handle="learner"),
        "private_writer": make_user(handle="private_writer"),
        "hidden_writer": make_user(handle="hidden_writer"),
        "replier": make_user(handle="replier"),  # replied in a thread that was then hidden
        "moderator": make_user(role=roles.MODERATOR, handle="mod"),
        "staff": make_user(role="", handle="staffer", is_staff=True),
        "anonymous": None,
    }
    shown = make_reflection(prompt=prompt, body="Shown to all")
    make_reflection(parent=shown, body="A shown reply")
    services.create_reflection(
        prompt=prompt, author=people["private_writer"], body="Only mine", is_private=True
    )
    hidden = make_reflection(prompt=prompt, author=people["hidden_writer"], body="Hidden one")
    make_reflection(parent=hidden, author=people["replier"], body="Reply in a hidden thread")
    moderation.hide_reflection(reflection=hidden, moderator=people["moderator"], reason="Off topic")
    removed = make_reflection(prompt=prompt, body="Removed with replies")
    make_reflection(parent=removed, body="Its reply stays")
    services.delete_reflection(reflection=removed)
    return prompt, people


@pytest.mark.parametrize("order", ["forwards", "backwards"])
def test_each_viewer_reads_what_the_rule_gives_whoever_came_first(space, order):
    prompt, people = space
    names = list(people) if order == "forwards" else list(reversed(people))
    for _ in range(2):  # the second round reads only kept reads
        for name in names:
            assert posts_on(client_for(people[name]), prompt) == readable(people[name], prompt), name
    # The writers of posts only they read never share the others' read, nor the others theirs.
    assert len({frozenset(readable(people[name], prompt)) for name in people}) >= 4


def test_every_order_of_three_viewers_agrees(space):
    prompt, people = space
    trio = ["learner", "hidden_writer", "moderator"]
    for names in permutations(trio):
        caches["default"].clear()
        for name in names:
            assert posts_on(client_for(people[name]), prompt) == readable(people[name], prompt), names


def test_who_shares_a_read(space):
    prompt, people = space
    course = prompt.lesson.course
    audience = {
        name: page_cache.audience(member or AnonymousUser(), prompt, course)
        for name, member in people.items()
    }
    assert (
        audience["private_writer"] is None
        and audience["hidden_writer"] is None
        and audience["replier"] is None
    )
    assert audience["learner"] != audience["moderator"] != audience["anonymous"]
    other_learner = make_user()
    assert page_cache.audience(other_learner, prompt, course) == audience["learner"]


def test_the_second_viewer_of_a_page_makes_three_queries_fewer(space, assert_exact_queries, settings):
    prompt, people = space
    settings.SPACE_PAGE_TTL = 0  # each page built (nothing kept whole: page_store)
    first, second = make_user(), make_user()
    client_for(first).get(prompt.get_absolute_url())  # their visits are recorded, "new" the same
    client_for(second).get(prompt.get_absolute_url())
    caches["default"].clear()
    one, two = client_for(first), client_for(second)
    with assert_exact_queries(12):
        one.get(prompt.get_absolute_url())
    with assert_exact_queries(9):  # no count of what the stored count leaves out, threads, replies
        two.get(prompt.get_absolute_url())


@pytest.mark.enrolment
def test_a_cohort_course_reads_per_viewer():
    cohorts = build_cohorts()
    prompt, users = cohorts.prompt, cohorts.users
    assert page_cache.audience(users["spring_a"], prompt, cohorts.course) is None
    for name in ("spring_a", "autumn", "spring_b", "autumn", "spring_a"):
        assert posts_on(client_for(users[name]), prompt) == readable(users[name], prompt), name
    assert readable(users["spring_a"], prompt) != readable(users["autumn"], prompt)


def test_independent_reflection_reads_per_learner():
    prompt = make_prompt(independent_reflection=True)
    wrote, waiting = make_user(), make_user()
    make_reflection(prompt=prompt, author=wrote, body="Mine first")
    make_reflection(prompt=prompt, body="A colleague's")
    assert len(posts_on(client_for(wrote), prompt)) == 2
    page = client_for(waiting).get(prompt.get_absolute_url()).text
    assert "A colleague&#x27;s" not in page and "A colleague's" not in page
    assert not POST.findall(page)


def test_mine_is_never_shared():
    prompt = make_prompt()
    first, second = make_user(), make_user()
    theirs = {
        member: make_reflection(prompt=prompt, author=member, body=f"By {member.handle}")
        for member in (first, second)
    }
    for member in (first, second, first):
        response = client_for(member).get(prompt.get_absolute_url(), {"order": "mine"})
        assert {int(pk) for pk in POST.findall(response.text)} == {theirs[member].pk}, member.handle


def test_names_counts_and_roles_are_read_fresh_under_a_kept_read():
    prompt = make_prompt()
    author = make_user(display_name="Asha Author")
    make_reflection(prompt=prompt, author=author, body="Kept")
    reader = client_for(make_user())
    assert "Asha Author" in reader.get(prompt.get_absolute_url()).text
    kept = version(prompt)
    author.display_name = "Asha Renamed"
    author.save(update_fields=["display_name"])
    make_reflection(prompt=make_prompt(), author=author)  # a post elsewhere: their count moves
    assert version(prompt) == kept  # this space did not change…
    text = reader.get(prompt.get_absolute_url()).text
    assert "Asha Renamed" in text and "2 posts" in text  # …and its page shows the new name and count


def test_a_cache_that_is_down_still_serves_the_page(space, monkeypatch):
    prompt, people = space

    cache = caches["default"]

    def down(method):
        original = getattr(cache, method)

        def call(key, *args, **kwargs):  # the page's keys fail; the session (cached_db) still works
            if "session" not in str(key):
                raise ConnectionError("cache down")
            return original(key, *args, **kwargs)

        return call

    for method in ("get", "set", "get_many", "set_many"):
        monkeypatch.setattr(cache, method, down(method))
    assert posts_on(client_for(people["learner"]), prompt) == readable(people["learner"], prompt)

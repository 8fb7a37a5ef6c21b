"""A member's activity on their profile page (``community/profile.py``, an ``accounts.profile_sections``
section): what it lists is exactly what ``Reflection.objects.visible_to(viewer)`` gives, for every
kind of viewer, and the page runs a fixed number of queries."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts import profile_sections, roles
from community import services
from community.models import Reflection
from moderation import services as moderation
from tests.community.test_visibility import VIEWERS, _login, _viewer, build_world
from tests.factories import make_lesson, make_prompt, make_reflection, make_user
from tests.html_validation import nu_errors, require_java

pytestmark = pytest.mark.django_db


def profile_url(member, page: int | None = None) -> str:
    url = reverse("accounts:profile", args=[member.handle])
    return f"{url}?page={page}" if page else url


LISTED = re.compile(r'<li class="profile-activity__item" id="activity-\d+" data-post-id="(\d+)"')


def listed_ids(html: str) -> list[int]:
    """The post ids the activity list shows, in page order."""
    return [int(n) for n in LISTED.findall(html)]


def all_listed_ids(client, member) -> list[int]:
    """Every page of the member's activity, in order."""
    ids: list[int] = []
    page = 1
    while True:
        html = client.get(profile_url(member, page)).text
        ids += listed_ids(html)
        if 'rel="next"' not in html:
            return ids
        page += 1


def summary_of(html: str) -> tuple[int, int, int]:
    found = re.search(
        r"<strong>(\d+)</strong> reflections? ·\s*<strong>(\d+)</strong> repl(?:y|ies) ·\s*"
        r"<strong>(\d+)</strong> likes? received",
        html,
    )
    assert found, "no activity summary on the page"
    return tuple(int(n) for n in found.groups())


# --- Agreement with the one visibility rule ------------------------------------------------------


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("public_reading", [False, True])
@pytest.mark.parametrize("name", VIEWERS)
def test_the_profile_lists_exactly_what_visible_to_gives(client, settings, world, name, public_reading):
    """The profile is one more read path: on every page of the author's profile, each viewer sees
    the author's live posts the rule gives them, newest first, and the summary counts those."""
    settings.COMMUNITY_PUBLIC_READING = public_reading
    settings.REFLECTIONS_PER_PAGE = 3  # the author has more than that: several pages
    author = world.users["author"]
    _login(client, world, name)
    if name == "anonymous" and not public_reading:
        response = client.get(profile_url(author))
        assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response.url
        return
    rule = Reflection.objects.visible_to(_viewer(world, name)).filter(author=author, deleted_at__isnull=True)
    expected = list(rule.order_by("-created_at", "-id").values_list("pk", flat=True))

    assert all_listed_ids(client, author) == expected, name
    reflections = rule.filter(thread__isnull=True).count()
    likes = sum(rule.values_list("like_count", flat=True))
    replies = len(expected) - reflections
    assert summary_of(client.get(profile_url(author)).text) == (reflections, replies, likes), name


def test_the_world_gives_the_profile_something_to_hide(world):
    """Guard: the agreement test above means something only if viewers really differ."""
    author = world.users["author"]
    seen = {
        name: set(
            Reflection.objects.visible_to(_viewer(world, name))
            .filter(author=author, deleted_at__isnull=True)
            .values_list("pk", flat=True)
        )
        for name in VIEWERS
    }
    assert len({frozenset(ids) for ids in seen.values()}) >= 4
    assert world.posts["removed_reply"].pk in seen["learner"]  # a reply whose parent was removed


# --- Each clause of the rule, on the profile -----------------------------------------------------


def test_a_hidden_post_is_listed_only_to_its_author_and_moderators(client, moderator, other_user):
    author = make_user(handle="hana", display_name="Hana Hidden")
    post = make_reflection(author=author, body="Words a moderator hid.")
    moderation.hide_reflection(reflection=post, moderator=moderator, reason="Names")
    for viewer, listed in ((author, True), (moderator, True), (other_user, False)):
        client.force_login(viewer)
        html = client.get(profile_url(author)).text
        assert (post.pk in listed_ids(html)) is listed, viewer.handle
        assert ("Words a moderator hid." in html) is listed, viewer.handle
    client.force_login(author)
    assert "Only you and the moderators can see it." in client.get(profile_url(author)).text


def test_independent_reflection_keeps_the_members_posts_from_learners_who_have_not_reflected(client):
    author, newcomer, answered = make_user(), make_user(), make_user()
    prompt = make_prompt(title="Think first", independent_reflection=True)
    post = make_reflection(prompt=prompt, author=author, body="My own take first.")
    make_reflection(prompt=prompt, author=answered, body="Mine too.")
    client.force_login(newcomer)
    html = client.get(profile_url(author)).text
    assert listed_ids(html) == [] and "My own take first." not in html and "Think first" not in html
    assert summary_of(html) == (0, 0, 0)
    client.force_login(answered)
    assert listed_ids(client.get(profile_url(author)).text) == [post.pk]


def test_posts_in_an_unpublished_lesson_are_listed_only_to_staff(client, facilitator):
    author = make_user()
    draft = make_prompt(lesson=make_lesson(published=False), title="Draft activity")
    post = make_reflection(prompt=draft, author=author, body="Before publishing.")
    staff = make_user(role="", is_staff=True)
    for viewer, listed in ((author, False), (make_user(), False), (staff, True), (facilitator, True)):
        client.force_login(viewer)
        html = client.get(profile_url(author)).text
        assert (post.pk in listed_ids(html)) is listed, viewer.handle
        assert ("Draft activity" in html) is listed, viewer.handle


def test_deleted_posts_are_not_listed_or_counted(client, user):
    author = make_user()
    kept = make_reflection(author=author, body="Still here.", likes=2)
    removed = make_reflection(author=author, body="Taken back.", replies=1, likes=3)
    services.delete_reflection(reflection=removed)  # a placeholder stays in the space for the reply
    client.force_login(user)
    html = client.get(profile_url(author)).text
    assert listed_ids(html) == [kept.pk]
    assert "Taken back." not in html
    assert summary_of(html) == (1, 0, 2)


# --- What the list shows -------------------------------------------------------------------------


def test_each_post_shows_its_kind_activity_lesson_excerpt_time_and_permalink(client, user):
    author = make_user(display_name="Ada Author")
    lesson = make_lesson(number=3, title="Blameless reviews")
    prompt = make_prompt(lesson=lesson, title="What did you notice first?")
    reflection = make_reflection(prompt=prompt, author=author, body="A *first* thought.")
    reply = make_reflection(parent=make_reflection(prompt=prompt), author=author, body="I agree.")
    client.force_login(user)
    html = client.get(profile_url(author)).text
    assert listed_ids(html) == [reply.pk, reflection.pk]  # newest first
    item = html[html.index(f'id="activity-{reply.pk}"') : html.index(f'id="activity-{reflection.pk}"')]
    assert '<span class="badge">Reply</span>' in item
    assert f'<a href="{prompt.get_absolute_url()}">What did you notice first?</a>' in item
    assert f"Lesson 3: Blameless reviews · {lesson.course.title}" in item
    assert "I agree." in item and "<time" in item
    assert f'href="{reverse("community:post", args=[reply.pk])}"' in item
    assert '<span class="badge">Reflection</span>' in html[html.index(f'id="activity-{reflection.pk}"') :]
    assert "A first thought." in html and "*first*" not in html  # its rendered text, plain


def test_the_excerpt_is_short_escaped_plain_text(client, user):
    author = make_user()
    hostile = "<script>alert(1)</script> </mark> " + "word " * 200
    post = make_reflection(author=author, body=hostile)
    client.force_login(user)
    html = client.get(profile_url(author)).text
    assert "<script>alert(1)" not in html and "</mark>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;/mark&gt; word" in html
    excerpt = re.search(r'<p class="profile-activity__excerpt">(.*?)</p>', html, re.S).group(1)
    assert len(excerpt) < 260 and excerpt.endswith("…")
    assert post.body_html not in html


def test_the_summary_counts_reflections_replies_and_likes_received(client, user):
    author = make_user()
    make_reflection(author=author, likes=2)
    make_reflection(author=author, likes=1)
    make_reflection(parent=make_reflection(), author=author)
    liked_reply = make_reflection(parent=make_reflection(), author=author)
    services.like_reflection(reflection=liked_reply, user=user)
    make_reflection(author=user, likes=5)  # someone else's likes don't count
    client.force_login(user)
    assert summary_of(client.get(profile_url(author)).text) == (2, 2, 4)


def test_a_member_with_no_posts_gets_an_empty_state(client, user):
    client.force_login(user)
    html = client.get(profile_url(user)).text
    assert summary_of(html) == (0, 0, 0)
    assert "Nothing here yet" in html
    assert "Nothing to show yet" in client.get(profile_url(make_user())).text


def test_the_activity_is_paginated_newest_first(client, settings, user):
    settings.REFLECTIONS_PER_PAGE = 20
    author = make_user()
    prompt = make_prompt()
    posts = [make_reflection(prompt=prompt, author=author, body=f"Post {n}.") for n in range(45)]
    newest_first = [post.pk for post in reversed(posts)]
    client.force_login(user)

    first = client.get(profile_url(author)).text
    assert listed_ids(first) == newest_first[:20]
    assert 'href="?page=2#activity" rel="next"' in first and 'rel="prev"' not in first
    assert 'aria-current="page" href="?page=1#activity"' in first
    second = client.get(profile_url(author, 2)).text
    assert listed_ids(second) == newest_first[20:40]
    assert 'rel="prev"' in second and 'rel="next"' in second
    last = client.get(profile_url(author, 3)).text
    assert listed_ids(last) == newest_first[40:]
    assert 'rel="next"' not in last
    assert summary_of(last) == (45, 0, 0)  # the summary is over everything, not one page
    # Odd page numbers land on a real page rather than failing.
    assert listed_ids(client.get(profile_url(author) + "?page=99").text) == newest_first[40:]
    assert listed_ids(client.get(profile_url(author) + "?page=x").text) == newest_first[:20]


def test_a_single_page_has_no_pagination(client, user):
    author = make_user()
    make_reflection(author=author)
    client.force_login(user)
    assert 'class="pagination"' not in client.get(profile_url(author)).text


# --- The profile page around it ------------------------------------------------------------------


def test_the_export_link_is_only_on_ones_own_profile(client, user, other_user, moderator):
    export = f'href="{reverse("accounts:export")}"'
    client.force_login(user)
    own = client.get(profile_url(user)).text
    assert export in own and "Download your data" in own
    assert "Edit your profile" in own
    for other in (other_user, moderator):
        client.force_login(other)
        page = client.get(profile_url(user)).text
        assert export not in page and "Edit your profile" not in page


def test_the_profile_keeps_its_facts(client, facilitator, user):
    make_reflection(author=facilitator)
    client.force_login(user)
    html = client.get(profile_url(facilitator)).text
    assert "Member since" in html and "badge--facilitator" in html and "<strong>1</strong> reflection" in html


def test_anonymous_visitors_are_sent_to_log_in_without_public_reading(client, settings):
    settings.COMMUNITY_PUBLIC_READING = False
    author = make_user()
    make_reflection(author=author, body="For members.")
    response = client.get(profile_url(author))
    assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response.url


def test_anonymous_visitors_see_the_public_part_with_public_reading(client, settings, moderator):
    settings.COMMUNITY_PUBLIC_READING = True
    author = make_user()
    public = make_reflection(author=author, body="For everyone.")
    hidden = make_reflection(author=author, body="Hidden away.")
    moderation.hide_reflection(reflection=hidden, moderator=moderator, reason="r")
    gated = make_reflection(prompt=make_prompt(independent_reflection=True), author=author, body="Gated.")
    response = client.get(profile_url(author))
    assert response.status_code == HTTPStatus.OK
    assert listed_ids(response.text) == [public.pk]
    assert "Hidden away." not in response.text and gated.pk not in listed_ids(response.text)
    assert reverse("accounts:export") not in response.text


# --- Queries -------------------------------------------------------------------------------------


def _posts_by(author, count: int) -> None:
    prompt = make_prompt()
    other_lesson_prompt = make_prompt(title="Another activity")
    for n in range(count):
        if n % 3 == 2:
            make_reflection(parent=make_reflection(prompt=prompt), author=author, body=f"Reply {n}.")
        else:
            target = prompt if n % 2 else other_lesson_prompt
            make_reflection(prompt=target, author=author, body=f"Post {n}.", likes=n % 2)


@pytest.mark.parametrize("posts", [3, 40])
def test_the_profile_runs_a_constant_number_of_queries(client, assert_exact_queries, user, posts):
    """Seven queries, however much the member wrote (40 posts are two pages of 20): the
    signed-in member, the profile's member and their groups (role badge), the viewer's roles with
    their suspension (visible_to's role checks, base.html's banner: ``User._read_standing``), the
    activity summary, one page of posts with their activity, lesson and course, and base.html's
    unread-notice probe. The session comes from the cache (cached_db: it was nine with the db
    engine). If this changes, say why in the commit."""
    author = make_user()
    _posts_by(author, posts)
    client.force_login(user)
    with assert_exact_queries(6):
        response = client.get(profile_url(author))
    assert len(listed_ids(response.text)) == min(posts, 20)


def test_a_moderator_viewing_their_own_profile_runs_the_same_queries(client, assert_exact_queries):
    moderator = make_user(role=roles.MODERATOR)
    _posts_by(moderator, 5)
    client.force_login(moderator)
    with assert_exact_queries(6):
        client.get(profile_url(moderator))


# --- The registry --------------------------------------------------------------------------------


def test_sections_render_in_order_and_none_shows_nothing(client, user, monkeypatch):
    monkeypatch.setattr(profile_sections, "_sections", dict(profile_sections._sections))
    seen = []

    def nothing(viewer, member, request):
        seen.append((viewer, member))
        return None

    profile_sections.register_profile_section("tests.nothing", nothing)
    client.force_login(user)
    client.get(profile_url(user))
    assert seen == [(user, user)]
    assert [s["template"] for s in profile_sections.profile_sections(user, user, _Request())] == [
        "community/_profile_activity.html",
        "journal/_profile_log.html",  # the learning log's link, on one's own profile only
    ]
    profile_sections.register_profile_section("tests.nothing", nothing)  # registering again replaces
    assert list(profile_sections._sections) == ["community.activity", "journal.log", "tests.nothing"]


class _Request:
    GET: dict = {}


def test_anonymous_viewers_without_public_reading_get_no_activity_section(settings, user):
    settings.COMMUNITY_PUBLIC_READING = False
    assert profile_sections.profile_sections(AnonymousUser(), user, _Request()) == []


# --- Valid HTML ----------------------------------------------------------------------------------


def test_profile_pages_are_valid_html(request, client, settings, user, moderator):
    require_java(request.config)
    settings.REFLECTIONS_PER_PAGE = 5
    author = make_user(display_name="Ada <Author> & co")
    prompt = make_prompt(title='What "went" <well>?')
    for n in range(7):
        make_reflection(
            prompt=prompt, author=author, body=f"Post {n} with <b>tags</b> & **stars**.", likes=n % 2
        )
    make_reflection(parent=make_reflection(prompt=prompt), author=author, body="A reply.")
    hidden = make_reflection(prompt=prompt, author=author, body="Hidden.")
    moderation.hide_reflection(reflection=hidden, moderator=moderator, reason="r")

    pages = {}
    client.force_login(author)
    pages["own profile, page 1"] = client.get(profile_url(author)).text
    pages["own profile, page 2"] = client.get(profile_url(author, 2)).text
    client.force_login(user)
    pages["someone else's profile"] = client.get(profile_url(author)).text
    pages["a profile with no posts"] = client.get(profile_url(make_user())).text
    client.logout()
    settings.COMMUNITY_PUBLIC_READING = True
    pages["anonymous, public reading"] = client.get(profile_url(author)).text
    own = pages["own profile, page 1"]
    assert "post__hidden-banner" in own and 'rel="next"' in own

    errors = {name: found for name, found in nu_errors(pages).items() if found}
    assert errors == {}, errors


@pytest.mark.enrolment
def test_the_profile_counts_only_the_posts_its_viewer_may_read(client):
    """A member's stored post count covers every course; their profile tells each viewer only of
    the posts that viewer may read (an invite-only course's posts only to its members)."""
    from lessons.models import Course
    from tests.factories import enrol, make_course, make_lesson, make_prompt

    author, outsider, insider = make_user(), make_user(), make_user()
    private_course = make_course(joining=Course.Joining.INVITE_ONLY)
    enrol(author, insider, course=private_course)
    make_reflection(prompt=make_prompt(lesson=make_lesson(course=private_course)), author=author)
    author.refresh_from_db()
    assert author.post_count == 1
    client.force_login(outsider)
    outside = client.get(profile_url(author)).text
    assert "<strong>0</strong> reflections" in outside and "1 post" not in outside
    client.force_login(insider)
    assert "<strong>1</strong> reflection " in client.get(profile_url(author)).text


def test_the_profile_excerpt_is_the_rendered_text_cut_between_words(client, user):
    """Not the Markdown source: "wrong rota", not ``**wrong rota**``; a link by its text."""
    body = (
        "The **wrong rota** was mine. I read [just culture](https://example.org/just) again. " + "More " * 60
    )
    make_reflection(author=user, body=body)
    client.force_login(user)
    html = client.get(profile_url(user)).text
    assert "The wrong rota was mine. I read just culture again." in html
    assert "**" not in html and "[just" not in html and "…" in html

"""Enrolment and cohorts in the one rule (``Reflection.objects.visible_to``): a sibling of
test_visibility's agreement test, with an enrolled / not enrolled / other-cohort dimension.

A course whose learners see their own cohort: each viewer, through the space page, the permalink
and the author's profile, sees exactly the posts the rule gives, and the rule gives what the
course setting says. An invite-only course: its spaces and posts do not exist for non-members.
"""

import re
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts import roles
from community.models import Reflection
from lessons.models import Course
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

VIEWERS = ["spring_a", "spring_b", "autumn", "not_enrolled", "cohort_facilitator", "facilitator", "moderator",
           "staff"]  # fmt: skip
PROFILE_ITEM = re.compile(r'<li class="profile-activity__item" id="activity-\d+" data-post-id="(\d+)"')


@dataclass
class Cohorts:
    course: Course
    prompt: object
    users: dict
    posts: dict


def build_cohorts(learners_see=Course.LearnersSee.COHORT, joining=Course.Joining.OPEN) -> Cohorts:
    course = make_course(learners_see=learners_see, joining=joining)
    spring = course.cohorts.get()
    spring.name = "Spring"
    spring.save()
    autumn = course.cohorts.create(name="Autumn")
    users = {
        "spring_a": make_user(handle="spring_a"),
        "spring_b": make_user(handle="spring_b"),
        "autumn": make_user(handle="autumn"),
        "not_enrolled": make_user(handle="outside"),
        # A learner-role member who facilitates the Spring cohort: leads the course.
        "cohort_facilitator": make_user(handle="cofac"),
        "facilitator": make_user(role=roles.FACILITATOR, handle="fac"),
        "moderator": make_user(role=roles.MODERATOR, handle="mod"),
        "staff": make_user(role="", handle="staffer", is_staff=True),
    }
    enrol(users["spring_a"], users["spring_b"], course=course, cohort=spring)
    enrol(users["autumn"], course=course, cohort=autumn)
    spring.facilitators.add(users["cohort_facilitator"])
    prompt = make_prompt(lesson=make_lesson(course=course), author=users["facilitator"])
    posts = {
        "spring_a": make_reflection(prompt=prompt, author=users["spring_a"], body="spring words"),
        "autumn": make_reflection(prompt=prompt, author=users["autumn"], body="autumn words"),
        "cohort_facilitator": make_reflection(
            prompt=prompt, author=users["cohort_facilitator"], body="cofac"
        ),
        "staff": make_reflection(prompt=prompt, author=users["staff"], body="staff words"),
    }
    posts["autumn_reply"] = make_reflection(parent=posts["spring_a"], author=users["autumn"], body="cross")
    return Cohorts(course=course, prompt=prompt, users=users, posts=posts)


EXPECTED = {  # which posts each viewer reads with learners_see = own cohort
    "spring_a": {"spring_a", "cohort_facilitator", "staff"},
    "spring_b": {"spring_a", "cohort_facilitator", "staff"},
    "autumn": {"autumn", "autumn_reply", "cohort_facilitator", "staff"},
    "not_enrolled": {"cohort_facilitator", "staff"},
    "cohort_facilitator": {"spring_a", "cohort_facilitator", "staff"},
}


def _shown_post_ids(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', html)}


@pytest.mark.parametrize("name", VIEWERS)
def test_own_cohort_scope_through_every_read_path(client, name):
    world = build_cohorts()
    viewer = world.users[name]
    client.force_login(viewer)
    rule = set(Reflection.objects.visible_to(viewer).values_list("pk", flat=True))
    ids = {key: post.pk for key, post in world.posts.items()}

    # The rule says what the setting says (facilitators, moderators and staff: everything).
    expected = EXPECTED.get(name, set(ids))
    assert rule == {ids[key] for key in expected}, name

    # The space: the rule's posts, except replies whose thread the viewer cannot see.
    shown = _shown_post_ids(client.get(world.prompt.get_absolute_url()).text)
    threads = {pk: Reflection.objects.get(pk=pk).thread_id for pk in rule}
    assert shown == {pk for pk, thread in threads.items() if thread is None or thread in rule}, name

    # The permalink: found or 404, as the rule says.
    for pk in ids.values():
        status = client.get(reverse("community:post", args=[pk])).status_code
        assert status == (HTTPStatus.FOUND if pk in rule else HTTPStatus.NOT_FOUND), (name, pk)

    # The profiles: each author's profile lists the rule's posts by them.
    for author_key in ("spring_a", "autumn"):
        author = world.users[author_key]
        html = client.get(reverse("accounts:profile", args=[author.handle])).text
        listed = {int(pk) for pk in PROFILE_ITEM.findall(html)}
        assert listed == set(Reflection.objects.visible_to(viewer).filter(author=author).values_list(
            "pk", flat=True)), (name, author_key)  # fmt: skip


def test_the_whole_course_setting_shows_every_cohort():
    world = build_cohorts(learners_see=Course.LearnersSee.COURSE)
    visible = set(Reflection.objects.visible_to(world.users["spring_b"]).values_list("pk", flat=True))
    assert visible == {post.pk for post in world.posts.values()}


@pytest.mark.parametrize("name", VIEWERS)
def test_an_invite_only_course_exists_only_for_its_members(client, name):
    world = build_cohorts(learners_see=Course.LearnersSee.COURSE, joining=Course.Joining.INVITE_ONLY)
    client.force_login(world.users[name])
    member = name != "not_enrolled"
    expected = HTTPStatus.OK if member else HTTPStatus.NOT_FOUND
    assert client.get(world.course.get_absolute_url()).status_code == expected
    assert client.get(world.prompt.lesson.get_absolute_url()).status_code == expected
    assert client.get(world.prompt.get_absolute_url()).status_code == expected
    permalink = client.get(world.posts["staff"].get_absolute_url())
    assert permalink.status_code == (HTTPStatus.FOUND if member else HTTPStatus.NOT_FOUND)
    course_list = client.get(reverse("lessons:course-list")).text
    assert (world.course.title in course_list) is member


def test_search_and_notifications_follow_the_cohort_scope():
    """Two more read paths, unchanged: search reads visible_to, and the notification fan-out
    checks each recipient against it."""
    from notifications import services as notifications
    from notifications.models import Notification, Subscription
    from search.services import matching_posts, text_query

    world = build_cohorts()
    users = world.users
    found = {name: set(matching_posts(users[name], text_query("spring")).values_list("pk", flat=True))
             for name in ("spring_b", "autumn", "moderator")}  # fmt: skip
    spring_post = world.posts["spring_a"].pk
    assert spring_post in found["spring_b"] and spring_post in found["moderator"]
    assert spring_post not in found["autumn"]

    for name in ("spring_b", "autumn"):
        notifications.set_activity_level(
            user=users[name], prompt=world.prompt, level=Subscription.Level.WATCHING
        )
    post = make_reflection(prompt=world.prompt, author=users["spring_a"], body="for my cohort")
    notifications.notify_post(post.pk)
    notified = set(Notification.objects.filter(reflection=post).values_list("recipient__handle", flat=True))
    assert "spring_b" in notified and "autumn" not in notified


GATE_COUNT = re.compile(r"(\d+) colleagues? ha(?:s|ve) reflected — add yours to read theirs")


def test_the_gate_counts_only_the_colleagues_whose_reflections_posting_shows(client):
    """Independent reflection in a course whose learners see their own cohort: "N colleagues have
    reflected — add yours to read theirs" counts the people whose reflections posting will show,
    never another cohort's learners (it said "1 colleague", and posting then showed no one)."""
    world = build_cohorts()
    users = world.users
    prompt = make_prompt(lesson=world.prompt.lesson, author=users["facilitator"], independent_reflection=True)

    def gate_count() -> int | None:
        found = GATE_COUNT.search(client.get(prompt.get_absolute_url()).text)
        return int(found[1]) if found else None

    client.force_login(users["spring_a"])
    make_reflection(prompt=prompt, author=users["autumn"], body="another cohort's words")
    assert gate_count() == 0
    make_reflection(prompt=prompt, author=users["cohort_facilitator"], body="the cohort's facilitator")
    make_reflection(prompt=prompt, author=users["spring_b"], body="a cohort colleague")
    make_reflection(prompt=prompt, author=users["spring_b"], body="the same colleague again")
    counted = gate_count()
    assert counted == 2

    posted = client.post(reverse("community:reflection-create", args=[prompt.pk]), {"body": "mine at last"})
    assert posted.status_code == HTTPStatus.FOUND
    assert gate_count() is None  # the gate is open
    shown = Reflection.objects.filter(pk__in=_shown_post_ids(client.get(prompt.get_absolute_url()).text))
    others = set(shown.exclude(author=users["spring_a"]).values_list("author__handle", flat=True))
    assert others == {"spring_b", "cofac"} and len(others) == counted


def test_a_reflection_a_moderator_hid_does_not_open_the_gate(client):
    """Under independent reflection, posting opens colleagues' reflections; a reflection hidden by
    a moderator is read by no colleague, so it opens nothing (nor does a hidden one stay a key)."""
    from community import services
    from community.models import Reflection
    from moderation.services import hide_reflection
    from tests.factories import make_prompt, make_reflection, make_user

    prompt = make_prompt(independent_reflection=True)
    colleague, learner = make_user(), make_user()
    moderator = make_user(role=roles.MODERATOR)
    theirs = make_reflection(prompt=prompt, author=colleague, body="A colleague's view")
    mine = services.create_reflection(prompt=prompt, author=learner, body="My view")
    assert Reflection.objects.visible_to(learner).filter(pk=theirs.pk).exists()
    hide_reflection(reflection=mine, moderator=moderator, reason="Off topic")
    learner = type(learner).objects.get(pk=learner.pk)
    assert not Reflection.objects.visible_to(learner).filter(pk=theirs.pk).exists()
    client.force_login(learner)
    page = client.get(prompt.get_absolute_url()).text
    assert "A colleague's view" not in page

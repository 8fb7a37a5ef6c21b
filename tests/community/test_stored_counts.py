"""``Prompt.reflection_count`` (issue 13): live, shared, shown top-level reflections, kept by the
services and recountable; the space page shows it only where it tells the viewer nothing about
posts they may not read."""

import re

import pytest

from accounts import roles
from community import services
from community.models import Prompt
from lessons.models import Course
from moderation import services as moderation
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


def stored(prompt) -> int:
    return Prompt.objects.get(pk=prompt.pk).reflection_count


def recounted(prompt) -> int:
    services.resync_counts()
    return stored(prompt)


def test_the_services_keep_the_count_exact_through_every_change(settings):
    settings.FLAG_HIDE_THRESHOLD = 2
    prompt = make_prompt()
    moderator = make_user(role=roles.MODERATOR)

    def check(expected: int) -> None:
        assert stored(prompt) == expected == recounted(prompt)

    a = make_reflection(prompt=prompt)
    b = make_reflection(prompt=prompt)
    make_reflection(parent=a)  # a reply is not a reflection of the count
    check(2)
    mine = services.create_reflection(prompt=prompt, author=make_user(), body="Mine", is_private=True)
    check(2)
    services.share_reflection(reflection=mine)
    check(3)
    moderation.hide_reflection(reflection=b, moderator=moderator, reason="Off topic")
    check(2)
    moderation.hide_reflection(reflection=b, moderator=moderator, reason="Again")
    check(2)
    moderation.restore_reflection(reflection=b, moderator=moderator)
    check(3)
    for reporter in (make_user(), make_user()):
        moderation.report_reflection(reflection=b, reporter=reporter, reason="spam")
    check(2)
    moderation.dismiss_reports(reflection=b, moderator=moderator)
    check(3)
    services.delete_reflection(reflection=a)  # a placeholder stays (it has a reply)
    check(2)
    services.delete_reflection(reflection=a)
    check(2)
    moderation.delete_permanently(reflection=b, moderator=moderator, reason="Spam")
    check(1)


@pytest.mark.parametrize(
    "change",
    ["post", "private", "share", "hide", "restore", "auto-hide", "dismiss", "delete", "delete-with-replies"],
)
def test_each_service_agrees_with_a_recount(settings, change):
    settings.FLAG_HIDE_THRESHOLD = 1
    prompt = make_prompt()
    moderator = make_user(role=roles.MODERATOR)
    post = make_reflection(prompt=prompt)
    if change == "post":
        make_reflection(prompt=prompt)
    elif change == "private":
        services.create_reflection(prompt=prompt, author=make_user(), body="x", is_private=True)
    elif change == "share":
        private = services.create_reflection(prompt=prompt, author=make_user(), body="x", is_private=True)
        services.share_reflection(reflection=private)
    elif change == "hide":
        moderation.hide_reflection(reflection=post, moderator=moderator, reason="r")
    elif change == "restore":
        moderation.hide_reflection(reflection=post, moderator=moderator, reason="r")
        moderation.restore_reflection(reflection=post, moderator=moderator)
    elif change == "auto-hide":
        moderation.report_reflection(reflection=post, reporter=make_user(), reason="spam")
    elif change == "dismiss":
        moderation.report_reflection(reflection=post, reporter=make_user(), reason="spam")
        moderation.dismiss_reports(reflection=post, moderator=moderator)
    elif change == "delete":
        services.delete_reflection(reflection=post)
    elif change == "delete-with-replies":
        make_reflection(parent=post)
        services.delete_reflection(reflection=post)
    before = stored(prompt)
    assert before == recounted(prompt)
    expected = {"post": 2, "private": 1, "share": 2, "hide": 0, "restore": 1, "auto-hide": 0, "dismiss": 1,
                "delete": 0, "delete-with-replies": 0}  # fmt: skip
    assert before == expected[change]


def heading_count(client, prompt) -> int:
    text = client.get(prompt.get_absolute_url()).text
    return int(re.search(r'Reflections <span class="muted">\((\d+)\)</span>', text).group(1))


def test_the_heading_counts_what_the_viewer_sees_with_their_own_private_and_hidden(client):
    prompt = make_prompt()
    author = make_user()
    make_reflection(prompt=prompt)
    services.create_reflection(prompt=prompt, author=author, body="Mine alone", is_private=True)
    hidden = make_reflection(prompt=prompt, author=author)
    moderation.hide_reflection(reflection=hidden, moderator=make_user(role=roles.MODERATOR), reason="r")
    client.force_login(author)
    assert heading_count(client, prompt) == 3  # one shared by another, their private and hidden ones
    client.force_login(make_user())
    assert heading_count(client, prompt) == 1
    client.force_login(make_user(role=roles.MODERATOR))
    assert heading_count(client, prompt) == 2  # moderators see hidden posts, never private ones


@pytest.mark.enrolment
def test_a_cohort_learner_never_sees_the_whole_course_count(client):
    course = make_course(learners_see=Course.LearnersSee.COHORT)
    spring = course.cohorts.get()
    autumn = course.cohorts.create(name="Autumn")
    a, b, c = make_user(), make_user(), make_user()
    enrol(a, b, course=course, cohort=spring)
    enrol(c, course=course, cohort=autumn)
    prompt = make_prompt(lesson=make_lesson(course=course))
    make_reflection(prompt=prompt, author=a)
    make_reflection(prompt=prompt, author=c)
    make_reflection(prompt=prompt, author=c)
    assert stored(prompt) == 3
    client.force_login(b)
    assert heading_count(client, prompt) == 1  # their cohort's only
    text = client.get(prompt.get_absolute_url()).text
    assert "3 reflections" not in text


def test_a_gated_activity_lists_no_stored_count_to_a_learner_who_has_not_reflected(client):
    lesson = make_lesson()
    gated = make_prompt(lesson=lesson, title="Gated one", independent_reflection=True)
    make_prompt(lesson=lesson, title="Open one")
    for _ in range(4):
        make_reflection(prompt=gated)
    assert stored(gated) == 4
    client.force_login(make_user())
    text = client.get(lesson.get_community_url()).text
    assert "4 reflections" not in text and "0 reflections" in text

"""The learner sees what their course records for a graded activity, on its space: what will
make it complete, then what the platform's gradebook was sent ("Your course records this
activity as complete"); a facilitator sees the rule. A kept page (ETag) follows the score."""

from http import HTTPStatus

import pytest

from accounts import roles
from lti import tasks
from lti.models import GradedActivity
from tests.factories import make_prompt, make_reflection, make_user
from tests.lti import test_grades
from tests.lti.test_grades import account, graded_launch

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]
prompt = test_grades.prompt  # the fixture: an activity of a course linked to the platform's context

COMPLETE = "Your course records this activity as complete."


def test_the_learner_sees_what_their_course_records(
    client, registered, prompt, django_capture_on_commit_callbacks
):
    graded_launch(client, registered, prompt, replies="1", capture=django_capture_on_commit_callbacks)
    graded = GradedActivity.objects.get()
    learner = account("lms-user-1")
    url = prompt.get_absolute_url()
    client.get(url)  # the launch's page (with its message: never kept)
    page = client.get(url)
    assert (
        "Your course records this activity as complete once you reflect here and reply to 1 colleague."
        in page.text
    )
    colleague_post = make_reflection(prompt=prompt, author=make_user(), body="A colleague's")
    make_reflection(prompt=prompt, author=learner, body="Mine")
    make_reflection(parent=colleague_post, author=learner, body="A reply")
    client.get(url)  # "New" markers, seen once
    before = client.get(url)
    assert COMPLETE not in before.text  # not sent to the gradebook yet

    tasks.send_scores(graded_id=graded.pk)  # writes only the learner's score: their version moves
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == HTTPStatus.OK and COMPLETE in after.text  # never a stale 304
    kept = client.get(url, headers={"If-None-Match": after.headers["ETag"]})
    assert kept.status_code == HTTPStatus.NOT_MODIFIED


def test_a_facilitator_sees_the_rule_and_other_activities_show_nothing(
    client, registered, prompt, django_capture_on_commit_callbacks
):
    graded_launch(client, registered, prompt, capture=django_capture_on_commit_callbacks)
    client.force_login(make_user(role=roles.FACILITATOR))
    assert (
        "Graded in your learning platform: complete once a learner reflects here."
        in client.get(prompt.get_absolute_url()).text
    )
    other = make_prompt(lesson=prompt.lesson, title="Not graded")
    assert "learning platform" not in client.get(other.get_absolute_url()).text


def test_insights_show_each_learners_state_in_the_gradebook(
    client, registered, prompt, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    graded_launch(client, registered, prompt, capture=django_capture_on_commit_callbacks)
    graded_launch(client, registered, prompt, sub="lms-user-2", capture=django_capture_on_commit_callbacks)
    make_reflection(prompt=prompt, author=account("lms-user-1"), body="Mine")
    tasks.send_scores(graded_id=GradedActivity.objects.get().pk)
    client.force_login(make_user(role=roles.FACILITATOR))
    page = client.get(reverse("insights:activity", args=[prompt.pk])).text
    assert "Learning platform gradebook" in page
    assert (
        "1 recorded as complete, 0 as not complete, 0 failed and being tried again, 1 with nothing sent yet"
        in page
    )
    assert page.count("Recorded as complete (") == 1 and page.count("Nothing sent yet") == 1
    other = make_prompt(lesson=prompt.lesson, title="Not graded")
    assert "Learning platform gradebook" not in client.get(reverse("insights:activity", args=[other.pk])).text

"""Grades (AGS): a participation score per graded activity, sent by the worker when it changes."""

import re
from http import HTTPStatus

import jwt
import pytest
from lti_tool.models import LtiContext, LtiDeployment

from lti import tasks
from lti.models import CourseLink, GradedActivity, Platform, ScoreSync
from tests.factories import make_course, make_lesson, make_prompt, make_reflection, make_user
from tests.lti.conftest import INSTRUCTOR, LEARNER, LTI, launch
from tests.lti.test_deep_link import deep_link_claims

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@pytest.fixture
def prompt(registered):
    course = make_course()
    context = LtiContext.objects.create(deployment=LtiDeployment.objects.get(), id_on_platform="context-1")
    CourseLink.objects.create(context=context, course=course)
    return make_prompt(lesson=make_lesson(course=course))


def graded_launch(client, platform, prompt, *, replies="0", sub="lms-user-1", capture=None):
    claims = {
        f"{LTI}/custom": {"reflect_activity": str(prompt.pk), "reflect_replies": replies},
        AGS: {
            "scope": [SCORE],
            "lineitem": f"{platform.issuer}/lineitems/7",
            "lineitems": f"{platform.issuer}/lineitems",
        },
    }
    with capture(execute=True):
        return launch(client, platform, sub=sub, **claims)


def account(sub):
    from accounts.models import User

    return User.objects.get(lti_users__sub=sub)


def test_adding_a_graded_activity_sends_a_line_item_with_the_rule(client, registered):
    course = make_course()
    prompt = make_prompt(lesson=make_lesson(course=course), title="Listening well")
    Platform.objects.get().courses.add(course)
    launch(client, registered, **deep_link_claims())
    back = client.post(
        "/lti/deep-link/",
        {"course": course.pk, "lesson": prompt.lesson.pk, "activity": prompt.pk, "grade": "2"},
    )
    token = re.search(r'name="JWT" value="([^"]+)"', back.content.decode())[1]
    [item] = jwt.decode(token, options={"verify_signature": False})[
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
    ]
    assert item["lineItem"] == {
        "scoreMaximum": 1, "label": "Participation: Listening well",
        "resourceId": f"reflect-activity-{prompt.pk}", "tag": "reflect-participation",
    }  # fmt: skip
    assert item["custom"]["reflect_replies"] == "2"


def test_a_learner_who_reflects_is_recorded_complete_once(
    client, registered, prompt, django_capture_on_commit_callbacks
):
    response = graded_launch(client, registered, prompt, capture=django_capture_on_commit_callbacks)
    assert response.status_code == HTTPStatus.FOUND
    graded = GradedActivity.objects.get()
    assert (graded.prompt, graded.lineitem_url, graded.replies_required) == (
        prompt, f"{registered.issuer}/lineitems/7", 0,
    )  # fmt: skip
    assert registered.scores == []  # nothing to say before they post
    make_reflection(prompt=prompt, author=account("lms-user-1"), body="My reflection")
    tasks.send_scores(graded_id=graded.pk)
    [(path, score)] = registered.scores
    assert path == "/lineitems/7/scores"
    assert (score["userId"], score["scoreGiven"], score["scoreMaximum"]) == ("lms-user-1", 1, 1)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    tasks.send_scores(graded_id=graded.pk)
    assert len(registered.scores) == 1  # unchanged: not sent again
    assert ScoreSync.objects.get().status == ScoreSync.Status.SENT


def test_replies_to_colleagues_complete_the_stricter_rule(
    client, registered, prompt, django_capture_on_commit_callbacks
):
    graded_launch(client, registered, prompt, replies="1", capture=django_capture_on_commit_callbacks)
    graded = GradedActivity.objects.get()
    learner = account("lms-user-1")
    make_reflection(prompt=prompt, author=learner, body="Mine")
    tasks.send_scores(graded_id=graded.pk)
    assert registered.scores[-1][1]["scoreGiven"] == 0
    assert registered.scores[-1][1]["activityProgress"] == "InProgress"
    colleague_post = make_reflection(prompt=prompt, author=make_user(), body="A colleague's")
    make_reflection(parent=colleague_post, author=learner, body="A reply")
    tasks.send_scores(graded_id=graded.pk)
    assert registered.scores[-1][1]["scoreGiven"] == 1


def test_a_failing_gradebook_is_retried_and_nothing_is_lost(
    client, registered, prompt, django_capture_on_commit_callbacks
):
    graded_launch(client, registered, prompt, capture=django_capture_on_commit_callbacks)
    graded = GradedActivity.objects.get()
    make_reflection(prompt=prompt, author=account("lms-user-1"), body="Mine")
    registered.failing = True
    with pytest.raises(tasks.ScoresNotSent):
        tasks.send_scores(graded_id=graded.pk)
    assert ScoreSync.objects.get().status == ScoreSync.Status.FAILED
    assert tasks.send_scores.retry_strategy.max_attempts > 1
    registered.failing = False
    tasks.send_scores(graded_id=graded.pk)
    assert (
        ScoreSync.objects.get().status == ScoreSync.Status.SENT
        and registered.scores[-1][1]["scoreGiven"] == 1
    )


def test_an_instructors_launch_of_a_graded_activity_sends_them_no_score(
    client, registered, prompt, django_capture_on_commit_callbacks
):
    claims = {
        f"{LTI}/custom": {"reflect_activity": str(prompt.pk)},
        AGS: {"scope": [SCORE], "lineitem": f"{registered.issuer}/lineitems/7"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        launch(client, registered, roles=[INSTRUCTOR], **claims)
    make_reflection(prompt=prompt, author=account("lms-user-1"), body="A facilitator's word")
    tasks.send_scores(graded_id=GradedActivity.objects.get().pk)
    assert registered.scores == []


def test_no_line_item_no_grading(client, registered, prompt):
    launch(client, registered, roles=[LEARNER], **{f"{LTI}/custom": {"reflect_activity": str(prompt.pk)}})
    assert not GradedActivity.objects.exists()

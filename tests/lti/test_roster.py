"""Roster sync (NRPS): the worker reads the context's members from the platform, page by page,
and applies them; a failing platform changes nothing and the job is retried."""

import json
from http import HTTPStatus

import jwt
import pytest
from lti_tool.models import LtiContext, LtiDeployment

from community.models import Reflection
from lessons.models import Cohort, Enrolment
from lessons.permissions import takes_part
from lti import tasks
from lti.models import CourseLink
from tests.factories import make_course, make_lesson, make_prompt, make_reflection, make_user
from tests.lti.conftest import INSTRUCTOR, LEARNER, launch

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


def member(user_id, *roles, status="Active", name=None):
    return {"user_id": user_id, "status": status, "name": name or f"Member {user_id}", "roles": list(roles)}


@pytest.fixture
def link(registered):
    course = make_course()
    context = LtiContext.objects.create(
        deployment=LtiDeployment.objects.get(),
        id_on_platform="context-1",
        memberships_url=f"{registered.issuer}/memberships",
    )
    return CourseLink.objects.create(context=context, course=course)


def account(sub):
    from accounts.models import User

    return User.objects.get(lti_users__sub=sub)


def test_a_launch_syncs_the_roster_following_its_pages(
    client, registered, link, django_capture_on_commit_callbacks
):
    registered.member_pages = [
        [member("teacher-1", INSTRUCTOR), member("learner-1", LEARNER)],
        [member("learner-2", LEARNER, name="Grace Hopper"), member("lms-user-1", LEARNER)],
    ]
    claims = {
        NRPS: {"context_memberships_url": f"{registered.issuer}/memberships", "service_versions": ["2.0"]}
    }
    with django_capture_on_commit_callbacks(execute=True):  # the job, queued after the commit
        assert launch(client, registered, **claims).status_code == HTTPStatus.FOUND
    assert "/memberships?page=2" in registered.requests  # the second page was followed
    cohort = Cohort.objects.get(course=link.course)
    assert set(Enrolment.objects.filter(course=link.course).values_list("user__lti_users__sub", flat=True)) == {
        "lms-user-1", "learner-1", "learner-2",
    }  # fmt: skip
    assert account("learner-2").display_name == "Grace Hopper"
    assert cohort.facilitators.filter(pk=account("teacher-1").pk).exists()
    link.refresh_from_db()
    assert link.roster_synced_at is not None and link.roster_status.startswith("Synced")

    # Reflect asked for the token with a client assertion signed by its published key.
    [request] = registered.token_requests
    assertion = request["client_assertion"]
    keys = json.loads(client.get("/.well-known/jwks.json").content)["keys"]
    key = next(k for k in keys if k["kid"] == jwt.get_unverified_header(assertion)["kid"])
    claims = jwt.decode(
        assertion, jwt.PyJWK(key).key, algorithms=["RS256"], audience=f"{registered.issuer}/token"
    )
    assert claims["iss"] == claims["sub"] == registered.client_id
    assert "contextmembership.readonly" in request["scope"]


def test_members_dropped_in_the_platform_lose_their_place_and_keep_their_words(registered, link):
    registered.member_pages = [[member("learner-1", LEARNER), member("learner-2", LEARNER)]]
    tasks.sync_roster(link_id=link.pk)
    leaver = account("learner-2")
    prompt = make_prompt(lesson=make_lesson(course=link.course))
    post = make_reflection(prompt=prompt, author=leaver, body="What I learnt")
    registered.member_pages = [
        [member("learner-1", LEARNER), member("learner-3", LEARNER, status="Inactive")]
    ]
    tasks.sync_roster(link_id=link.pk)
    assert not Enrolment.objects.filter(user=leaver, course=link.course).exists()
    assert not takes_part(leaver.__class__.objects.get(pk=leaver.pk), link.course.pk)  # may no longer post
    assert Reflection.objects.filter(pk=post.pk).exists()  # their words stay
    assert Enrolment.objects.filter(user=account("learner-1")).exists()
    assert not Enrolment.objects.filter(user__lti_users__sub="learner-3").exists()  # inactive: no place


def test_role_changes_in_the_platform_are_applied(registered, link):
    registered.member_pages = [[member("person-1", LEARNER)]]
    tasks.sync_roster(link_id=link.pk)
    person = account("person-1")
    registered.member_pages = [[member("person-1", INSTRUCTOR)]]
    tasks.sync_roster(link_id=link.pk)
    assert Cohort.objects.filter(course=link.course, facilitators=person).exists()
    registered.member_pages = [[member("person-1", LEARNER)]]
    tasks.sync_roster(link_id=link.pk)
    assert not Cohort.objects.filter(course=link.course, facilitators=person).exists()
    assert Enrolment.objects.filter(user=person, course=link.course).exists()


def test_a_failing_platform_changes_nothing_and_the_job_fails_to_be_retried(registered, link):
    registered.member_pages = [[member("learner-1", LEARNER)]]
    tasks.sync_roster(link_id=link.pk)
    registered.failing = True
    registered.member_pages = []
    with pytest.raises(Exception):  # noqa: B017 (Procrastinate retries whatever the job raises)
        tasks.sync_roster(link_id=link.pk)
    assert Enrolment.objects.filter(user=account("learner-1"), course=link.course).exists()
    link.refresh_from_db()
    assert link.roster_status.startswith("Failed, will retry")
    assert tasks.sync_roster.retry_strategy.max_attempts > 1
    registered.failing = False
    registered.member_pages = [[member("learner-1", LEARNER)]]
    tasks.sync_roster(link_id=link.pk)
    link.refresh_from_db()
    assert link.roster_status.startswith("Synced")


def test_a_facilitator_syncs_the_roster_now_and_learners_may_not(
    client, registered, link, django_capture_on_commit_callbacks
):
    registered.member_pages = [[member("learner-1", LEARNER)]]
    facilitator = make_user()
    Cohort.objects.get(course=link.course).facilitators.add(facilitator)
    client.force_login(facilitator)
    page = client.get(f"/lti/courses/{link.course.slug}/roster/")
    assert page.status_code == HTTPStatus.OK and "Sync roster now" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/lti/roster/{link.pk}/sync/")
    assert response.status_code == HTTPStatus.FOUND
    assert Enrolment.objects.filter(user=account("learner-1")).exists()  # the job ran (inline in tests)
    learner = make_user()
    client.force_login(learner)
    assert client.post(f"/lti/roster/{link.pk}/sync/").status_code == HTTPStatus.FORBIDDEN
    assert client.get(f"/lti/courses/{link.course.slug}/roster/").status_code == HTTPStatus.FORBIDDEN


def test_a_member_without_a_status_is_active(registered, link):
    registered.member_pages = [[{"user_id": "quiet-1", "roles": [LEARNER], "name": "No Status"}]]
    tasks.sync_roster(link_id=link.pk)
    assert Enrolment.objects.filter(user=account("quiet-1"), course=link.course).exists()

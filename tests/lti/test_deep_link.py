"""Deep linking: an instructor picks course → lesson → activity, and the platform receives a
signed LtiResourceLink, checked here with the key Reflect publishes."""

import json
import re
from html import unescape
from http import HTTPStatus

import jwt
import pytest
from django.test import Client
from lti_tool.models import LtiContext, LtiRegistration

from lti.models import CourseLink, Platform
from tests.factories import make_course, make_lesson, make_prompt
from tests.lti.conftest import INSTRUCTOR, LEARNER, LTI, launch

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

DL = "https://purl.imsglobal.org/spec/lti-dl/claim"
RETURN_URL = "https://lms.example.edu/deep-link/return"


def deep_link_claims(roles=(INSTRUCTOR,)):
    return {
        "roles": list(roles),
        f"{LTI}/message_type": "LtiDeepLinkingRequest",
        f"{LTI}/resource_link": None,
        f"{DL}/deep_linking_settings": {
            "deep_link_return_url": RETURN_URL,
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"],
            "data": "opaque-platform-data",
        },
    }


def public_key(client, kid):
    keys = json.loads(client.get("/.well-known/jwks.json").content)["keys"]
    return jwt.PyJWK(next(key for key in keys if key["kid"] == kid)).key


def test_an_instructor_picks_an_activity_and_the_platform_gets_a_signed_resource_link(client, registered):
    course = make_course(title="Leading change")
    lesson = make_lesson(course=course, title="Listening")
    prompt = make_prompt(lesson=lesson, title="When did you last change your mind?")
    Platform.objects.get(registration__issuer=registered.issuer).courses.add(course)

    response = launch(client, registered, **deep_link_claims())
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/lti/deep-link/"
    picker = client.get("/lti/deep-link/")
    assert "Leading change" in picker.content.decode()  # the only course: already chosen
    lessons = client.get("/lti/deep-link/", {"course": course.pk})
    assert "Listening" in lessons.content.decode()
    activities = client.get("/lti/deep-link/", {"course": course.pk, "lesson": lesson.pk})
    assert prompt.title in unescape(activities.content.decode())

    back = client.post("/lti/deep-link/", {"course": course.pk, "lesson": lesson.pk, "activity": prompt.pk})
    assert back.status_code == HTTPStatus.OK
    page = back.content.decode()
    assert f'action="{RETURN_URL}"' in page
    assert "form-action 'self' https://lms.example.edu" in back["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', page)[1]
    kid = jwt.get_unverified_header(token)["kid"]
    message = jwt.decode(token, public_key(client, kid), algorithms=["RS256"], audience=registered.issuer)
    assert message["iss"] == registered.client_id
    assert message[f"{LTI}/message_type"] == "LtiDeepLinkingResponse"
    assert message[f"{LTI}/deployment_id"] == registered.deployment_id
    assert message[f"{DL}/data"] == "opaque-platform-data"
    [item] = message[f"{DL}/content_items"]
    assert item["type"] == "ltiResourceLink" and item["title"] == prompt.title
    assert item["url"] == "http://testserver/lti/launch/"
    assert item["custom"] == {"reflect_lesson": str(lesson.pk), "reflect_activity": str(prompt.pk)}

    link = CourseLink.objects.get(context__id_on_platform="context-1")
    assert link.course == course  # the LMS course is this Reflect course from now on
    assert course.cohorts.filter(facilitators__lti_users__sub="lms-user-1").exists()

    # The platform later launches the link it received: the learner lands on the activity.
    learner = Client()
    landed = launch(
        learner, registered, sub="learner-1", roles=[LEARNER], **{f"{LTI}/custom": item["custom"]}
    )
    assert landed["Location"] == f"{lesson.get_community_url()}activities/{prompt.pk}/"


def test_a_learner_cannot_add_activities(client, registered):
    response = launch(client, registered, **deep_link_claims(roles=[LEARNER]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "instructors" in response.content.decode()


def test_only_the_courses_open_to_the_platform_can_be_picked(client, registered):
    allowed, other = make_course(title="Open to the LMS"), make_course(title="Not for this LMS")
    Platform.objects.get(registration=LtiRegistration.objects.get()).courses.add(allowed)
    lesson = make_lesson(course=other)
    launch(client, registered, **deep_link_claims())
    picker = client.get("/lti/deep-link/").content.decode()
    assert "Open to the LMS" in picker and "Not for this LMS" not in picker
    response = client.post("/lti/deep-link/", {"course": other.pk, "lesson": lesson.pk, "activity": ""})
    assert "JWT" not in response.content.decode()
    assert not CourseLink.objects.exists()


def test_a_linked_context_offers_its_course_only(client, registered):
    from lti_tool.models import LtiDeployment

    linked, other = make_course(title="Already linked"), make_course(title="Another course")
    Platform.objects.get().courses.add(other)
    context = LtiContext.objects.create(deployment=LtiDeployment.objects.get(), id_on_platform="context-1")
    CourseLink.objects.create(context=context, course=linked)
    launch(client, registered, **deep_link_claims())
    picker = client.get("/lti/deep-link/").content.decode()
    assert "Already linked" in picker and "Another course" not in picker


def test_the_picker_without_a_deep_linking_launch_says_where_to_start(client, registered):
    from tests.factories import make_user

    client.force_login(make_user())
    response = client.get("/lti/deep-link/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Start from your learning platform" in response.content.decode()

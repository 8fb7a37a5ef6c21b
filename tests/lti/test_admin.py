"""The admin: a registration with its deployments and Reflect's settings; linking an LMS course."""

from http import HTTPStatus

import pytest
from lti_tool.models import LtiContext, LtiDeployment, LtiRegistration

from lti.models import CourseLink
from tests.factories import make_course, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_the_registration_page_shows_deployments_settings_and_the_tools_urls(admin_client, registered):
    registration = LtiRegistration.objects.get()
    page = admin_client.get(f"/admin/lti_tool/ltiregistration/{registration.pk}/change/")
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert "deployment-1" in text and "Frame origins" in text
    assert f"/lti/login/{registration.uuid}/" in text and "/.well-known/jwks.json" in text


@pytest.mark.parametrize(
    "path",
    [
        "/admin/lti/courselink/", "/admin/lti/courselink/add/", "/admin/lti/gradedactivity/",
        "/admin/lti/scoresync/", "/admin/lti/sectioncohort/", "/admin/lti_tool/key/",
        "/admin/lti_tool/ltiregistration/add/",
    ],
)  # fmt: skip
def test_the_lti_admin_pages_open(admin_client, registered, path):
    assert admin_client.get(path).status_code == HTTPStatus.OK


def test_an_admin_links_an_lms_course_to_a_reflect_course(admin_client, registered):
    course = make_course()
    context = LtiContext.objects.create(deployment=LtiDeployment.objects.get(), id_on_platform="context-1")
    response = admin_client.post("/admin/lti/courselink/add/", {"context": context.pk, "course": course.pk})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    link = CourseLink.objects.get()
    assert (link.context, link.course, link.linked_by.is_superuser) == (context, course, True)

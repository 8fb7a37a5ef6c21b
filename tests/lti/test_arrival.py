"""Who arrives from the platform: roles, cohorts and where the launch lands."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group

from accounts import roles as site_roles
from accounts.models import User
from lessons.models import Cohort, Enrolment
from lti.models import CourseLink, SectionCohort
from tests.factories import make_course, make_lesson, make_prompt
from tests.lti.conftest import (
    ADMINISTRATOR,
    CONTENT_DEVELOPER,
    INSTITUTION_ADMIN,
    INSTRUCTOR,
    LEARNER,
    LTI,
    TEACHING_ASSISTANT,
    launch,
)

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


@pytest.fixture
def course(registered):
    from lti_tool.models import LtiContext, LtiDeployment

    course = make_course()
    context = LtiContext.objects.create(deployment=LtiDeployment.objects.get(), id_on_platform="context-1")
    CourseLink.objects.create(context=context, course=course)
    return course


def arrived(sub="lms-user-1") -> User:
    return User.objects.get(lti_users__sub=sub)


def test_a_learner_is_enrolled_in_the_courses_current_cohort(client, registered, course):
    launch(client, registered, roles=[LEARNER])
    user = arrived()
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.course == course and enrolment.cohort == Cohort.objects.get(course=course)
    assert not Cohort.objects.filter(facilitators=user).exists()


@pytest.mark.parametrize(
    "role", [INSTRUCTOR, TEACHING_ASSISTANT, CONTENT_DEVELOPER, ADMINISTRATOR, "Instructor"]
)
def test_those_who_lead_the_context_facilitate_the_course_and_nothing_more(client, registered, course, role):
    launch(client, registered, roles=[role])
    user = arrived()
    assert Cohort.objects.filter(course=course, facilitators=user).exists()
    assert not Enrolment.objects.filter(user=user).exists()
    assert not (user.is_staff or user.is_superuser)
    assert not user.groups.filter(name__in=[site_roles.FACILITATOR, site_roles.MODERATOR]).exists()


def test_an_institution_administrator_is_neither_staff_nor_enrolled(client, registered, course):
    launch(client, registered, roles=[INSTITUTION_ADMIN])
    user = arrived()
    assert not (user.is_staff or user.is_superuser)
    assert not Enrolment.objects.filter(user=user).exists()
    assert not Cohort.objects.filter(facilitators=user).exists()
    assert set(user.groups.values_list("name", flat=True)) == {site_roles.LEARNER}


def test_an_lms_section_is_a_cohort_and_learners_follow_their_section(client, registered, course):
    from django.test import Client

    launch(client, registered, **{f"{LTI}/lis": {"course_section_sourcedid": "sec-A"}})
    cohort_a = SectionCohort.objects.get(section_id="sec-A").cohort
    assert cohort_a.course == course and "section sec-A" in cohort_a.name
    assert Enrolment.objects.get(user=arrived()).cohort == cohort_a
    other = Client()
    launch(other, registered, sub="lms-user-2", **{f"{LTI}/lis": {"course_section_sourcedid": "sec-A"}})
    assert Enrolment.objects.get(user=arrived("lms-user-2")).cohort == cohort_a  # the same cohort
    launch(client, registered, **{f"{LTI}/lis": {"course_section_sourcedid": "sec-B"}})
    cohort_b = SectionCohort.objects.get(section_id="sec-B").cohort
    assert Enrolment.objects.get(user=arrived()).cohort == cohort_b  # moved with their section
    assert Cohort.objects.filter(course=course).count() == 3  # the course's own, and one per section


def test_an_instructor_of_a_section_facilitates_its_cohort(client, registered, course):
    launch(client, registered, roles=[INSTRUCTOR], **{f"{LTI}/lis": {"course_section_sourcedid": "sec-A"}})
    assert SectionCohort.objects.get(section_id="sec-A").cohort.facilitators.filter(pk=arrived().pk).exists()


def test_the_launch_lands_on_the_activity_the_link_names(client, registered, course):
    lesson = make_lesson(course=course)
    prompt = make_prompt(lesson=lesson)
    response = launch(client, registered, **{f"{LTI}/custom": {"reflect_activity": str(prompt.pk)}})
    assert response["Location"] == f"{lesson.get_community_url()}activities/{prompt.pk}/"
    assert client.get(response["Location"]).status_code == HTTPStatus.OK  # enrolled, so it opens


def test_the_launch_lands_on_the_lesson_space_the_link_names(client, registered, course):
    lesson = make_lesson(course=course)
    response = launch(client, registered, **{f"{LTI}/custom": {"reflect_lesson": str(lesson.pk)}})
    assert response["Location"] == lesson.get_community_url()


def test_an_activity_of_another_course_is_not_where_the_launch_lands(client, registered, course):
    elsewhere = make_prompt(lesson=make_lesson(course=make_course()))
    response = launch(client, registered, **{f"{LTI}/custom": {"reflect_activity": str(elsewhere.pk)}})
    assert response["Location"] == course.get_absolute_url()


@pytest.mark.parametrize(
    ("role", "says"), [(INSTRUCTOR, "Add Reflect to your course"), (LEARNER, "has not chosen")]
)
def test_a_context_not_linked_yet_says_what_to_do(client, registered, role, says):
    response = launch(client, registered, roles=[role])
    assert response.status_code == HTTPStatus.OK
    assert says in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_learner_role_group_is_the_only_site_role_given(client, registered, course):
    launch(client, registered, roles=[INSTRUCTOR, LEARNER])
    assert list(arrived().groups.all()) == [Group.objects.get(name=site_roles.LEARNER)]

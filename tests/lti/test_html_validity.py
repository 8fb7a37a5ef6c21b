"""The LTI pages are valid HTML (the Nu HTML Checker, in one run)."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from lessons.models import Cohort
from lti.models import CourseLink, Platform
from tests.factories import make_course, make_lesson, make_prompt, make_user
from tests.html_validation import nu_errors, require_java
from tests.lti.conftest import INSTRUCTOR, launch
from tests.lti.test_deep_link import deep_link_claims

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def test_the_lti_pages_are_valid_html(client, registered, pytestconfig):
    require_java(pytestconfig)
    pages = {}
    login = urlsplit(registered.urls["login_url"]).path
    pages["cookie check"] = client.get(login, {"iss": registered.issuer, "login_hint": "h"}).content.decode()
    pages["refused"] = client.post("/lti/launch/", {"id_token": "x.y.z", "state": "s"}).content.decode()
    pages["not linked"] = launch(client, registered, roles=[INSTRUCTOR]).content.decode()

    course = make_course(title="Leading change")
    lesson = make_lesson(course=course)
    prompt = make_prompt(lesson=lesson)
    Platform.objects.get().courses.add(course, make_course())
    picker = Client()
    launch(picker, registered, sub="teacher-2", **deep_link_claims())
    pages["picker: courses"] = picker.get("/lti/deep-link/").content.decode()
    pages["picker: activities"] = picker.get(
        "/lti/deep-link/", {"course": course.pk, "lesson": lesson.pk}
    ).content.decode()
    back = picker.post("/lti/deep-link/", {"course": course.pk, "lesson": lesson.pk, "activity": prompt.pk})
    pages["deep link return"] = back.content.decode()

    existing = make_user(email="ada@example.org")
    offer = Client()
    pages["existing account"] = launch(offer, registered, sub="ada-2").content.decode()
    confirm = re.search(r"next=([^\"&]+)", pages["existing account"])[1].replace("%2F", "/")
    owner = Client()
    owner.force_login(existing)
    pages["link account"] = owner.get(confirm).content.decode()
    assert "Yes, use this account" in pages["link account"]

    link = CourseLink.objects.get()
    facilitator = make_user()
    Cohort.objects.filter(course=link.course).first().facilitators.add(facilitator)
    roster = Client()
    roster.force_login(facilitator)
    pages["roster"] = roster.get(f"/lti/courses/{link.course.slug}/roster/").content.decode()

    errors = {name: found for name, found in nu_errors(pages).items() if found}
    assert not errors, errors

"""WCAG 2.2 SC 3.3.7 Redundant Entry: a PDF asked for with filters (a course, a range of days) leads
back to the learning log with those filters, so trying again or carrying on never means choosing
them again."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from journal.models import LogExport
from tests.factories import make_prompt, make_reflection

pytestmark = pytest.mark.django_db


def test_the_pdf_page_leads_back_to_the_log_with_the_filters_it_was_asked_with(auth_client, user):
    prompt = make_prompt()
    make_reflection(prompt=prompt, author=user, body="Spoke up at handover.")
    course = prompt.lesson.course
    auth_client.post(
        reverse("journal:export-pdf"), {"course": course.pk, "from": "2026-01-01", "to": "2026-03-31"}
    )
    export = LogExport.objects.get(user=user)
    page = auth_client.get(export.get_absolute_url())
    back = page.context["log_url"]
    assert f'href="{back}"' in page.content.decode().replace("&amp;", "&")
    assert urlsplit(back).path == reverse("journal:learning-log")
    assert parse_qs(urlsplit(back).query) == {
        "course": [str(course.pk)], "from": ["2026-01-01"], "to": ["2026-03-31"]
    }  # fmt: skip
    log = auth_client.get(back)
    assert log.context["filters"].course_id == course.pk  # the log shows what the PDF holds


def test_a_pdf_of_the_whole_log_leads_back_to_the_whole_log(auth_client, user):
    auth_client.post(reverse("journal:export-pdf"), {})
    page = auth_client.get(LogExport.objects.get(user=user).get_absolute_url())
    assert page.context["log_url"] == reverse("journal:learning-log")

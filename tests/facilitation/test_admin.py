from http import HTTPStatus

import pytest
from django.urls import reverse

from community.models import Prompt
from facilitation.models import HeardSettings
from tests.factories import make_prompt
from tests.service_writes import writes_outside_services

pytestmark = pytest.mark.django_db


def _prompt_fields(prompt, **changes) -> dict:
    data = {"lesson": prompt.lesson.pk, "title": prompt.title, "body": prompt.body, "pin_position": 0}
    if any(field.name == "anonymous_posting" for field in Prompt._meta.fields):  # after the merge with it
        data["anonymous_posting"] = "off"
    return data | changes


def _form(prompt, **heard) -> dict:
    data = _prompt_fields(prompt)
    prefix = "heard_settings"
    data |= {f"{prefix}-TOTAL_FORMS": 1, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0}
    data |= {f"{prefix}-MAX_NUM_FORMS": 1, f"{prefix}-0-prompt": prompt.pk}
    data |= {f"{prefix}-0-{name}": value for name, value in heard.items()}
    return data


def test_the_prompt_admin_switches_every_reflection_heard_through_the_service(client, lead):
    prompt = make_prompt(author=lead)
    client.force_login(lead)
    url = reverse("admin:community_prompt_change", args=[prompt.pk])
    page = client.get(url)
    assert "Every reflection gets a response" in page.text
    with writes_outside_services() as outside:
        response = client.post(url, _form(prompt, enabled="on", window_hours=12))
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["errors"]
    assert outside == []
    heard = HeardSettings.objects.get(prompt=prompt)
    assert (heard.enabled, heard.window_hours) == (True, 12)


def test_a_prompt_form_without_the_inline_leaves_the_setting_alone(client, lead):
    prompt = make_prompt(author=lead)
    client.force_login(lead)
    url = reverse("admin:community_prompt_change", args=[prompt.pk])
    assert client.post(url, _prompt_fields(prompt, title="Changed")).status_code == HTTPStatus.FOUND
    assert not HeardSettings.objects.exists()

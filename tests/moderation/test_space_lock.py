"""Moderators lock and unlock an activity from its space (moderation adds the button through the
space page's extensions), and no one else is offered it."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from moderation.models import ModerationAction
from tests.factories import make_prompt, make_reflection

pytestmark = pytest.mark.django_db


def test_a_moderator_locks_and_unlocks_an_activity_from_its_space(client, moderator):
    prompt = make_prompt()
    make_reflection(prompt=prompt)
    lock_url = reverse("moderation:lock", args=[prompt.pk])
    client.force_login(moderator)
    page = client.get(prompt.get_absolute_url()).text
    assert f'action="{lock_url}"' in page and "Lock the activity" in page
    response = client.post(lock_url, {"locked": "1"})
    assert response.status_code == HTTPStatus.FOUND and response.url == prompt.get_absolute_url()
    prompt.refresh_from_db()
    assert prompt.is_locked
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.LOCK, prompt=prompt).exists()
    page = client.get(response.url).text
    assert "Unlock the activity" in page and '<span class="badge">Locked</span>' in page
    client.post(lock_url, {"locked": "0"})
    prompt.refresh_from_db()
    assert not prompt.is_locked
    assert "Lock the activity" in client.get(prompt.get_absolute_url()).text


@pytest.mark.parametrize("who", ["user", "facilitator"])
def test_only_moderators_are_offered_the_lock(client, request, who):
    prompt = make_prompt()
    client.force_login(request.getfixturevalue(who))
    page = client.get(prompt.get_absolute_url()).text
    assert reverse("moderation:lock", args=[prompt.pk]) not in page
    assert "Lock the activity" not in page

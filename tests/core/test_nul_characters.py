r"""NUL characters (``%00``, ``\0``), which PostgreSQL cannot store, are answered 400 before any view
sees them, in an address or in a form, and nothing changes (core.middleware.RejectNulMiddleware)."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Suspension
from community.models import Reflection
from tests.factories import make_prompt

pytestmark = pytest.mark.django_db


def test_nul_in_a_profile_address_is_400(client):
    response = client.get("/u/%00/")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("url", ["/moderation/members/%00/", "/moderation/members/mo%00x/", "/?page=%00"])
def test_nul_in_a_moderators_addresses_is_400(client, moderator, url):
    client.force_login(moderator)
    assert client.get(url).status_code == HTTPStatus.BAD_REQUEST


def test_nul_in_a_lock_reason_is_400_and_nothing_changes(client, moderator):
    prompt = make_prompt()
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:lock", args=[prompt.pk]), {"locked": "1", "reason": "Closed\0"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "NUL character" in response.content.decode()
    prompt.refresh_from_db()
    assert not prompt.is_locked


def test_nul_in_a_lift_reason_is_400_and_nothing_changes(client, moderator, user):
    suspension = Suspension.objects.create(
        user=user, reason="Rude", ends_at=timezone.now() + timezone.timedelta(days=1)
    )
    client.force_login(moderator)
    response = client.post(reverse("moderation:lift", args=[suspension.pk]), {"reason": "\0"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    suspension.refresh_from_db()
    assert suspension.lifted_at is None


def test_nul_in_a_reflection_is_refused_and_not_saved(client, user):
    prompt = make_prompt()
    client.force_login(user)
    response = client.post(reverse("community:reflection-create", args=[prompt.pk]), {"body": "a\0b"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Reflection.objects.exists()


def test_nul_characters_are_turned_away_by_the_core_middleware(auth_client):
    response = auth_client.get(reverse("search:results") + "?q=a%00b")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "contains a character that can’t be used" in response.text

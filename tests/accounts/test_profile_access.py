"""Who reads a member's profile: members do; anonymous visitors are sent to sign in, unless the
community's reading is public (the same rule as the community's pages)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in_for_a_profile(client, user):
    url = reverse("accounts:profile", kwargs={"handle": user.handle})
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_anonymous_visitors_read_profiles_when_reading_is_public(client, user, settings):
    settings.COMMUNITY_PUBLIC_READING = True
    response = client.get(reverse("accounts:profile", kwargs={"handle": user.handle}))
    assert response.status_code == HTTPStatus.OK
    assert "Amara Osei" in response.content.decode()


def test_members_read_profiles(client, user, other_user):
    client.force_login(other_user)
    assert (
        client.get(reverse("accounts:profile", kwargs={"handle": user.handle})).status_code == HTTPStatus.OK
    )

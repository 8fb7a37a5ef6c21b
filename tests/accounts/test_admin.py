"""The user admin writes through accounts.services: adding a member, their account and standing,
their roles, their password, and deleting an account (anonymised, posts kept, counts exact).
Suspensions are suspended and lifted on /moderation/ only."""

from datetime import timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import roles, services
from accounts.models import Suspension, User
from community.models import Like, Reflection
from tests.factories import PASSWORD, make_reflection, make_user
from tests.service_writes import writes_outside_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return make_user(role="", is_staff=True, is_superuser=True, handle="root", email="root@example.com")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def change_form(member, **overrides) -> dict:
    data = {
        "email": member.email,
        "handle": member.handle,
        "display_name": member.display_name,
        "bio": member.bio,
        "time_zone": member.time_zone,
        "is_active": member.is_active,
        "is_staff": member.is_staff,
        "is_superuser": member.is_superuser,
        "groups": [group.pk for group in member.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    data.update(overrides)
    return {name: ("on" if value is True else value) for name, value in data.items() if value is not False}


def test_adding_a_member_in_the_admin_goes_through_create_member(admin_client):
    data = {"email": "New@Example.com", "handle": "Newbie", "display_name": "New Member",
            "password1": PASSWORD, "password2": PASSWORD}  # fmt: skip
    with (
        writes_outside_services() as outside,
        mock.patch.object(services, "create_member", wraps=services.create_member) as create_member,
    ):
        response = admin_client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert outside == [] and create_member.call_count == 1
    member = User.objects.get(handle="newbie")
    assert member.email == "new@example.com" and member.check_password(PASSWORD)
    assert response.url == reverse("admin:accounts_user_change", args=[member.pk])


def test_roles_and_standing_change_through_the_services(admin_client, user):
    moderator = Group.objects.get(name=roles.MODERATOR)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    with (
        writes_outside_services() as outside,
        mock.patch.object(services, "set_member_roles", wraps=services.set_member_roles) as set_roles,
    ):
        response = admin_client.post(
            url, change_form(user, display_name="Amara O.", is_active=False, groups=[moderator.pk])
        )
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert outside == [] and set_roles.call_count == 1
    user = User.objects.get(pk=user.pk)
    assert (user.display_name, user.is_active) == ("Amara O.", False)
    assert set(user.groups.values_list("name", flat=True)) == {roles.MODERATOR}


def test_a_member_saved_in_the_admin_keeps_the_post_count_the_services_keep(admin_client, user):
    make_reflection(author=user)
    stale = User.objects.get(pk=user.pk)
    make_reflection(author=user)  # after the admin read the member
    admin_client.post(
        reverse("admin:accounts_user_change", args=[stale.pk]), change_form(stale, bio="Hello.")
    )
    assert User.objects.get(pk=user.pk).post_count == 2


def test_setting_a_password_in_the_admin_writes_only_the_password(admin_client, user):
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    with writes_outside_services() as outside:
        response = admin_client.post(
            url, {"password1": "another-long-pass-99", "password2": "another-long-pass-99"}
        )
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    assert outside == []
    assert User.objects.get(pk=user.pk).check_password("another-long-pass-99")


def test_deleting_a_member_in_the_admin_deletes_their_account_through_the_service(
    admin_client, user, other_user
):
    post = make_reflection(author=other_user, likes=1)
    from community.services import like_reflection

    like_reflection(reflection=post, user=user)
    mine = make_reflection(author=user)
    with writes_outside_services() as outside:
        page = admin_client.get(reverse("admin:accounts_user_delete", args=[user.pk]))
        assert "posts kept" in page.text
        response = admin_client.post(reverse("admin:accounts_user_delete", args=[user.pk]), {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert outside == []
    member = User.objects.get(pk=user.pk)  # the row stays: their posts keep it
    assert member.display_name == services.FORMER_MEMBER_NAME and not member.is_active
    assert Reflection.objects.filter(pk=mine.pk).exists()
    assert not Like.objects.filter(user=member).exists()
    assert Reflection.objects.get(pk=post.pk).like_count == 1


def test_suspensions_are_not_deleted_in_the_admin(admin_client, user, superuser):
    suspension = Suspension.objects.create(
        user=user, reason="Spam", ends_at=timezone.now() + timedelta(days=1), created_by=superuser
    )
    url = reverse("admin:accounts_suspension_delete", args=[suspension.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert Suspension.objects.filter(pk=suspension.pk).exists()

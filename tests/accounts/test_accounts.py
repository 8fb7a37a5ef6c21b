import re
from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from accounts import roles
from accounts.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SIGNUP = {
    "display_name": "Nia Brooks",
    "email": "nia@example.com",
    "username": "nia_b",
    "password1": "a-strong-passphrase-77",
    "password2": "a-strong-passphrase-77",
}


def test_sign_up_verify_email_and_become_a_learner(client, committed):
    with committed():  # the email is sent by a job queued after the commit
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(email="nia@example.com")
    assert (user.handle, user.display_name) == ("nia_b", "Nia Brooks")
    assert list(user.groups.values_list("name", flat=True)) == [roles.LEARNER]
    assert not EmailAddress.objects.get(user=user).verified

    # Mandatory verification: no access until the link in the email is followed.
    assert "_auth_user_id" not in client.session
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    assert client.get(path).status_code == HTTPStatus.OK
    response = client.post(path)
    assert response.status_code == HTTPStatus.FOUND
    assert EmailAddress.objects.get(user=user).verified


def test_sign_up_errors_keep_what_was_typed(client):
    make_user(handle="taken")
    response = client.post(reverse("account_signup"), {**SIGNUP, "username": "Taken", "password2": "nope"})
    assert response.status_code == HTTPStatus.OK
    assert 'value="Nia Brooks"' in response.text
    assert 'value="nia@example.com"' in response.text
    assert not User.objects.filter(email="nia@example.com").exists()


def test_handle_rejects_symbols(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "username": "nia b!"})
    assert response.status_code == HTTPStatus.OK
    assert "letters, numbers and underscores" in response.text


def test_handles_are_unique_ignoring_case():
    make_user(handle="sam")
    with pytest.raises(IntegrityError):
        User.objects.create(email="other@example.com", handle="SAM", display_name="Other Sam")


def test_log_in_with_email(client):
    make_user(email="pat@example.com", password=PASSWORD)
    response = client.post(reverse("account_login"), {"login": "pat@example.com", "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" in client.session


def test_unverified_members_cannot_log_in(client):
    make_user(email="new@example.com", verified=False)
    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == HTTPStatus.FOUND
    assert "confirm-email" in response.url


def test_password_reset_sends_an_email(client, user, committed):
    with committed():
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert "password" in mail.outbox[0].subject.lower()


def test_profile_page_shows_role_member_since_and_post_count(client, facilitator, user):
    client.force_login(user)  # profiles are for members unless COMMUNITY_PUBLIC_READING
    response = client.get(reverse("accounts:profile", kwargs={"handle": "FRAN"}))
    assert response.status_code == HTTPStatus.OK
    assert "Fran Okafor" in response.text
    assert "badge--facilitator" in response.text
    assert "<strong>0</strong> reflections" in response.text  # counted over what the viewer may read
    assert "<time" in response.text


@pytest.mark.parametrize(
    ("role", "staff", "badge"),
    [
        (roles.LEARNER, False, ""),
        (roles.MODERATOR, False, "Moderator"),
        (roles.FACILITATOR, True, "Facilitator"),
        ("", True, "Staff"),
    ],
)
def test_role_badge(role, staff, badge):
    assert make_user(role=role, is_staff=staff).role == badge


def test_role_groups_exist_with_permissions():
    facilitator = Group.objects.get(name=roles.FACILITATOR)
    codenames = set(facilitator.permissions.values_list("codename", flat=True))
    assert {"add_lesson", "change_lesson", "change_course"} <= codenames
    assert not Group.objects.get(name=roles.LEARNER).permissions.exists()


def test_edit_own_profile_and_see_times_in_own_zone(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Amara O.", "bio": "Nurse, learning to lead.", "time_zone": "Asia/Tokyo"},
    )
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Amara O.", "Asia/Tokyo")
    User.objects.filter(pk=user.pk).update(date_joined=datetime(2020, 1, 17, 1, 43, tzinfo=UTC))
    response = client.get(user.get_absolute_url())
    assert "17 Jan, 2020 10:43" in response.text  # 01:43 UTC is 10:43 in Tokyo
    assert 'datetime="2020-01-17T10:43:00+09:00"' in response.text


def test_profile_edit_errors_come_back_with_the_text(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "", "bio": "Kept words", "time_zone": "Nowhere/City"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Kept words" in response.text
    assert "This field is required" in response.text


def test_profile_edit_needs_sign_in(client):
    response = client.get(reverse("accounts:profile-edit"))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response.url


def test_role_badge_tag_and_profile_url():
    from django.template import Context, Template

    template = Template("{% load reflect %}[{% role_badge member %}]")
    moderator = make_user(role=roles.MODERATOR, handle="mod_1")
    assert (
        template.render(Context({"member": moderator}))
        == '[<span class="badge badge--moderator">Moderator</span>]'
    )
    assert template.render(Context({"member": make_user()})) == "[]"
    assert template.render(Context({"member": None})) == "[]"
    assert (
        moderator.get_absolute_url() == reverse("accounts:profile", kwargs={"handle": "mod_1"}) == "/u/mod_1/"
    )

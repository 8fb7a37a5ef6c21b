"""Names that deceive are refused, at sign-up and in the profile form: reserved handles
("system", "moderators", "former_…"), display names with nothing visible or with bidirectional
controls, and "Former member"; ordinary names in any script are fine."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.forms import ProfileForm, SignupForm
from accounts.models import User

pytestmark = pytest.mark.django_db


def signup_data(n: int | str, **overrides) -> dict:
    data = {
        "display_name": f"Learner {n}",
        "email": f"learner{n}@example.com",
        "username": f"learner_{n}",
        "password1": "a-strong-passphrase-77",
        "password2": "a-strong-passphrase-77",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "handle",
    [
        "system",
        "root",
        "administrator",
        "Moderators",
        "support",
        "help",
        "null",
        "undefined",
        "anonymous",
        "former_amara",
        "Former_x",
    ],
)
def test_reserved_handles_are_refused_at_sign_up(client, handle):
    response = client.post(reverse("account_signup"), signup_data("x", username=handle))
    assert response.status_code == HTTPStatus.OK
    assert not User.objects.filter(email="learnerx@example.com").exists()
    form = response.context["form"]
    assert form.errors.get("username"), form.errors


INVISIBLE_NAMES = ["\u200b\u200b", "\u2800", "\u3164\u3164", "\u200d\ufe0f", "\u00ad", " \u200b \u2060 "]
BIDI_NAMES = [
    "Amara\u202eOsei",
    "\u202aAmara",
    "Ben\u2066Carter\u2069",
    "Nia\u200f",
    "\u200eNia",
    "Kwame\u202c",
]


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_invisible_display_names_are_refused(name):
    form = SignupForm(data=signup_data("x", display_name=name))
    assert not form.is_valid()
    assert form.errors["display_name"] == [
        "Your display name needs at least one visible letter, number or symbol."
    ] or form.errors["display_name"] == ["This field is required."]


@pytest.mark.parametrize("name", BIDI_NAMES)
def test_display_names_with_bidi_controls_are_refused_at_sign_up_and_in_the_profile(name, user):
    form = SignupForm(data=signup_data("x", display_name=name))
    assert not form.is_valid()
    assert "changes the direction of text" in form.errors["display_name"][0]
    profile = ProfileForm(data={"display_name": name, "bio": "", "time_zone": "Europe/London"}, instance=user)
    assert not profile.is_valid()
    assert "changes the direction of text" in profile.errors["display_name"][0]


def test_the_profile_form_refuses_invisible_names_with_a_clear_message(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "\u200b\u200b", "bio": "", "time_zone": "Europe/London"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "at least one visible letter" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Amara Osei"


@pytest.mark.parametrize("name", ["Amara Osei", "李小龍", "José 🌱", "أمينة", "Zoë", "👩🏽‍🏫 Fran"])
def test_ordinary_names_in_any_script_are_fine(name, user):
    assert SignupForm(data=signup_data("ok", display_name=name)).is_valid(), name
    form = ProfileForm(data={"display_name": name, "bio": "", "time_zone": "Europe/London"}, instance=user)
    assert form.is_valid(), form.errors


def test_former_member_is_not_a_display_name(user):
    form = ProfileForm(
        data={"display_name": "former  MEMBER", "bio": "", "time_zone": "Europe/London"}, instance=user
    )
    assert not form.is_valid()


@pytest.mark.parametrize(
    "name",
    [
        "Am\u200bara Osei",  # a zero-width space
        "Amara\u2060Osei",  # a word joiner
        "Moderator",
        "The Admin",
        "Adm1n",
        "Reflect Support",
        "M\u043ederator",  # a Cyrillic o
    ],
)
def test_names_that_pass_for_official_or_hide_characters_are_refused(name):
    form = SignupForm(data=signup_data("x", display_name=name))
    assert not form.is_valid() and "display_name" in form.errors, name


def test_a_name_that_looks_like_a_moderators_or_facilitators_is_refused():
    from accounts import roles
    from tests.factories import make_user

    moderator = make_user(role=roles.MODERATOR, display_name="Max Mustermann")
    make_user(role=roles.FACILITATOR, display_name="Fran Okafor")
    for name in ("Max Mustermann", "max  mustermann", "Máx Mustermann", "Fran 0kafor", "Frаn Okafor"):
        form = SignupForm(data=signup_data("y", display_name=name))
        assert not form.is_valid() and "display_name" in form.errors, name
    learner = make_user(display_name="Lee Learner")
    assert not ProfileForm(
        data={"display_name": "Max Mustermann", "bio": "", "time_zone": "Europe/London"}, instance=learner
    ).is_valid()
    # The moderator keeps their own name; a learner may share a learner's name; emoji with joiners are fine.
    assert ProfileForm(
        data={"display_name": "Max Mustermann", "bio": "", "time_zone": "Europe/London"}, instance=moderator
    ).is_valid()
    assert SignupForm(data=signup_data("z", display_name="Lee Learner")).is_valid()
    assert SignupForm(data=signup_data("w", display_name="Amara \U0001f469\u200d\U0001f4bb")).is_valid()

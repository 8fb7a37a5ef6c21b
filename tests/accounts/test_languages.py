"""A member's language and time zone (issue 26, decision 111): the page's language from the member's
choice, else the browser's, else the site's; the time zone from the browser once, never over the
member's own choice."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.forms import ProfileForm
from accounts.locale import recipient_zone
from accounts.models import User
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def _html_tag(response) -> str:
    text = response.content.decode()
    return text[text.index("<html") : text.index(">", text.index("<html")) + 1]


def test_a_signed_out_visitor_gets_the_browsers_language_else_the_sites(client):
    assert _html_tag(client.get(reverse("account_login"))) == '<html lang="en-gb" dir="ltr">'
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert _html_tag(response) == '<html lang="es" dir="ltr">'
    assert response.headers["Content-Language"] == "es"
    assert "Accept-Language" in response.headers["Vary"]
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="ar")
    assert _html_tag(response) == '<html lang="ar" dir="rtl">'


def test_a_members_own_language_wins_over_the_browsers(client, user):
    client.force_login(user)
    page = reverse("accounts:profile-edit")
    assert _html_tag(client.get(page, HTTP_ACCEPT_LANGUAGE="es")) == '<html lang="es" dir="ltr">'
    User.objects.filter(pk=user.pk).update(language="ar")
    response = client.get(page, HTTP_ACCEPT_LANGUAGE="es")
    assert _html_tag(response) == '<html lang="ar" dir="rtl">'
    assert response.headers["Content-Language"] == "ar"


def test_the_profile_form_offers_the_languages_and_blank_follows_the_browser(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:profile-edit"))
    assert 'name="language"' in response.text
    assert "Your browser’s language" in response.text
    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": user.display_name, "bio": "", "time_zone": user.time_zone, "language": "es"},
    )
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.language == "es"
    assert not user.time_zone_set  # the zone was left as it was: the browser may still set it
    form = ProfileForm(
        data={"display_name": "A", "bio": "", "time_zone": "UTC", "language": "xx"}, instance=user
    )
    assert "language" in form.errors


def test_choosing_a_zone_in_the_profile_makes_it_the_members_own(client, user):
    client.force_login(user)
    client.post(
        reverse("accounts:profile-edit"),
        {"display_name": user.display_name, "bio": "", "time_zone": "Africa/Lagos", "language": ""},
    )
    user.refresh_from_db()
    assert (user.time_zone, user.time_zone_set) == ("Africa/Lagos", True)
    assert "time-zone.js" not in client.get(reverse("accounts:profile-edit")).text


def test_the_browser_sets_the_zone_once_and_never_over_the_members_choice(client, user):
    client.force_login(user)
    page = client.get(reverse("accounts:profile-edit")).text
    url = reverse("accounts:browser-time-zone")
    assert f'data-browser-time-zone="{url}"' in page and "js/time-zone.js" in page
    assert client.post(url, {"time_zone": "Nowhere/City"}).status_code == HTTPStatus.NO_CONTENT
    user.refresh_from_db()
    assert not user.time_zone_set
    client.post(url, {"time_zone": "Asia/Dubai"})
    client.post(url, {"time_zone": "America/Mexico_City"})  # a second tab: too late
    user.refresh_from_db()
    assert (user.time_zone, user.time_zone_set) == ("Asia/Dubai", True)
    assert "data-browser-time-zone" not in client.get(reverse("accounts:profile-edit")).text


def test_the_browser_zone_endpoint_needs_a_signed_in_post(client, user):
    url = reverse("accounts:browser-time-zone")
    assert client.post(url, {"time_zone": "Asia/Dubai"}).status_code == HTTPStatus.FOUND  # to sign in
    client.force_login(user)
    assert client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_a_member_without_a_zone_of_their_own_gets_the_courses_in_mail(user):
    course = make_course(time_zone="Asia/Dubai")
    assert str(recipient_zone(user, course)) == "Asia/Dubai"
    assert str(recipient_zone(user)) == user.time_zone
    user.time_zone, user.time_zone_set = "Africa/Lagos", True
    assert str(recipient_zone(user, course)) == "Africa/Lagos"


def test_existing_members_who_chose_a_zone_keep_it():
    """Migration accounts 0005: a zone other than the site's was chosen by its member."""
    import importlib

    from django.apps import apps as global_apps
    from django.conf import settings

    migration = importlib.import_module("accounts.migrations.0005_language_time_zone_set")
    from tests.factories import make_user

    chose, kept_default = make_user(), make_user()
    User.objects.filter(pk=chose.pk).update(time_zone="Asia/Tokyo")
    User.objects.filter(pk=kept_default.pk).update(time_zone=settings.TIME_ZONE)
    migration.mark_chosen_zones(global_apps, None)
    assert set(User.objects.filter(time_zone_set=True).values_list("pk", flat=True)) == {chose.pk}


def test_a_zone_set_in_the_admin_is_the_members_own(client, user):
    from accounts import roles
    from tests.factories import make_user

    admin_user = make_user(role=roles.FACILITATOR)
    User.objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    page = reverse("admin:accounts_user_change", args=[user.pk])
    data = {
        "email": user.email, "handle": user.handle, "display_name": user.display_name, "bio": "",
        "time_zone": "Asia/Dubai", "language": "ar", "is_active": "on",
    }  # fmt: skip
    assert client.post(page, data).status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert (user.time_zone, user.time_zone_set, user.language) == ("Asia/Dubai", True, "ar")

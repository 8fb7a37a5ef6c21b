"""The follow-through pages: who may open them, what each form does, with and without htmx."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from community.models import Prompt
from facilitation import services
from facilitation.models import HeardSettings, LibraryPrompt, LibraryRun, ResponseOffer
from tests.facilitation.conftest import seen
from tests.factories import make_lesson, make_reflection, make_user

pytestmark = pytest.mark.django_db


def test_only_those_who_lead_the_course_open_the_follow_through_page(client, heard_prompt, lead):
    url = reverse("facilitation:activity", args=[heard_prompt.pk])
    client.force_login(make_user())
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert (
        client.post(
            reverse("facilitation:heard", args=[heard_prompt.pk]), {"enabled": "on", "window_hours": 4}
        ).status_code
        == HTTPStatus.NOT_FOUND
    )
    client.force_login(lead)
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    for words in ("Every reflection gets a response", "Publish summary", "Save to library"):
        assert words in page.text


def test_the_facilitator_switches_every_reflection_heard_and_its_window(client, heard_prompt, lead):
    client.force_login(lead)
    url = reverse("facilitation:heard", args=[heard_prompt.pk])
    assert client.post(url, {"window_hours": "12"}).status_code == HTTPStatus.FOUND
    heard = HeardSettings.objects.get(prompt=heard_prompt)
    assert (heard.enabled, heard.window_hours) == (False, 12)
    client.post(url, {"enabled": "on", "window_hours": "24"})
    heard.refresh_from_db()
    assert (heard.enabled, heard.window_hours) == (True, 24)
    bad = client.post(url, {"enabled": "on", "window_hours": "0"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST and "field--error" in bad.text


def test_the_follow_through_page_shows_how_offers_stand(client, heard_prompt, lead):
    _offered(heard_prompt)
    client.force_login(lead)
    page = client.get(reverse("facilitation:activity", args=[heard_prompt.pk]))
    assert "Offers so far" in page.text and "<dt>Waiting</dt><dd>1</dd>" in page.text


def test_the_space_page_links_those_who_lead_to_the_follow_through(client, heard_prompt, lead):
    client.force_login(lead)
    assert (
        reverse("facilitation:activity", args=[heard_prompt.pk])
        in client.get(heard_prompt.get_absolute_url()).text
    )


def test_publishing_a_summary_from_the_page(client, heard_prompt, lead):
    post = make_reflection(prompt=heard_prompt, body="Worth quoting.")
    client.force_login(lead)
    page = client.get(reverse("facilitation:activity", args=[heard_prompt.pk]))
    assert "Worth quoting." in page.text
    url = reverse("facilitation:summary", args=[heard_prompt.pk])
    assert client.post(url, {"body": "", "quoted": [post.pk]}).status_code == HTTPStatus.BAD_REQUEST
    response = client.post(url, {"body": "What we learned.", "quoted": [post.pk]})
    assert response.status_code == HTTPStatus.FOUND and response.url == heard_prompt.get_absolute_url()
    assert heard_prompt.summary.quoted_ids == [post.pk]
    refused = client.post(url, {"body": "Again.", "quoted": [999999]})
    assert refused.status_code == HTTPStatus.BAD_REQUEST  # not a choice
    client.post(url, {"withdraw": "1"})
    assert not Prompt.objects.get(pk=heard_prompt.pk).__class__.objects.filter(summary__isnull=False).exists()


def _offered(heard_prompt):
    colleague, _ = seen(make_user(), make_user())
    post = make_reflection(prompt=heard_prompt, author=make_user(display_name="Kwame Mensah"))
    return colleague, services.offer_reflection(reflection_id=post.pk)


def test_the_offered_member_sees_the_offer_below_the_prompt_and_declines_it_without_javascript(
    client, heard_prompt
):
    colleague, offer = _offered(heard_prompt)
    client.force_login(colleague)
    page = client.get(heard_prompt.get_absolute_url())
    assert "Kwame Mensah</bdi> is waiting to hear from you" in page.text
    assert reverse("facilitation:decline", args=[offer.pk]) in page.text
    response = client.post(
        reverse("facilitation:decline", args=[offer.pk]), {"next": heard_prompt.get_absolute_url()}
    )
    assert response.status_code == HTTPStatus.FOUND and response.url == heard_prompt.get_absolute_url()
    offer.refresh_from_db()
    assert offer.state == ResponseOffer.State.DECLINED
    assert "is waiting to hear from you" not in client.get(heard_prompt.get_absolute_url()).text
    outside = client.post(
        reverse("facilitation:decline", args=[offer.pk]), {"next": "https://elsewhere.example/"}
    )
    assert outside.url == heard_prompt.get_absolute_url()  # never off the site


def test_declining_with_htmx_swaps_in_a_status(client, heard_prompt):
    colleague, offer = _offered(heard_prompt)
    client.force_login(colleague)
    response = client.post(reverse("facilitation:decline", args=[offer.pk]), headers={"HX-Request": "true"})
    assert response.status_code == HTTPStatus.OK
    assert 'role="status"' in response.text and "another colleague will be asked" in response.text


def test_nobody_else_declines_an_offer(client, heard_prompt):
    _, offer = _offered(heard_prompt)
    client.force_login(make_user())
    assert client.post(reverse("facilitation:decline", args=[offer.pk])).status_code == HTTPStatus.NOT_FOUND


def test_save_to_library_and_create_an_activity_from_it(client, heard_prompt, lead):
    client.force_login(lead)
    response = client.post(reverse("facilitation:save-to-library", args=[heard_prompt.pk]))
    assert response.url == reverse("facilitation:library")
    entry = LibraryPrompt.objects.get()
    assert (entry.title, entry.owner_id, entry.heard_enabled) == (heard_prompt.title, lead.pk, True)
    client.post(reverse("facilitation:save-to-library", args=[heard_prompt.pk]))
    assert LibraryPrompt.objects.count() == 1  # saved once
    later = make_lesson(course=heard_prompt.lesson.course)
    elsewhere = make_lesson()  # a course the facilitator does not lead
    page = client.get(reverse("facilitation:library"))
    assert later.title in page.text and elsewhere.title not in page.text
    use = reverse("facilitation:use", args=[entry.pk])
    client.post(use, {"lesson": elsewhere.pk})
    assert not Prompt.objects.filter(lesson=elsewhere).exists()
    response = client.post(use, {"lesson": later.pk})
    made = Prompt.objects.get(lesson=later)
    assert response.url == made.get_absolute_url()
    assert (made.title, made.body, made.author_id) == (heard_prompt.title, heard_prompt.body, lead.pk)
    assert HeardSettings.objects.get(prompt=made).enabled
    assert LibraryRun.objects.filter(library_prompt=entry).count() == 2


def test_a_learner_has_no_library(client):
    client.force_login(make_user())
    assert client.get(reverse("facilitation:library")).status_code == HTTPStatus.NOT_FOUND

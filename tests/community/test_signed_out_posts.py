"""A reflection or reply sent after the member's session ended is not lost: they are asked to sign
in, and their words wait in the same composer as a draft (issue 21, item 19: WCAG 3.3.7, nothing
asked for twice)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from community.models import Draft, Reflection
from tests.factories import PASSWORD, make_prompt, make_reflection

pytestmark = pytest.mark.django_db
WORDS = "What I learned on the ward: ask early, and ask again."


def sign_in(client, user, next_url):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:500]
    assert response["Location"] == next_url  # back where they were
    return client.get(response["Location"], follow=True)


def test_a_reflection_sent_after_the_session_ended_waits_in_the_composer(client, user):
    prompt = make_prompt()
    url = reverse("community:reflection-create", args=[prompt.pk])
    response = client.post(url, {"body": WORDS})
    assert response.status_code == HTTPStatus.FOUND and response["Location"].startswith(
        reverse("account_login")
    )
    login_page = client.get(response["Location"]).text
    assert "You were signed out, so it wasn’t posted" in login_page
    page = sign_in(client, user, url)
    assert page.redirect_chain[-1][0].startswith(prompt.get_absolute_url())
    assert WORDS in page.text  # in the composer, ready to post
    assert not Reflection.objects.filter(prompt=prompt).exists()
    assert Draft.objects.get(user=user, prompt=prompt, parent=None).fields["body"] == WORDS


def test_a_reply_sent_after_the_session_ended_waits_in_the_reply_form(client, user):
    parent = make_reflection(body="A colleague's thought.")
    url = reverse("community:reflection-reply", args=[parent.pk])
    response = client.post(url, {"reply-body": WORDS}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("account_login"))  # htmx: the whole page goes
    page = sign_in(client, user, url)
    assert WORDS in page.text
    assert Draft.objects.get(user=user, parent=parent).fields["body"] == WORDS


def test_kept_text_becomes_a_draft_only_where_the_member_may_write(client, user, moderator):
    from moderation.services import hide_reflection

    parent = make_reflection()
    url = reverse("community:reflection-reply", args=[parent.pk])
    client.post(url, {"reply-body": WORDS})
    hide_reflection(reflection=parent, moderator=moderator, reason="Off topic")
    sign_in(client, user, "/")
    assert not Draft.objects.filter(user=user).exists()


def test_nothing_typed_is_nothing_kept(client, user):
    prompt = make_prompt()
    client.post(reverse("community:reflection-create", args=[prompt.pk]), {"body": "  "})
    sign_in(client, user, "/")
    assert not Draft.objects.exists()

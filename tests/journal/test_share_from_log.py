"""Issue 23: a private reflection in the learning log can be shared later, with the course (under
the member's name, or anonymously where the activity allows it) or with the facilitator only,
keeping its date and its history; the member comes back to the log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Prompt, Reflection
from tests.factories import make_prompt

pytestmark = pytest.mark.django_db
LOG = reverse("journal:learning-log")


@pytest.fixture
def kept(user):
    prompt = make_prompt(anonymous_posting=Prompt.AnonymousPosting.ALLOWED)
    post = services.create_reflection(prompt=prompt, author=user, body="Kept for later", is_private=True)
    services.edit_reflection(reflection=post, editor=user, body="Kept for later, reworded")
    written = timezone.now() - timedelta(days=9)
    Reflection.objects.filter(pk=post.pk).update(created_at=written)
    post.refresh_from_db()
    return post


def test_the_log_offers_the_three_ways_to_share_a_private_reflection(client, user, kept):
    client.force_login(user)
    page = client.get(LOG).content.decode()
    for label in (
        "Share with the course",
        "Share anonymously with the course",
        "Share with the facilitator only",
    ):
        assert f">{label}</button>" in page
    assert "Sharing keeps its date and its earlier versions." in page


def test_an_activity_without_anonymity_offers_two(client, user, kept):
    Prompt.objects.filter(pk=kept.prompt_id).update(anonymous_posting=Prompt.AnonymousPosting.OFF)
    client.force_login(user)
    page = client.get(LOG).content.decode()
    assert ">Share with the course</button>" in page and "Share anonymously" not in page


@pytest.mark.parametrize(
    ("data", "anonymous", "for_facilitators"),
    [({}, False, False), ({"anonymous": "1"}, True, False), ({"with": "facilitators"}, False, True)],
)
def test_sharing_from_the_log_keeps_its_date_and_history_and_comes_back(
    client, user, kept, data, anonymous, for_facilitators
):
    client.force_login(user)
    back = f"{LOG}?page=1#log-post-{kept.pk}"
    response = client.post(reverse("community:reflection-share", args=[kept.pk]), {**data, "next": back})
    assert response.status_code == 302 and response.url == back
    shared = Reflection.objects.get(pk=kept.pk)
    assert not shared.is_private and shared.created_at == kept.created_at and shared.shared_at is not None
    assert shared.anonymous is anonymous and shared.for_facilitators is for_facilitators
    assert shared.revisions.count() == 1  # its history stays
    page = client.get(LOG).content.decode()
    assert "Share with the course</button>" not in page


def test_the_next_address_stays_on_this_site(client, user, kept):
    client.force_login(user)
    response = client.post(
        reverse("community:reflection-share", args=[kept.pk]), {"next": "https://elsewhere.example/"}
    )
    assert response.status_code == 302 and response.url.startswith(kept.prompt.get_absolute_url())


def test_nobody_else_can_share_it(client, other_user, kept):
    client.force_login(other_user)
    response = client.post(reverse("community:reflection-share", args=[kept.pk]), {"next": LOG})
    assert response.status_code == 404
    assert Reflection.objects.get(pk=kept.pk).is_private

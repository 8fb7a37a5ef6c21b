"""Suspending a member: they read but cannot act and see why; lifting it restores posting;
moderators cannot suspend each other."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Reflection
from moderation import services as moderation
from moderation.models import ModerationAction
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db
Kind = ModerationAction.Kind


def report_url(post):
    return reverse("moderation:report", args=[post.pk])


def test_suspended_member_reads_but_cannot_act_and_sees_a_banner(client, user, other_user, moderator):
    post = make_reflection(author=other_user)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:member", args=[user.handle]),
        {"days": "3", "reason": "Repeated insults."},
    )
    assert response.status_code == HTTPStatus.FOUND
    client.force_login(user)
    page = client.get(post.prompt.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assert "Your account is suspended until" in page.text and "Repeated insults." in page.text
    assert "Post reflection" not in page.text
    assert (
        client.post(reverse("community:reflection-create", args=[post.prompt_id]), {"body": "x"}).status_code
        == 403
    )
    assert (
        client.post(reverse("community:reflection-reply", args=[post.pk]), {"reply-body": "x"}).status_code
        == 403
    )
    assert client.post(reverse("community:reflection-like", args=[post.pk])).status_code == 403
    assert client.post(report_url(post), {"reason": "spam"}).status_code == 403
    assert not Reflection.objects.filter(author=user).exists()


def test_lifting_a_suspension_restores_posting(client, user, moderator):
    suspension = moderation.suspend_member(
        member=user, moderator=moderator, ends_at=timezone.now() + timedelta(days=1), reason="cool off"
    )
    client.force_login(moderator)
    client.post(reverse("moderation:lift", args=[suspension.pk]))
    client.force_login(user)
    prompt = make_prompt()
    assert (
        client.post(reverse("community:reflection-create", args=[prompt.pk]), {"body": "hello"}).status_code
        == 302
    )
    assert ModerationAction.objects.filter(kind=Kind.LIFT, member=user).exists()


def test_moderators_cannot_suspend_each_other(client, moderator):
    other = make_user(role="Moderator")
    client.force_login(moderator)
    url = reverse("moderation:member", args=[other.handle])
    response = client.post(url, {"days": "3", "reason": "x"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not other.suspensions.exists()

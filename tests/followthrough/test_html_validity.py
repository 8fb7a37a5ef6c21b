"""Follow-through's pages and the author's controls on the space validate (the Nu checker)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services as community
from followthrough import services
from tests.html_validation import nu_errors, require_java

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def test_follow_through_pages_are_valid_html(request, client, world):
    require_java(request.config)
    ada = world.users["ada"]
    planned = community.create_reflection(prompt=world.prompt, author=ada, body="Planned.")
    plain = community.create_reflection(prompt=world.prompt, author=ada, body="Not planned.")
    services.plan_follow_up(reflection=planned, user=ada, due_on=timezone.localdate() + timedelta(days=7))
    like = community.like_reflection(reflection=planned, user=world.users["ben"])
    community.set_like_reason(like=like, reason="Clear *and* kind")
    community.create_reflection(
        prompt=world.prompt, author=world.users["ben"], body="A reply.", parent=planned
    )
    services.count_readers(prompt_id=world.prompt.pk)
    client.force_login(ada)
    pages = {
        "space (author)": client.get(world.prompt.get_absolute_url()).text,
        "landed": client.get(reverse("followthrough:landed")).text,
        "follow-up composer": client.get(reverse("followthrough:follow-up", args=[plain.pk])).text,
        "plan form back": client.post(
            reverse("followthrough:plan", args=[plain.pk]), {"come_back": "date"}
        ).text,
    }
    errors = {name: found for name, found in nu_errors(pages).items() if found}
    assert errors == {}

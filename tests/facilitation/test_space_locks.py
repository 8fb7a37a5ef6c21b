"""Every facilitation service that writes what the space page shows takes the space's version
first (``lock_space``), as tests/community/test_space_locks.py asks of community's: offers and
summaries queue with posts in one order (a reply ending an offer runs inside the reply's lock)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from facilitation import services
from facilitation.models import ResponseOffer
from tests.facilitation.conftest import seen
from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.django_db

TABLES = ("facilitation_responseoffer", "facilitation_summary", "community_reflection", "community_prompt")
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?|FROM\s+"?(\w+)"?.*\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b',
    re.I | re.S,
)
_LOCK = re.compile(r"INSERT INTO core_version \(name, version\) VALUES \('space:(\d+)'", re.I)


def _first_lock_comes_before_any_write(run, prompt_id: int) -> None:
    with CaptureQueriesContext(connection) as captured:
        run()
    locked = False
    wrote = False
    for query in captured.captured_queries:
        sql = query["sql"]
        if (match := _LOCK.search(sql)) and int(match.group(1)) == prompt_id:
            locked = True
        elif (match := _WRITE.search(sql)) and (match.group(1) or match.group(2)) in TABLES:
            assert locked, f"wrote before the space's lock: {sql[:160]}"
            wrote = True
    assert wrote, "nothing was written: the check checked nothing"


def test_offer_writes_take_the_space_lock_first(heard_prompt):
    first, _second, _third = seen(make_user(), make_user(), make_user())
    post = make_reflection(prompt=heard_prompt)
    _first_lock_comes_before_any_write(
        lambda: services.offer_reflection(reflection_id=post.pk), heard_prompt.pk
    )
    offer = ResponseOffer.objects.get(reflection=post)
    _first_lock_comes_before_any_write(
        lambda: services.decline_offer(offer=offer, user=first), heard_prompt.pk
    )
    later = timezone.now() + timedelta(days=3)
    _first_lock_comes_before_any_write(lambda: services.reoffer_expired(now=later), heard_prompt.pk)


def test_summary_writes_take_the_space_lock_first(heard_prompt, lead):
    _first_lock_comes_before_any_write(
        lambda: services.publish_summary(prompt=heard_prompt, by=lead, body="We learned.", quoted_ids=[]),
        heard_prompt.pk,
    )
    _first_lock_comes_before_any_write(
        lambda: services.withdraw_summary(prompt=heard_prompt), heard_prompt.pk
    )


def test_a_post_nobody_can_be_offered_moves_no_version(heard_prompt):
    from core import versions

    post = make_reflection(prompt=heard_prompt)  # nobody else has signed in: no candidate
    scope = versions.space_scope(heard_prompt.pk)
    before = versions.read([scope])[scope]
    assert services.offer_reflection(reflection_id=post.pk) is None
    assert versions.read([scope])[scope] == before

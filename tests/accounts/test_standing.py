"""A member's role names and active suspension: asked on nearly every page, read in one query
(``User._read_standing``), and the same answers as reading each on its own."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.models import Suspension, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def fresh(member) -> User:
    return User.objects.get(pk=member.pk)


def test_roles_and_suspension_come_in_one_query(django_assert_num_queries):
    member = make_user(role=roles.MODERATOR)
    member.groups.add(Group.objects.get(name=roles.FACILITATOR))
    reader = fresh(member)
    with django_assert_num_queries(1):
        assert reader.role_names == {roles.MODERATOR, roles.FACILITATOR}
        assert reader.active_suspension is None and not reader.is_suspended


def test_only_a_suspension_in_force_counts():
    member, moderator = make_user(), make_user(role=roles.MODERATOR)
    now = timezone.now()
    Suspension.objects.create(user=member, reason="over", starts_at=now - timedelta(days=3),
                              ends_at=now - timedelta(days=1), created_by=moderator)  # fmt: skip
    Suspension.objects.create(user=member, reason="later", starts_at=now + timedelta(days=1),
                              ends_at=now + timedelta(days=2), created_by=moderator)  # fmt: skip
    Suspension.objects.create(user=member, reason="lifted", starts_at=now - timedelta(hours=1),
                              ends_at=now + timedelta(days=1), created_by=moderator, lifted_at=now)  # fmt: skip
    assert fresh(member).active_suspension is None
    current = Suspension.objects.create(
        user=member, reason="now", ends_at=now + timedelta(days=1), created_by=moderator
    )
    reader = fresh(member)
    assert reader.active_suspension == current and reader.is_suspended
    assert reader.role_names == {roles.LEARNER}


def test_a_suspension_read_first_then_the_roles_agree(django_assert_num_queries):
    member = make_user(role=roles.FACILITATOR)
    reader = fresh(member)
    assert reader.active_suspension is None
    with django_assert_num_queries(0):
        assert reader.role_names == {roles.FACILITATOR}


def test_prefetched_groups_are_used():
    member = make_user(role=roles.MODERATOR)
    reader = User.objects.prefetch_related("groups").get(pk=member.pk)
    assert reader.role_names == {roles.MODERATOR}

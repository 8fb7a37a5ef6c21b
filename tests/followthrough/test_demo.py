import io

import pytest
from django.core.management import call_command

from community.models import Reflection
from followthrough.models import Plan
from notifications.kinds import Kind
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_learner_with_a_follow_up_due_and_a_follow_up_written(client):
    call_command("load_demo", force=True, stdout=io.StringIO())
    call_command("load_demo", force=True, stdout=io.StringIO())  # idempotent
    plan = Plan.objects.get(user__handle="tom_bennett")
    assert plan.reminded_at is not None and not plan.followed_up
    assert Notification.objects.filter(kind=Kind.FOLLOW_UP_DUE, recipient__handle="tom_bennett").count() == 1
    follow_up = Reflection.objects.get(follows_up__isnull=False)
    assert follow_up.follow_up_gap == "3 weeks later"
    client.force_login(plan.user)
    page = client.get(plan.reflection.prompt.get_absolute_url()).text
    assert "How did it go?" in page and "Write your follow-up" in page

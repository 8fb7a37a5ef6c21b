"""WCAG 2.2 SC 3.3.7 Redundant Entry: an invitation was sent to an address; the sign-up it links to
has that address filled in (the newcomer may still change it), so they never type it again."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from lessons import services
from lessons.models import Course
from tests.factories import make_course, make_user

pytestmark = pytest.mark.django_db


def test_the_invitations_sign_up_link_fills_in_the_invited_address(client, committed):
    course = make_course(joining=Course.Joining.INVITE_ONLY)
    cohort = course.cohorts.get()
    with committed():
        services.invite_addresses(cohort=cohort, text="New.Comer@example.org", by=make_user(is_staff=True))
    signup = re.search(r"http://[^/\s]+(/accounts/signup/\S+)", mail.outbox[0].body).group(1)
    query = parse_qs(urlsplit(signup).query)
    assert query["email"] == ["new.comer@example.org"] and "/join/" in query["next"][0]
    page = client.get(signup).content.decode()
    tag = re.search(r'<input[^>]*name="email"[^>]*>', page).group(0)
    assert 'value="new.comer@example.org"' in tag

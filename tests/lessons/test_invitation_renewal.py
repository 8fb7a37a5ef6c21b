"""Issue 21, item 26: facilitators revoke and renew a cohort's invitation link, and a member
removed from an invite-only course cannot re-join with the link they already had."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from lessons import services
from lessons.models import Course, Enrolment
from tests.factories import make_course, make_lesson, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    course = make_course(joining=Course.Joining.INVITE_ONLY)
    make_lesson(course=course)
    return course.cohorts.create(name="Second")


def test_a_removed_member_cannot_rejoin_with_the_same_link(client, cohort):
    member = make_user()
    old_link = services.invitation_path(cohort)
    client.force_login(member)
    client.post(old_link)
    services.unenrol(enrolments=Enrolment.objects.filter(user=member))
    response = client.post(old_link)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Enrolment.objects.filter(user=member).exists()
    cohort.refresh_from_db()
    client.post(services.invitation_path(cohort))  # a new invitation lets them in again
    assert Enrolment.objects.filter(user=member, cohort=cohort).exists()


def test_a_facilitator_renews_the_link_from_the_invite_page(client, cohort):
    facilitator = make_user()
    cohort.facilitators.add(facilitator)
    old_link = services.invitation_path(cohort)
    client.force_login(facilitator)
    invite_page = client.get(reverse("lessons:invite", args=[cohort.course.slug])).text
    renew = reverse("lessons:renew-invitation", args=[cohort.course.slug, cohort.pk])
    assert renew in invite_page and "Renew link" in invite_page
    response = client.post(renew, follow=True)
    assert "the old one no longer works" in response.text
    cohort.refresh_from_db()
    # A link is "<what it opens>.<when it was signed>.<signature>": compare what it opens (the second
    # it was signed in may differ between the page and this line).
    new_opens = services.invitation_path(cohort).rsplit(".", 2)[0]
    assert new_opens in response.text and old_link.rsplit(".", 2)[0] not in response.text

    newcomer = make_user()
    client.force_login(newcomer)
    refused = client.get(old_link)
    assert refused.status_code == HTTPStatus.NOT_FOUND and "replaced by a newer one" in refused.text
    client.post(services.invitation_path(cohort))
    assert Enrolment.objects.filter(user=newcomer, cohort=cohort).exists()


def test_only_those_who_may_invite_renew(client, cohort):
    member = make_user()
    client.force_login(member)
    old_link = services.invitation_path(cohort)
    response = client.post(reverse("lessons:renew-invitation", args=[cohort.course.slug, cohort.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    cohort.refresh_from_db()
    # The same invitation (signed again a second later, only its timestamp may differ).
    assert services.invitation_path(cohort).rsplit(".", 2)[0] == old_link.rsplit(".", 2)[0]

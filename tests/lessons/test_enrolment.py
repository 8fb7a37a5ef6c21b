"""Cohorts and enrolment: the default cohort, joining an open course, invitations, the upload of
addresses, who takes part in a course's spaces, and the admin."""

import re
import time
from datetime import date, timedelta
from http import HTTPStatus
from unittest import mock
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from accounts import roles
from community.models import Reflection
from lessons import services
from lessons.models import Cohort, Course, Enrolment
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def _join_url(course):
    return reverse("lessons:join", args=[course.slug])


# --- Cohorts ----------------------------------------------------------------------------------------


def test_a_new_course_has_its_default_cohort():
    course = services.create_course(title="New", slug="new")
    assert list(course.cohorts.values_list("name", flat=True)) == [Cohort.DEFAULT_NAME]
    assert course.joining == Course.Joining.OPEN and course.learners_see == Course.LearnersSee.COURSE


def test_a_course_added_in_the_admin_gets_its_default_cohort(client):
    client.force_login(make_user(role="", is_staff=True, is_superuser=True))
    data = {"title": "Admin course", "slug": "admin-course", "summary": "", "position": 0,
            "joining": "open", "learners_see": "course", "language": "en-gb", "time_zone": "Europe/London",
            "lessons-TOTAL_FORMS": 0, "lessons-INITIAL_FORMS": 0}  # fmt: skip
    response = client.post(reverse("admin:lessons_course_add"), data)
    assert response.status_code == HTTPStatus.FOUND, response.text[:3000]
    assert Course.objects.get(slug="admin-course").cohorts.count() == 1


def test_the_current_cohort_is_the_latest_that_has_started():
    course = make_course()
    course.cohorts.update(starts_on=date.today() - timedelta(days=300))
    started = course.cohorts.create(name="Started", starts_on=date.today() - timedelta(days=3))
    course.cohorts.create(name="Future", starts_on=date.today() + timedelta(days=30))
    assert Cohort.objects.current_for(course) == started


# --- Joining an open course --------------------------------------------------------------------


def test_join_this_course_enrols_into_the_current_cohort_and_is_idempotent(client):
    course = make_course()
    member = make_user()
    client.force_login(member)
    page = client.get(course.get_absolute_url()).text
    assert "Join this course" in page
    response = client.post(_join_url(course))
    assert response.status_code == HTTPStatus.FOUND and response.url == course.get_absolute_url()
    client.post(_join_url(course))
    assert Enrolment.objects.get(user=member, course=course).cohort == Cohort.objects.current_for(course)
    assert "Join this course" not in client.get(course.get_absolute_url()).text


def test_join_goes_back_to_the_space_it_came_from_but_never_off_site(client):
    prompt = make_prompt()
    client.force_login(make_user())
    response = client.post(_join_url(prompt.lesson.course), {"next": prompt.get_absolute_url()})
    assert response.url == prompt.get_absolute_url()
    response = client.post(_join_url(prompt.lesson.course), {"next": "https://evil.example/"})
    assert response.url == prompt.lesson.course.get_absolute_url()


def test_an_invite_only_course_cannot_be_joined_with_the_button(client):
    course = make_course(joining=Course.Joining.INVITE_ONLY)
    member = make_user()
    client.force_login(member)
    assert client.post(_join_url(course)).status_code == HTTPStatus.NOT_FOUND
    assert not Enrolment.objects.exists()


# --- Who takes part ------------------------------------------------------------------------------


def test_a_member_not_enrolled_reads_the_space_joins_and_then_posts(client):
    prompt = make_prompt()
    member = make_user()
    client.force_login(member)
    page = client.get(prompt.get_absolute_url()).text
    assert "Join this course to add your reflection." in page
    assert 'name="body"' not in page
    create = reverse("community:reflection-create", args=[prompt.pk])
    refused = client.post(create, {"body": "Let me in."})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert "Only members of this course can post here" in refused.text
    assert "Let me in." in refused.text  # the text comes back
    client.post(_join_url(prompt.lesson.course), {"next": prompt.get_absolute_url()})
    assert 'name="body"' in client.get(prompt.get_absolute_url()).text
    assert client.post(create, {"body": "Now I'm in."}).status_code == HTTPStatus.FOUND
    assert Reflection.objects.filter(author=member, body="Now I'm in.").exists()


def test_cohort_facilitators_take_part_without_being_enrolled(client):
    prompt = make_prompt()
    cohort_facilitator = make_user()
    prompt.lesson.course.cohorts.get().facilitators.add(cohort_facilitator)
    client.force_login(cohort_facilitator)
    create = reverse("community:reflection-create", args=[prompt.pk])
    assert client.post(create, {"body": "Welcome, all."}).status_code == HTTPStatus.FOUND


def test_the_facilitator_of_a_course_is_not_offered_to_join_it(client):
    course = make_course()
    cohort_facilitator = make_user()
    course.cohorts.get().facilitators.add(cohort_facilitator)
    client.force_login(cohort_facilitator)
    page = client.get(course.get_absolute_url()).text
    assert "Join this course" not in page
    assert "You facilitate this course." in page
    assert client.post(_join_url(course)).status_code == HTTPStatus.FORBIDDEN
    assert not Enrolment.objects.filter(user=cohort_facilitator).exists()
    client.force_login(make_user())  # a member of no cohort is still offered to join
    assert "Join this course" in client.get(course.get_absolute_url()).text


# --- Invitations ---------------------------------------------------------------------------------


@pytest.fixture
def invite_only():
    course = make_course(joining=Course.Joining.INVITE_ONLY)
    make_lesson(course=course)
    second = course.cohorts.create(name="Second")
    return course, second


def test_an_invitation_link_joins_its_cohort(client, invite_only):
    course, second = invite_only
    member = make_user()
    client.force_login(member)
    url = services.invitation_path(second)
    assert client.get(course.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK and "Join this course" in page.text and "Second" in page.text
    response = client.post(url)
    assert response.url == course.get_absolute_url()
    assert Enrolment.objects.get(user=member).cohort == second
    assert client.get(course.get_absolute_url()).status_code == HTTPStatus.OK


def test_anonymous_visitors_sign_in_and_come_back(client, invite_only):
    url = services.invitation_path(invite_only[1])
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_a_tampered_invitation_is_refused(client, invite_only):
    course, second = invite_only
    client.force_login(make_user())
    token = services.invitation_token(second)
    other = Cohort.objects.exclude(pk=second.pk).get(course=course)
    payload, stamp, signature = token.split(".")
    other_payload = services.invitation_token(other).split(".")[0]
    forged = f"{other_payload}.{stamp}.{signature}"  # another cohort's payload, this signature
    assert other_payload != payload
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense"):
        url = reverse("lessons:join-invitation", args=[course.slug, bad])
        assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    assert not Enrolment.objects.exists()


def test_an_expired_invitation_is_refused(client, invite_only):
    course, second = invite_only
    client.force_login(make_user())
    url = services.invitation_path(second)
    later = services.INVITATION_MAX_AGE.total_seconds() + 60

    with mock.patch("django.core.signing.time.time", return_value=time.time() + later):
        response = client.post(url)
    assert response.status_code == HTTPStatus.NOT_FOUND and "expired" in response.text
    assert not Enrolment.objects.exists()


def test_a_token_of_another_courses_cohort_is_refused(client, invite_only):
    course, _ = invite_only
    elsewhere = make_course(joining=Course.Joining.INVITE_ONLY).cohorts.get()
    client.force_login(make_user())
    token = services.invitation_token(elsewhere)
    response = client.post(reverse("lessons:join-invitation", args=[course.slug, token]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Enrolment.objects.exists()


def test_using_an_invitation_when_already_enrolled_changes_nothing(client, invite_only):
    course, second = invite_only
    member = make_user()
    first = enrol(member, course=course, cohort=Cohort.objects.exclude(pk=second.pk).get(course=course))
    client.force_login(member)
    url = services.invitation_path(second)
    assert "already enrolled" in client.get(url).text
    for _ in range(2):
        assert client.post(url).status_code == HTTPStatus.FOUND
    assert list(Enrolment.objects.filter(user=member).values_list("cohort", flat=True)) == [first.pk]


# --- Uploading addresses -------------------------------------------------------------------------


def test_uploaded_addresses_enrol_members_and_invite_the_others(
    client, invite_only, django_capture_on_commit_callbacks
):
    course, second = invite_only
    existing = make_user(email="known@example.com")
    facilitator = make_user()
    second.facilitators.add(facilitator)  # facilitates a cohort: may invite (not staff)
    client.force_login(facilitator)
    invite = reverse("lessons:invite", args=[course.slug])
    assert client.get(invite).status_code == HTTPStatus.OK
    text = "KNOWN@example.com, new.person@example.org\nnot-an-address\nnew.person@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite, {"cohort": second.pk, "addresses": text})
    assert response.status_code == HTTPStatus.OK
    assert "1 enrolled, 0 already enrolled, 1 invited by email." in response.text
    assert Enrolment.objects.get(user=existing).cohort == second
    assert [m.to for m in mail.outbox] == [["new.person@example.org"]]
    link = re.search(r"http\S+/accounts/signup/\?next=(\S+)", mail.outbox[0].body)
    assert link and "/join/" in unquote(link.group(1))


def test_the_invitation_email_leads_through_sign_up_into_the_course(client, invite_only, committed):
    course, second = invite_only
    staff = make_user(role="", is_staff=True)
    with committed():
        services.invite_addresses(cohort=second, text="newcomer@example.org", by=staff)
    signup = re.search(r"http://[^/\s]+(/accounts/signup/\S+)", mail.outbox[0].body).group(1)
    assert client.get(signup).status_code == HTTPStatus.OK
    form = {"display_name": "New Comer", "email": "newcomer@example.org", "username": "newcomer",
            "password1": "a-strong-passphrase-77", "password2": "a-strong-passphrase-77"}  # fmt: skip
    with committed():
        assert client.post(signup, form).status_code == HTTPStatus.FOUND
    confirm = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    confirm = "/" + confirm.split("/", 3)[3]
    response = client.post(confirm)
    # Confirming signs the newcomer in and sends them to the invitation's Join page.
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == parse_qs(urlsplit(signup).query)["next"][0], response.url
    assert client.post(response.url).url == course.get_absolute_url()
    assert Enrolment.objects.get(user__email="newcomer@example.org").cohort == second


@pytest.mark.parametrize("who", ["learner", "enrolled", "moderator"])
def test_only_facilitators_of_the_course_and_staff_invite(client, invite_only, who):
    course, second = invite_only
    member = make_user(role=roles.MODERATOR if who == "moderator" else roles.LEARNER)
    if who == "enrolled":
        enrol(member, course=course)
    client.force_login(member)
    invite = reverse("lessons:invite", args=[course.slug])
    assert client.get(invite).status_code == HTTPStatus.NOT_FOUND
    assert client.post(invite, {"cohort": second.pk, "addresses": "x@example.org"}).status_code == 404


# --- Admin ---------------------------------------------------------------------------------------


def test_admin_moves_enrolments_to_another_cohort(client):
    course = make_course()
    first = course.cohorts.get()
    second = course.cohorts.create(name="Autumn")
    members = [make_user() for _ in range(3)]
    enrol(*members, course=course, cohort=first)
    elsewhere = make_course()
    outsider = make_user()
    enrol(outsider, course=elsewhere)
    client.force_login(make_user(role="", is_staff=True, is_superuser=True))
    changelist = reverse("admin:lessons_enrolment_changelist")
    assert client.get(changelist, {"cohort__id__exact": first.pk}).status_code == HTTPStatus.OK
    assert client.get(changelist, {"q": members[0].handle}).status_code == HTTPStatus.OK
    selected = [e.pk for e in Enrolment.objects.filter(user__in=members[:2] + [outsider])]
    form = client.post(changelist, {"action": "move_to_cohort", "_selected_action": selected})
    assert form.status_code == HTTPStatus.OK and "Move to" in form.text
    done = client.post(
        changelist,
        {"action": "move_to_cohort", "_selected_action": selected, "apply": "1", "cohort": second.pk},
    )
    assert done.status_code == HTTPStatus.FOUND
    assert set(Enrolment.objects.filter(cohort=second).values_list("user", flat=True)) == {
        m.pk for m in members[:2]
    }
    assert Enrolment.objects.get(user=outsider).course == elsewhere
    assert client.get(reverse("admin:lessons_cohort_changelist")).status_code == HTTPStatus.OK


def test_admin_adds_an_enrolment_through_the_service(client):
    course = make_course()
    member = make_user()
    client.force_login(make_user(role="", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:lessons_enrolment_add"), {"user": member.pk, "cohort": course.cohorts.get().pk}
    )
    assert response.status_code == HTTPStatus.FOUND, response.text[:2000]
    assert Enrolment.objects.get(user=member).course == course


def test_facilitators_run_cohorts_and_enrolments_in_the_admin(client):
    client.force_login(make_user(role=roles.FACILITATOR))
    for name in ("lessons_cohort_changelist", "lessons_enrolment_changelist", "lessons_enrolment_add"):
        assert client.get(reverse(f"admin:{name}")).status_code == HTTPStatus.OK, name

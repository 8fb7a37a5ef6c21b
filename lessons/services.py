"""Writes to courses and lessons: publishing and unpublishing (which leave a trace), and
creating courses, cohorts, enrolments and invitations.

Each locks the row, changes it only when its state differs, and records the change as a
django.contrib.admin LogEntry ("Published" / "Unpublished"), so it shows in the object's admin
History whether it came from an admin action, the list, or the change form.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from core.mail import send_later
from lessons.models import Cohort, Course, Enrolment, Lesson


def _set_published(obj: models.Model, *, published: bool, by: User) -> models.Model:
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if obj.published == published:
        return obj  # already so (another admin got there first): nothing to record
    obj.published = published
    obj.save(update_fields=["published", "updated_at"])
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message="Published" if published else "Unpublished",
        single_object=True,
    )
    return obj


@transaction.atomic
def set_lesson_published(*, lesson: Lesson, published: bool, by: User) -> Lesson:
    """Learners see a lesson when it and its course are both published."""
    return _set_published(lesson, published=published, by=by)


@transaction.atomic
def set_course_published(*, course: Course, published: bool, by: User) -> Course:
    """A course's lessons keep their own state; unpublishing the course hides them all."""
    return _set_published(course, published=published, by=by)


# --- Courses, cohorts and enrolment ---------------------------------------------------------------

INVITATION_SALT = "lessons.invitation"
INVITATION_MAX_AGE = timedelta(days=30)


class InvalidInvitation(Exception):
    """The invitation link was altered, has expired, or is for another course."""


@transaction.atomic
def create_course(**fields) -> Course:
    """A new course, with its default cohort (the admin and the demo create courses through here)."""
    course = Course.objects.create(**fields)
    ensure_default_cohort(course=course)
    return course


def ensure_default_cohort(*, course: Course) -> Cohort:
    """The course's cohort when it has one (its current one), else a new default cohort."""
    cohort = Cohort.objects.current_for(course)
    if cohort is None:
        cohort, _ = Cohort.objects.get_or_create(course=course, name=Cohort.DEFAULT_NAME)
    return cohort


@transaction.atomic
def enrol(*, user: User, cohort: Cohort) -> tuple[Enrolment, bool]:
    """Enrol ``user`` in ``cohort``'s course, in that cohort. Idempotent: a member already enrolled
    in the course keeps their enrolment (and cohort); returns (enrolment, created)."""
    enrolment, created = Enrolment.objects.get_or_create(
        user=user, course_id=cohort.course_id, defaults={"cohort": cohort}
    )
    return enrolment, created


def join_course(*, user: User, course: Course) -> tuple[Enrolment, bool]:
    """ "Join this course" on an open course: into its current cohort."""
    return enrol(user=user, cohort=ensure_default_cohort(course=course))


@transaction.atomic
def move_to_cohort(*, enrolments, cohort: Cohort) -> int:
    """Move enrolments of ``cohort``'s course into ``cohort``; those of other courses are left
    alone. Returns how many moved."""
    return (
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments], course_id=cohort.course_id)
        .exclude(cohort=cohort)
        .update(cohort=cohort)
    )


def invitation_token(cohort: Cohort) -> str:
    """A signed token naming ``cohort``; valid for INVITATION_MAX_AGE, for anyone who has it."""
    return _invitation_signer().sign_object({"cohort": cohort.pk})


def _invitation_signer() -> signing.TimestampSigner:
    # "." instead of ":" between the parts: the token sits in a path (and in ?next=) unescaped.
    return signing.TimestampSigner(salt=INVITATION_SALT, sep=".")


def invitation_path(cohort: Cohort) -> str:
    return reverse(
        "lessons:join-invitation",
        kwargs={"course_slug": cohort.course.slug, "token": invitation_token(cohort)},
    )


def cohort_of_invitation(*, course: Course, token: str) -> Cohort:
    """The cohort a token invites to, if it is intact, unexpired and of ``course``."""
    try:
        data = _invitation_signer().unsign_object(token, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise InvalidInvitation("This invitation has expired.") from error
    except signing.BadSignature as error:
        raise InvalidInvitation("This invitation link is not valid.") from error
    cohort = Cohort.objects.filter(pk=data.get("cohort"), course=course).select_related("course").first()
    if cohort is None:
        raise InvalidInvitation("This invitation is for another course.")
    return cohort


@dataclass
class InvitationResult:
    enrolled: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


def parse_addresses(text: str) -> tuple[list[str], list[str]]:
    """(valid addresses, lower-cased and without repeats, in order; what was not an address)."""
    valid, invalid = [], []
    for item in re.split(r"[\s,;]+", text):
        item = item.strip().strip("<>").lower()
        if not item:
            continue
        try:
            validate_email(item)
        except ValidationError:
            invalid.append(item)
            continue
        if item not in valid:
            valid.append(item)
    return valid, invalid


@transaction.atomic
def invite_addresses(*, cohort: Cohort, text: str, by: User) -> InvitationResult:
    """Facilitators' upload: members with one of these addresses are enrolled in ``cohort`` now;
    every other address gets an invitation email (queued for the worker) whose link leads to
    sign-up and then into the course."""
    from allauth.account.models import EmailAddress

    result = InvitationResult()
    addresses, result.invalid = parse_addresses(text)
    known = {
        e.email.lower(): e.user
        for e in EmailAddress.objects.filter(email__in=addresses).select_related("user")
    }
    known.update({u.email.lower(): u for u in User.objects.filter(email__in=addresses)})
    join_path = invitation_path(cohort)
    for address in addresses:
        member = known.get(address)
        if member is not None and member.is_active:
            _, created = enrol(user=member, cohort=cohort)
            (result.enrolled if created else result.already).append(address)
            continue
        result.invited.append(address)
        _send_invitation(address=address, cohort=cohort, join_path=join_path, by=by)
    return result


def _send_invitation(*, address: str, cohort: Cohort, join_path: str, by: User) -> None:
    signup = f"{settings.SITE_URL}{reverse('account_signup')}?{urlencode({'next': join_path})}"
    context = {
        "course": cohort.course,
        "cohort": cohort,
        "inviter": by,
        "signup_url": signup,
        "join_url": f"{settings.SITE_URL}{join_path}",
        "site_name": settings.SITE_NAME,
        "days": INVITATION_MAX_AGE.days,
    }
    message = EmailMessage(
        subject=f"[{settings.SITE_NAME}] You are invited to {cohort.course.title}",
        body=render_to_string("lessons/email/invitation.txt", context),
        to=[address],
    )
    send_later(message)

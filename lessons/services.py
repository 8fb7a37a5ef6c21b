"""Writes to courses, lessons, cohorts and enrolments: every one goes through here (the admin and
the demo included), each in one transaction.

Publishing and unpublishing lock the row, change it only when its state differs, and record the
change as a django.contrib.admin LogEntry ("Published" / "Unpublished"), so it shows in the
object's admin History whether it came from an admin action, the list, or the change form.
A lesson's Markdown is rendered here, through the one pipeline (``core.markdown``), never in
``Lesson.save()``. Deleting lessons (or courses) tells the apps above first
(``signals.lessons_deleting``), so their rows go through their own services, counters kept.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import User
from core.mail import send_later
from core.markdown import render_markdown
from lessons import signals
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


def _apply(obj: models.Model, fields: dict[str, Any], allowed: tuple[str, ...], service: str) -> list[str]:
    """Set ``fields`` on ``obj`` (locked by the caller); the names of those whose value changed."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"{service} does not change {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    return changed


def _locked_ids(model: type[models.Model], objs: Iterable[models.Model]) -> list[int]:
    """The ids of ``objs`` still there, their rows locked in id order (two deletes never wait for
    each other in opposite orders; a row added under one of them waits for the delete)."""
    ids = {obj.pk for obj in objs}
    return list(
        model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
    )


# --- Courses and lessons --------------------------------------------------------------------------

# What the course form sets (``published`` goes through set_course_published: it leaves a trace).
COURSE_FIELDS = ("title", "slug", "summary", "position", "joining", "learners_see", "language", "time_zone")
# What the lesson form sets (``published``: set_lesson_published; ``body_html`` is rendered here).
LESSON_FIELDS = ("course", "number", "title", "slug", "summary", "body", "position")


@transaction.atomic
def create_course(
    *,
    title: str,
    slug: str,
    summary: str = "",
    published: bool = False,
    position: int = 0,
    joining: str = Course.Joining.OPEN,
    learners_see: str = Course.LearnersSee.COURSE,
    language: str = settings.LANGUAGE_CODE,
    time_zone: str = settings.TIME_ZONE,
    cohorts: Iterable[tuple[str, date]] = (),
) -> Course:
    """A new course with its first cohorts: those given as (name, start date), else its default one
    (every course has a cohort). The admin, the demo and the tests create courses through here."""
    course = Course.objects.create(
        title=title, slug=slug, summary=summary, published=published, position=position,
        joining=joining, learners_see=learners_see, language=language, time_zone=time_zone,
    )  # fmt: skip
    for name, starts_on in cohorts:
        create_cohort(course=course, name=name, starts_on=starts_on)
    ensure_default_cohort(course=course)
    return course


@transaction.atomic
def update_course(*, course: Course, **fields: Any) -> Course:
    """Change a course's details (``COURSE_FIELDS``)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    changed = _apply(course, fields, COURSE_FIELDS, "update_course")
    if changed:
        course.save(update_fields=[*changed, "updated_at"])
    return course


@transaction.atomic
def delete_courses(*, courses: Iterable[Course]) -> int:
    """Delete courses with their lessons, cohorts and enrolments. The lessons' activities go first,
    through the app that owns them (``signals.lessons_deleting``). Returns how many went."""
    ids = _locked_ids(Course, courses)
    if not ids:
        return 0
    lessons = Lesson.objects.filter(course_id__in=ids).select_for_update().order_by("pk")
    _tell_lessons_deleting(lessons.values_list("pk", flat=True))
    return Course.objects.filter(pk__in=ids).delete()[1].get(Course._meta.label, 0)


def render_lesson(body: str) -> str:
    """A lesson's Markdown → its stored HTML (the one pipeline: sanitised, links marked)."""
    return render_markdown(body)


@transaction.atomic
def create_lesson(
    *,
    course: Course,
    number: int,
    title: str,
    slug: str,
    body: str,
    summary: str = "",
    position: int = 0,
    published: bool = False,
) -> Lesson:
    """A new lesson, its Markdown rendered once here; pages show the stored HTML."""
    return Lesson.objects.create(
        course=course, number=number, title=title, slug=slug, summary=summary, body=body,
        body_html=render_lesson(body), position=position, published=published,
    )  # fmt: skip


@transaction.atomic
def update_lesson(*, lesson: Lesson, **fields: Any) -> Lesson:
    """Change a lesson's text or place (``LESSON_FIELDS``). Its HTML is rendered again from the
    body, so saving a lesson also brings its HTML up to the pipeline of the day."""
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    changed = _apply(lesson, fields, LESSON_FIELDS, "update_lesson")
    body_html = render_lesson(lesson.body)
    if body_html != lesson.body_html:
        lesson.body_html = body_html
        changed.append("body_html")
    if changed:
        lesson.save(update_fields=[*changed, "updated_at"])
    return lesson


@transaction.atomic
def delete_lessons(*, lessons: Iterable[Lesson]) -> int:
    """Delete lessons. Their activities go first, through the app that owns them
    (``signals.lessons_deleting``: community deletes them and recounts only the post counts they
    held). Returns how many went."""
    ids = _locked_ids(Lesson, lessons)
    if not ids:
        return 0
    _tell_lessons_deleting(ids)
    return Lesson.objects.filter(pk__in=ids).delete()[1].get(Lesson._meta.label, 0)


def _tell_lessons_deleting(lesson_ids: Iterable[int]) -> None:
    lesson_ids = sorted(lesson_ids)
    if lesson_ids:
        signals.lessons_deleting.send(sender=Lesson, lesson_ids=lesson_ids)


# --- Cohorts and enrolment ------------------------------------------------------------------------

INVITATION_SALT = "lessons.invitation"
INVITATION_MAX_AGE = timedelta(days=30)

# What the cohort form changes (a cohort stays in its course: its enrolments are that course's).
COHORT_FIELDS = ("name", "starts_on")


class InvalidInvitation(Exception):
    """The invitation link was altered, has expired, or is for another course."""


def ensure_default_cohort(*, course: Course) -> Cohort:
    """The course's cohort when it has one (its current one), else a new default cohort."""
    cohort = Cohort.objects.current_for(course)
    if cohort is None:
        cohort, _ = Cohort.objects.get_or_create(course=course, name=Cohort.DEFAULT_NAME)
    return cohort


@transaction.atomic
def create_cohort(
    *, course: Course, name: str, starts_on: date | None = None, facilitators: Iterable[User] = ()
) -> Cohort:
    """Another run of ``course`` (starting today unless ``starts_on`` says otherwise)."""
    cohort = Cohort.objects.create(
        course=course, name=name, **({"starts_on": starts_on} if starts_on is not None else {})
    )
    if facilitators:
        cohort.facilitators.add(*facilitators)
    return cohort


@transaction.atomic
def update_cohort(*, cohort: Cohort, **fields: Any) -> Cohort:
    """Rename a cohort or move its start date (``COHORT_FIELDS``)."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    changed = _apply(cohort, fields, COHORT_FIELDS, "update_cohort")
    if changed:
        cohort.save(update_fields=changed)
    return cohort


@transaction.atomic
def set_facilitators(*, cohort: Cohort, users: Iterable[User]) -> None:
    """The cohort's facilitators become exactly ``users``."""
    cohort.facilitators.set(list(users))


@transaction.atomic
def add_facilitators(*, cohort: Cohort, users: Iterable[User]) -> None:
    """``users`` facilitate the cohort too (idempotent; others stay)."""
    cohort.facilitators.add(*users)


@transaction.atomic
def delete_cohorts(*, cohorts: Iterable[Cohort]) -> int:
    """Delete cohorts with their enrolments (the admin's confirmation lists them). A course left
    without a cohort gets its default one again: every course has one. Returns how many went."""
    ids = _locked_ids(Cohort, cohorts)
    courses = list(Course.objects.filter(cohorts__pk__in=ids).distinct().order_by("pk"))
    deleted = Cohort.objects.filter(pk__in=ids).delete()[1].get(Cohort._meta.label, 0)
    for course in courses:
        ensure_default_cohort(course=course)
    return deleted


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
def move_to_cohort(*, enrolments: Iterable[Enrolment], cohort: Cohort) -> int:
    """Move enrolments of ``cohort``'s course into ``cohort``; those of other courses are left
    alone. Returns how many moved."""
    return (
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments], course_id=cohort.course_id)
        .exclude(cohort=cohort)
        .update(cohort=cohort)
    )


@transaction.atomic
def unenrol(*, enrolments: Iterable[Enrolment]) -> int:
    """Take members out of courses (the admin's delete); what they posted stays. Returns how many
    enrolments went. The links of their cohorts are renewed: a removed member needs a new
    invitation, not the link they already have (issue 21, item 26)."""
    ids = [enrolment.pk for enrolment in enrolments]
    cohort_ids = set(Enrolment.objects.filter(pk__in=ids).values_list("cohort_id", flat=True))
    deleted = Enrolment.objects.filter(pk__in=ids).delete()
    Cohort.objects.filter(pk__in=cohort_ids).update(invitation_version=F("invitation_version") + 1)
    return deleted[1].get(Enrolment._meta.label, 0)


def invitation_token(cohort: Cohort) -> str:
    """A signed token naming ``cohort`` and its ``invitation_version``; valid for
    INVITATION_MAX_AGE, for anyone who has it, until the cohort's link is renewed."""
    return _invitation_signer().sign_object({"cohort": cohort.pk, "v": cohort.invitation_version})


@transaction.atomic
def renew_invitation(*, cohort: Cohort) -> Cohort:
    """Revoke the cohort's invitation links (every one given out so far) and make a new one: the
    version signed into them moves on."""
    Cohort.objects.filter(pk=cohort.pk).update(invitation_version=F("invitation_version") + 1)
    cohort.refresh_from_db(fields=["invitation_version"])
    return cohort


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
        raise InvalidInvitation(gettext("This invitation has expired.")) from error
    except signing.BadSignature as error:
        raise InvalidInvitation(gettext("This invitation link is not valid.")) from error
    cohort = Cohort.objects.filter(pk=data.get("cohort"), course=course).select_related("course").first()
    if cohort is None:
        raise InvalidInvitation(gettext("This invitation is for another course."))
    if data.get("v", 1) != cohort.invitation_version:  # links made before versions were version 1
        raise InvalidInvitation(
            gettext("This invitation link has been replaced by a newer one: ask a facilitator for it.")
        )
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
    # The sign-up has the invited address filled in (allauth reads ``email``): the newcomer does not
    # type again what the invitation already gave them (WCAG 3.3.7); they may still change it.
    query = urlencode({"next": join_path, "email": address})
    signup = f"{settings.SITE_URL}{reverse('account_signup')}?{query}"
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
        # Translators: an invitation email's subject; %(site)s is the site's name, %(course)s the course's title.
        subject=gettext("[%(site)s] You are invited to %(course)s")
        % {"site": settings.SITE_NAME, "course": cohort.course.title},
        body=render_to_string("lessons/email/invitation.txt", context),
        to=[address],
    )
    send_later(message)

"""Who arrives from a platform, and where: every write of a launch goes through here, and every
enrolment, cohort and facilitator change through ``lessons.services``.

- The platform user (issuer + ``sub``) is one Reflect account, made on their first launch with the
  name the platform gives. Its address is a placeholder that never receives mail
  (``…@lti.invalid``): the platform's email is kept on django-lti's ``LtiUser`` and never matched
  against existing accounts, so nobody's account is taken over by a platform that says their email.
- The LMS context is a Reflect course once linked (``CourseLink``: the admin, or deep linking by an
  instructor among the courses the platform may use); its section is a cohort (``SectionCohort``).
- Context roles: Instructor (and its sub-roles, TeachingAssistant among them), ContentDeveloper
  and Administrator facilitate the launch's cohort; Learner is enrolled in it. Nothing here makes
  anyone Django staff, a superuser, or a member of the site-wide Facilitator group.
"""

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from lti_tool.models import LtiContext, LtiLaunch, LtiRegistration, LtiUser

from accounts import roles as site_roles
from accounts.models import User
from accounts.services import create_member
from accounts.validators import display_name_validator, refuse_leaders_names
from community.models import Prompt
from lessons import services as lessons
from lessons.models import Cohort, Course, Enrolment, Lesson
from lti.launches import LaunchRefused
from lti.models import CourseLink, Platform, SectionCohort

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
LEADING_ROLES = ("Instructor", "ContentDeveloper", "Administrator")
LIS_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/lis"
CUSTOM_ACTIVITY = "reflect_activity"
CUSTOM_LESSON = "reflect_lesson"
CUSTOM_REPLIES = "reflect_replies"  # the participation rule of a graded activity (lti.grades)


# --- Roles ----------------------------------------------------------------------------------------


def _context_role(role: str) -> str | None:
    """The context role a role URI names ("Instructor" for ``membership#Instructor`` and for its
    sub-roles ``membership/Instructor#TeachingAssistant``), or None for system and institution
    roles. Short names ("Learner") are context roles (LTI 1.3 core, A.2.3)."""
    if re.fullmatch(r"\w+", role):
        return role
    if role.startswith(f"{MEMBERSHIP}#"):
        return role.removeprefix(f"{MEMBERSHIP}#")
    if role.startswith(f"{MEMBERSHIP}/"):
        return role.removeprefix(f"{MEMBERSHIP}/").split("#")[0]
    return None


def leads(role_uris: list[str] | None) -> bool:
    """Instructors (teaching assistants included), content developers and administrators of the
    context facilitate it."""
    return any(_context_role(role) in LEADING_ROLES for role in role_uris or ())


def learns(role_uris: list[str] | None) -> bool:
    return any(_context_role(role) == "Learner" for role in role_uris or ())


# --- The account ------------------------------------------------------------------------------------


def _placeholder_email(issuer: str, sub: str) -> str:
    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:32]
    return f"lti-{digest}@lti.invalid"


def _handle_from(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")[:24] or "member"
    blocked = {word.lower() for word in settings.ACCOUNT_USERNAME_BLACKLIST}
    if stem in blocked or stem.startswith("former_"):
        stem = f"member_{stem}"[:24]
    candidate, n = stem, 1
    while User.objects.filter(handle__iexact=candidate).exists():
        n += 1
        candidate = f"{stem}_{n}"
    return candidate


def _display_name(lti_user: LtiUser, fallback: str) -> str:
    name = " ".join((lti_user.name or f"{lti_user.given_name} {lti_user.family_name}").split())[:80]
    try:
        display_name_validator(name)
        refuse_leaders_names(name)
    except ValidationError:
        return fallback
    return name


def account_for(*, lti_user: LtiUser) -> User:
    return account_and_created(lti_user=lti_user)[0]


@transaction.atomic
def account_and_created(*, lti_user: LtiUser) -> tuple[User, bool]:
    """The Reflect account of a platform user: the one already linked to this issuer and ``sub``
    (through any registration of that issuer), else a new one named from the launch's claims
    (created: True). Two first launches at once make one account (its placeholder address is
    unique to issuer + sub)."""
    registration = lti_user.registration
    if lti_user.auth_user_id is not None:
        return lti_user.auth_user, False
    email = _placeholder_email(registration.issuer, lti_user.sub)
    known = (
        LtiUser.objects.filter(registration__issuer=registration.issuer, sub=lti_user.sub)
        .exclude(auth_user=None)
        .select_related("auth_user")
        .order_by("pk")
        .first()
    )
    user = known.auth_user if known is not None else User.objects.filter(email=email).first()
    created = False
    if user is None:
        handle = _handle_from(lti_user.name or lti_user.given_name or "member")
        for attempt in range(3):
            try:
                with transaction.atomic():
                    user = create_member(
                        email=email,
                        handle=handle if attempt == 0 else f"{handle[:24]}_{secrets.token_hex(2)}",
                        password=None,
                        display_name=_display_name(lti_user, handle),
                        roles=[site_roles.LEARNER],
                    )
                created = True
                break
            except IntegrityError:  # made meanwhile by a launch beside this one, or the handle taken
                user = User.objects.filter(email=email).first()
                if user is not None:
                    break
        else:
            raise LaunchRefused(_("Your Reflect account could not be made just now. Please try again."))
    LtiUser.objects.filter(pk=lti_user.pk).update(auth_user=user)
    lti_user.auth_user = user
    return user, created


# --- An existing Reflect account: linked only after its member signs in to it and confirms ------------


def existing_account(lti_user: LtiUser) -> User | None:
    """An active account other than the platform user's own whose (verified) address is the one the
    platform gives: offered for linking, never linked by itself."""
    from allauth.account.models import EmailAddress

    if not lti_user.email:
        return None
    verified = EmailAddress.objects.filter(email__iexact=lti_user.email, verified=True).values("user")
    return (
        User.objects.filter(is_active=True, pk__in=verified)
        .exclude(pk=lti_user.auth_user_id)
        .order_by("pk")
        .first()
    )


def owns_address(user: User, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return bool(email) and EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def link_existing_account(*, lti_user: LtiUser, user: User) -> User:
    """From now on the platform user (issuer + ``sub``) is ``user``, who signed in and confirmed:
    their places in courses move from the account made at the first launch, which is closed when it
    wrote nothing (its posts, if any, stay under its name)."""
    from accounts.services import update_member

    placeholder = lti_user.auth_user
    LtiUser.objects.filter(registration__issuer=lti_user.registration.issuer, sub=lti_user.sub).update(
        auth_user=user
    )
    if placeholder is None or placeholder == user:
        return user
    places = list(Enrolment.objects.filter(user=placeholder).select_related("cohort"))
    for enrolment in places:
        lessons.enrol(user=user, cohort=enrolment.cohort)
    lessons.unenrol(enrolments=places)
    for cohort in Cohort.objects.filter(facilitators=placeholder).order_by("pk"):
        lessons.add_facilitators(cohort=cohort, users=[user])
        lessons.set_facilitators(
            cohort=cohort, users=[f for f in cohort.facilitators.all() if f != placeholder]
        )
    if placeholder.post_count == 0:
        update_member(user=placeholder, is_active=False)
    return user


# --- Contexts, courses and cohorts ------------------------------------------------------------------


def platform_of(registration: LtiRegistration) -> Platform:
    platform, _created = Platform.objects.get_or_create(registration=registration)
    return platform


def linkable_courses(context: LtiContext) -> list[Course]:
    """The courses an instructor may pick for ``context``: its course once linked, else those the
    platform may use (``Platform.courses``)."""
    link = CourseLink.objects.filter(context=context).select_related("course").first()
    if link is not None:
        return [link.course]
    return list(platform_of(context.deployment.registration).courses.order_by("position", "title"))


@transaction.atomic
def link_course(*, context: LtiContext, course: Course, by: User | None = None) -> CourseLink:
    """``context`` is ``course`` from now on. A context is one course: linking it to another is
    refused (an admin changes the link)."""
    link, created = CourseLink.objects.select_for_update().get_or_create(
        context=context, defaults={"course": course, "linked_by": by}
    )
    if not created and link.course_id != course.pk:
        raise LaunchRefused(
            _("This LMS course is already linked to “%(course)s” in Reflect.") % {"course": link.course}
        )
    return link


def _section_of(launch: LtiLaunch) -> str:
    lis = launch.get_claim(LIS_CLAIM) or {}
    return str(lis.get("course_section_sourcedid") or "")[:255]


@transaction.atomic
def cohort_for(*, link: CourseLink, section_id: str = "") -> Cohort:
    """The cohort of a section of the linked context (made the first time the section is seen),
    else the link's cohort, else the course's current one."""
    if not section_id:
        return link.cohort or lessons.ensure_default_cohort(course=link.course)
    known = SectionCohort.objects.filter(context=link.context, section_id=section_id).first()
    if known is not None:
        return known.cohort
    base = f"{link.context.title or link.context.label or 'LMS'}: section {section_id}"[:90]
    name, n = base, 1
    while Cohort.objects.filter(course=link.course, name=name).exists():
        n += 1
        name = f"{base} ({n})"
    cohort = lessons.create_cohort(course=link.course, name=name)
    SectionCohort.objects.create(context=link.context, section_id=section_id, cohort=cohort)
    return cohort


@transaction.atomic
def lead(*, link: CourseLink, user: User) -> Cohort:
    """``user`` (who leads the context) facilitates the linked course's cohort for the context."""
    cohort = cohort_for(link=link)
    lessons.add_facilitators(cohort=cohort, users=[user])
    return cohort


@dataclass
class Arrival:
    user: User
    link: CourseLink | None
    cohort: Cohort | None
    leads: bool
    learns: bool


@transaction.atomic
def arrive(*, launch: LtiLaunch, user: User) -> Arrival:
    """Give ``user`` their place in the launch's course: facilitator of the launch's cohort for
    those who lead the context, enrolled in it for learners (moved there when their section
    changed). Nothing happens for a context not linked to a course yet."""
    role_uris = launch.roles_claim or []
    leading, learning = leads(role_uris), learns(role_uris)
    link = CourseLink.objects.filter(context=launch.context).select_related("course", "context").first()
    if link is None:
        return Arrival(user=user, link=None, cohort=None, leads=leading, learns=learning)
    section_id = _section_of(launch)
    cohort = cohort_for(link=link, section_id=section_id)
    if leading:
        lessons.add_facilitators(cohort=cohort, users=[user])
    elif learning:
        enrolment, created = lessons.enrol(user=user, cohort=cohort)
        if not created and section_id and enrolment.cohort_id != cohort.pk:
            lessons.move_to_cohort(enrolments=[enrolment], cohort=cohort)
    return Arrival(user=user, link=link, cohort=cohort, leads=leading, learns=learning)


# --- Where a launch lands ---------------------------------------------------------------------------


def _custom_id(launch: LtiLaunch, name: str) -> int | None:
    value = launch.get_custom_claim(name)
    return int(value) if value is not None and str(value).isdigit() else None


def landing_activity(*, launch: LtiLaunch, course: Course) -> Prompt | None:
    """The activity the resource link names (custom ``reflect_activity``, set by deep linking), if
    it is in ``course``."""
    activity_id = _custom_id(launch, CUSTOM_ACTIVITY)
    if activity_id is None:
        return None
    return (
        Prompt.objects.select_related("lesson__course").filter(pk=activity_id, lesson__course=course).first()
    )


def landing_url(*, launch: LtiLaunch, course: Course) -> str:
    """The activity or lesson space the resource link names (custom ``reflect_activity`` /
    ``reflect_lesson``, set by deep linking), if it is in ``course``; else the course page."""
    prompt = landing_activity(launch=launch, course=course)
    if prompt is not None:
        return reverse(
            "community:prompt-detail",
            kwargs={"course_slug": course.slug, "lesson_slug": prompt.lesson.slug, "prompt_id": prompt.pk},
        )
    lesson_id = _custom_id(launch, CUSTOM_LESSON)
    if lesson_id is not None:
        lesson = Lesson.objects.select_related("course").filter(pk=lesson_id, course=course).first()
        if lesson is not None:
            return lesson.get_community_url()
    return course.get_absolute_url()

"""The roster (LTI Names and Role Provisioning Services): the context's members, fetched by the
worker (``lti.tasks.sync_roster``), applied to the linked course.

Everything is fetched first (every page, following the platform's ``Link: rel="next"``) and only
then applied, in one transaction: a platform that fails half-way changes nothing, and the job is
retried. Applied: new members get their account and their place (facilitator or learner, in the
link's cohort: NRPS names no section); role changes follow; members the platform no longer lists
as active lose their place in the course (``lessons.services.unenrol``: their posts stay, they can
no longer post) unless another linked LMS course still lists them."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiContext, LtiMembership, LtiUser
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from accounts.models import User
from lessons import services as lessons
from lessons.models import Cohort, Enrolment
from lti import services
from lti.launches import TimeoutSession
from lti.models import CourseLink

MAX_PAGES = 500  # a platform whose "next" never ends does not hold a worker forever


class RosterUnavailable(Exception):
    """The platform did not give the roster (the job is retried)."""


def fetch_members(context: LtiContext) -> list[dict]:
    connector = ServiceConnector(
        context.deployment.registration.to_registration(), requests_session=TimeoutSession()
    )
    nrps = NamesRolesProvisioningService(connector, {"context_memberships_url": context.memberships_url})
    members, url, seen = [], context.memberships_url, set()
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise RosterUnavailable(f"the roster's pages do not end ({len(seen)} read)")
        seen.add(url)
        page, url = nrps.get_members_page(url)
        members.extend(page)
    return members


@dataclass
class RosterChanges:
    enrolled: list[int] = field(default_factory=list)
    facilitating: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.enrolled)} enrolled, {len(self.facilitating)} facilitating, "
            f"{len(self.dropped)} dropped"
        )


def _course_cohorts(link: CourseLink) -> list[Cohort]:
    return list(Cohort.objects.filter(course=link.course).order_by("pk"))


def _stop_facilitating(link: CourseLink, user: User) -> None:
    for cohort in _course_cohorts(link):
        facilitators = list(cohort.facilitators.all())
        if user in facilitators:
            lessons.set_facilitators(cohort=cohort, users=[f for f in facilitators if f != user])


def _listed_elsewhere(link: CourseLink, user: User) -> bool:
    """Whether another LMS course linked to the same Reflect course still lists ``user``."""
    return (
        LtiMembership.objects.filter(
            user__auth_user=user,
            is_active=True,
            context__reflect_link__course=link.course,
        )
        .exclude(context=link.context)
        .exists()
    )


@transaction.atomic
def apply_roster(*, link: CourseLink, members: list[dict]) -> RosterChanges:
    context = link.context
    # NRPS makes status optional (absent: Active); django-lti's update reads both keys.
    members = [{"status": "Active", "roles": [], **member} for member in members if member.get("user_id")]
    context.update_memberships(members)  # django-lti: LtiUser and LtiMembership rows
    registration = context.deployment.registration
    changes = RosterChanges()
    cohort = services.cohort_for(link=link)
    listed: set[int] = set()
    for member in members:
        if member.get("status", "Active") != "Active":
            continue
        lti_user = LtiUser.objects.get(registration=registration, sub=member["user_id"])
        user = services.account_for(lti_user=lti_user)
        listed.add(user.pk)
        if services.leads(member.get("roles")):
            if not Cohort.objects.filter(course=link.course, facilitators=user).exists():
                lessons.add_facilitators(cohort=cohort, users=[user])
                changes.facilitating.append(user.pk)
        elif services.learns(member.get("roles")):
            _stop_facilitating(link, user)
            _, created = lessons.enrol(user=user, cohort=cohort)
            if created:
                changes.enrolled.append(user.pk)
    known = User.objects.filter(lti_users__memberships__context=context).exclude(pk__in=listed).distinct()
    for user in known.order_by("pk"):
        if _listed_elsewhere(link, user):
            continue
        enrolments = Enrolment.objects.filter(user=user, course=link.course)
        was_there = (
            enrolments.exists() or Cohort.objects.filter(course=link.course, facilitators=user).exists()
        )
        lessons.unenrol(enrolments=list(enrolments))
        _stop_facilitating(link, user)
        if was_there:
            changes.dropped.append(user.pk)
    CourseLink.objects.filter(pk=link.pk).update(
        roster_synced_at=timezone.now(), roster_status=f"Synced: {changes}"[:300]
    )
    return changes


def record_failure(link: CourseLink, error: Exception) -> None:
    CourseLink.objects.filter(pk=link.pk).update(roster_status=f"Failed, will retry: {error}"[:300])

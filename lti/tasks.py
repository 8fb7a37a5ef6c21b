"""The worker's LTI jobs: roster sync (NRPS) on launch, nightly, and on a facilitator's request."""

import logging

from django.core.cache import cache
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from pylti1p3.exception import LtiException

from core.jobs import enqueue
from lti import grades, roster
from lti.models import CourseLink, GradedActivity

logger = logging.getLogger(__name__)

# A platform that fails is asked again, later and later (about 2 h over the attempts); nothing
# local changes until a sync succeeds.
ROSTER_RETRY = RetryStrategy(max_attempts=6, exponential_wait=60)
LAUNCH_SYNC_EVERY_SECONDS = 3600


@app.task(name="lti.sync_roster", retry=ROSTER_RETRY)
def sync_roster(link_id: int) -> None:
    link = (
        CourseLink.objects.select_related("context__deployment__registration", "course")
        .filter(pk=link_id)
        .first()
    )
    if link is None or not link.context.memberships_url:
        return
    try:
        members = roster.fetch_members(link.context)
    except (LtiException, roster.RosterUnavailable, OSError, ValueError) as error:
        roster.record_failure(link, error)
        raise
    changes = roster.apply_roster(link=link, members=members)
    logger.info("LTI roster of link %s synced: %s", link_id, changes)


def queue_roster_sync(link: CourseLink) -> None:
    enqueue(sync_roster, queueing_lock=f"lti-roster-{link.pk}", link_id=link.pk)


def queue_roster_sync_after_launch(link: CourseLink) -> None:
    """At most one sync an hour per LMS course from launches (a class arriving at once is one)."""
    if link.context.memberships_url and cache.add(
        f"lti-roster-launch-{link.pk}", 1, LAUNCH_SYNC_EVERY_SECONDS
    ):
        queue_roster_sync(link)


@app.periodic(cron="30 2 * * *", periodic_id="lti-roster-nightly")
@app.task(name="lti.sync_rosters_nightly", queueing_lock="lti-roster-nightly")
def sync_rosters_nightly(timestamp: int) -> None:
    for link in CourseLink.objects.exclude(context__memberships_url="").only("pk"):
        queue_roster_sync(link)


# --- Grades (AGS) ------------------------------------------------------------------------------------

SCORE_RETRY = RetryStrategy(max_attempts=8, exponential_wait=30)


class ScoresNotSent(Exception):
    """Some scores did not reach the platform: the job is retried (those sent are not sent again)."""


@app.task(name="lti.send_scores", retry=SCORE_RETRY)
def send_scores(graded_id: int) -> None:
    graded = (
        GradedActivity.objects.select_related(
            "prompt__lesson", "resource_link__context__deployment__registration"
        )
        .filter(pk=graded_id)
        .first()
    )
    if graded is None:
        return
    sent, failed = grades.send_scores(graded)
    logger.info("LTI scores of graded activity %s: %s sent, %s failed", graded_id, sent, failed)
    if failed:
        raise ScoresNotSent(f"{failed} score(s) not sent")


def queue_scores(graded: GradedActivity) -> None:
    enqueue(send_scores, queueing_lock=f"lti-scores-{graded.pk}", graded_id=graded.pk)


@app.periodic(cron="*/10 * * * *", periodic_id="lti-scores")
@app.task(name="lti.send_changed_scores", queueing_lock="lti-scores")
def send_changed_scores(timestamp: int) -> None:
    """Every ten minutes: each graded activity's changed scores (a post, a reply, a deletion)."""
    for graded in GradedActivity.objects.only("pk"):
        queue_scores(graded)

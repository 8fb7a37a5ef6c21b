"""Each learner's state in the learning platform's gradebook, on a graded activity's Insights page
(a section registered with ``community.insight_sections``): what was sent, what failed and is
being tried again, and who has nothing sent yet."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from lti.models import GradedActivity, ScoreSync
from lti.space import rule


@dataclass
class GradebookSection:
    rule: str
    sent_complete: int = 0
    sent_not_complete: int = 0
    failed: int = 0
    waiting: int = 0
    rows: str = ""  # the table's rows, rendered here (a roster of 2,000 costs the template engine)
    learners: int = 0
    template: str = "lti/_insight_gradebook.html"


def _state(sync: ScoreSync | None) -> str:
    if sync is None:
        return _("Nothing sent yet")
    if sync.status == ScoreSync.Status.FAILED:
        if sync.complete:
            return _("Sending “complete” failed; trying again")
        return _("Sending “not complete” failed; trying again")
    if not sync.sent_at:
        return _("Recorded as complete") if sync.complete else _("Recorded as not complete")
    when = {"when": date_format(timezone.localtime(sync.sent_at), "j M, H:i")}
    if sync.complete:
        # Translators: when is a date and time, e.g. "14 Mar, 09:30".
        return _("Recorded as complete (%(when)s)") % when
    # Translators: when is a date and time, e.g. "14 Mar, 09:30".
    return _("Recorded as not complete (%(when)s)") % when


def gradebook_section(*, prompt, learners, viewer=None) -> GradebookSection | None:
    """One query (is the activity graded), and one more for its learners' scores when it is."""
    graded = GradedActivity.objects.filter(prompt_id=prompt.pk).order_by("pk").first()
    if graded is None:
        return None
    syncs = {sync.user_id: sync for sync in ScoreSync.objects.filter(graded=graded)}
    section = GradebookSection(rule=rule(graded.replies_required, third_person=True), learners=len(learners))
    for learner in learners:
        sync = syncs.get(learner.user_id)
        if sync is None:
            section.waiting += 1
        elif sync.status == ScoreSync.Status.FAILED:
            section.failed += 1
        elif sync.complete:
            section.sent_complete += 1
        else:
            section.sent_not_complete += 1
    section.rows = format_html_join(
        "\n",
        '<tr><td><bdi>{}</bdi> <span class="muted">@{}</span></td><td>{}</td></tr>',
        ((learner.name, learner.handle, _state(syncs.get(learner.user_id))) for learner in learners),
    )
    return section

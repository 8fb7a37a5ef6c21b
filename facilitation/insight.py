"""Heard rate and median time to first response per cohort, on an activity's Insights page (a
section registered with ``community.insight_sections``)."""

from dataclasses import dataclass

from facilitation.queries import CohortFigures, figures, posts_by_cohort


@dataclass
class HeardSection:
    cohorts: list[CohortFigures]
    every_heard: bool
    template: str = "facilitation/_insight_heard.html"


def heard_section(*, prompt, learners, viewer=None) -> HeardSection | None:
    """One query (the activity's reflections the viewer may read, with their first response and
    whether "Every reflection gets a response" is on). The cohorts are the page's learners' (the
    cohort filter applies); a facilitator's own posts are not counted."""
    if viewer is None:
        return None
    rows = posts_by_cohort(viewer, [prompt.pk])
    if not rows:
        return None
    cohort_of = {learner.user_id: learner.cohort for learner in learners}
    names = {name: name for name in dict.fromkeys(learner.cohort for learner in learners)}
    learner_counts: dict[str, int] = {}
    for learner in learners:
        learner_counts[learner.cohort] = learner_counts.get(learner.cohort, 0) + 1
    for row in rows:  # the page's rows name cohorts; key the figures by name
        row["cohort_id"] = cohort_of.get(row["author_id"])
    shown = [c for c in figures(rows, cohort_names=names, learners=learner_counts) if c.reflections]
    if not shown:
        return None
    return HeardSection(cohorts=shown, every_heard=rows[0]["heard_on"])

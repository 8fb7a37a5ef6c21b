"""Each insight figure against the hand-computed world in conftest.py."""

import pytest

from insights.queries import activity_insight, worklist

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def by_handle(insight):
    return {row.handle: row for row in insight.learners}


def test_roster_reflected_and_rate(world):
    insight = activity_insight(prompt=world.prompt, viewer=world.users["fay"])
    assert sorted(by_handle(insight)) == ["ada", "ben", "cy", "dee", "eve", "gus"]
    assert insight.roster_size == 6
    assert insight.reflected_count == 3
    assert insight.response_rate == 50
    assert sorted(row.handle for row in insight.not_reflected) == ["ben", "dee", "gus"]


@pytest.mark.parametrize(
    ("cohort", "roster", "reflected", "rate"), [("spring", 4, 1, 25), ("autumn", 2, 2, 100)]
)
def test_cohort_filter(world, cohort, roster, reflected, rate):
    chosen = getattr(world, cohort)
    insight = activity_insight(prompt=world.prompt, viewer=world.users["fay"], cohort_id=chosen.pk)
    assert insight.cohort == chosen
    assert (insight.roster_size, insight.reflected_count, insight.response_rate) == (roster, reflected, rate)


def test_unknown_cohort_means_all(world):
    insight = activity_insight(prompt=world.prompt, viewer=world.users["fay"], cohort_id=999_999)
    assert insight.cohort is None and insight.roster_size == 6


def test_per_learner_figures(world):
    rows = by_handle(activity_insight(prompt=world.prompt, viewer=world.users["fay"]))
    ada, ben, cy, dee = rows["ada"], rows["ben"], rows["cy"], rows["dee"]
    assert (ada.reflections, ada.replies, ada.likes_given, ada.likes_received, ada.words) == (1, 0, 0, 2, 4)
    assert (ben.reflections, ben.replies, ben.likes_given, ben.likes_received, ben.words) == (0, 1, 1, 0, 2)
    assert (cy.reflections, cy.replies, cy.likes_given, cy.words) == (1, 1, 1, 5)
    assert ada.first_post == ada.last_post is not None
    assert cy.first_post < cy.last_post
    assert dee.last_visit is not None and dee.reflections == 0 and dee.first_post is None
    assert rows["eve"].last_visit is None


def test_hidden_post_counts_only_for_moderators(world):
    """The insight reads through visible_to: a cohort facilitator does not count gus's hidden
    reflection; a moderator, who may read it, does."""
    for_fay = by_handle(activity_insight(prompt=world.prompt, viewer=world.users["fay"]))
    for_mod = by_handle(activity_insight(prompt=world.prompt, viewer=world.users["moderator"]))
    assert for_fay["gus"].reflections == 0
    assert for_mod["gus"].reflections == 1


def test_unheard(world):
    insight = activity_insight(prompt=world.prompt, viewer=world.users["fay"])
    assert [post.pk for post in insight.unheard] == [world.posts["r2"].pk]
    assert insight.unheard_count == 1
    spring = activity_insight(prompt=world.prompt, viewer=world.users["fay"], cohort_id=world.spring.pk)
    assert spring.unheard == [] and spring.unheard_count == 0


def test_unheard_after_setting(world, settings):
    settings.UNHEARD_AFTER_HOURS = 100
    assert activity_insight(prompt=world.prompt, viewer=world.users["fay"]).unheard_count == 0


def test_a_facilitators_reply_makes_it_heard(world):
    from tests.factories import make_reflection

    make_reflection(parent=world.posts["r2"], author=world.users["facilitator"], body="I hear you.")
    assert activity_insight(prompt=world.prompt, viewer=world.users["fay"]).unheard_count == 0


def test_most_liked(world):
    insight = activity_insight(prompt=world.prompt, viewer=world.users["fay"])
    assert [post.pk for post in insight.most_liked] == [world.posts["r1"].pk]


def test_trend_counts_per_day(world):
    insight = activity_insight(prompt=world.prompt, viewer=world.users["fay"])
    # The prompt opened today (its posts were moved back in time): one day, all posts shown
    # by the day they were written would fall before it, so only eve's counts.
    assert sum(day.reflections for day in insight.trend) == 1
    from datetime import timedelta

    from community.models import Prompt

    Prompt.objects.filter(pk=world.prompt.pk).update(created_at=world.prompt.created_at - timedelta(days=5))
    world.prompt.refresh_from_db()
    trend = activity_insight(prompt=world.prompt, viewer=world.users["fay"]).trend
    assert len(trend) == 6
    assert [(day.reflections, day.replies) for day in trend] == [
        (0, 0),
        (0, 0),
        (2, 0),
        (0, 2),
        (0, 0),
        (1, 0),
    ]


def test_worklist(world):
    from tests.factories import make_prompt

    quiet = make_prompt(lesson=world.prompt.lesson, author=world.users["facilitator"], title="Quiet")
    items = worklist(world.users["fay"])
    assert [item.prompt.pk for item in items] == [world.prompt.pk, quiet.pk]  # 1 unheard first
    first, second = items
    assert (first.roster_size, first.reflected, first.unheard, first.response_rate) == (6, 3, 1, 50)
    assert (second.reflected, second.unheard, second.response_rate) == (0, 0, 0)
    assert worklist(world.users["ada"]) == []

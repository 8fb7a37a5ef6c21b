"""The insight page's long tables (insights/tables.py): every value escaped, the same cells the
template wrote, and the unheard count exact when only the oldest are listed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Reflection
from insights import queries, tables
from tests.factories import enrol, make_reflection, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

HOSTILE = '<script>alert("x")</script>'


def page(client, world, **query) -> str:
    client.force_login(world.users["fay"])
    url = reverse("insights:activity", args=[world.prompt.pk])
    return client.get(url, query).content.decode()


def test_names_and_cohorts_are_escaped_in_every_table(client, world):
    learner = make_user(handle="hostile", display_name=HOSTILE)
    world.autumn.name = "<b>Autumn</b>"
    world.autumn.save()
    enrol(learner, course=world.course, cohort=world.autumn)
    html = page(client, world)
    assert HOSTILE not in html and "<b>Autumn</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    waiting = html[html.index('id="not-reflected"') : html.index('id="unheard"')]
    learners = html[html.index('id="learners"') :]
    for table in (waiting, learners):
        assert '<a href="/u/hostile/"><bdi>&lt;script&gt;' in table
        assert "&lt;b&gt;Autumn&lt;/b&gt;" in table


def test_rows_show_visits_reminders_and_dashes(client, world):
    html = page(client, world)
    waiting = html[html.index('id="not-reflected"') : html.index('id="unheard"')]
    dee = waiting[waiting.index('data-learner="dee"') :].split("</tr>")[0]
    gus = waiting[waiting.index('data-learner="gus"') :].split("</tr>")[0]
    assert '<time class="timestamp timestamp--short" datetime=' in dee and "Never opened it" not in dee
    assert "Never opened it" in gus and gus.endswith("<td>—</td>")
    learners = html[html.index('id="learners"') :]
    ada = learners[learners.index("/u/ada/") :].split("</tr>")[0]
    # Spring, 1 reflection, no replies, no likes given, 2 likes received, 4 words; then first and last post, no visit
    cells = ada.split("<td>")[1:]
    assert [cell.split("</td>")[0] for cell in cells[:6]] == ["Spring", "1", "0", "0", "2", "4"]
    assert cells[6].startswith('<time class="timestamp timestamp--short"') and cells[8] == "—</td>"


def test_trend_rows_and_bars_agree_with_the_chart():
    days = [
        queries.TrendDay(timezone.localdate() - timedelta(days=n), n % 3, n % 2) for n in range(4, -1, -1)
    ]
    rows = str(tables.trend_rows(days))
    assert rows.count("<tr>") == 5 and rows.index(days[-1].label) < rows.index(days[0].label)
    from insights.chart import trend_chart

    chart = trend_chart(days)
    assert str(tables.chart_bars(chart.bars)).count("<rect ") == len(chart.bars) > 0


def test_unheard_count_is_exact_beyond_the_listed_oldest(client, world, monkeypatch):
    for index in range(3):
        post = make_reflection(prompt=world.prompt, author=world.users["ada"], body=f"Unanswered {index}")
        Reflection.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=4 + index))
    monkeypatch.setattr(queries, "UNHEARD_SHOWN", 2)
    insight = queries.activity_insight(prompt=world.prompt, viewer=world.users["fay"])
    assert insight.unheard_count == 4  # the three above and R2
    assert len(insight.unheard) == 2
    assert [post.body for post in insight.unheard] == ["Unanswered 2", "Unanswered 1"]  # oldest first
    html = page(client, world)
    assert "Unheard (4)" in html and "The oldest 2 of 4." in html


def test_the_chart_labels_its_axis_every_few_days():
    """Not only the first and last day (issue 21, item 18): at most six dates, evenly spaced."""
    from insights.chart import MAX_DAY_LABELS, trend_chart

    days = [queries.TrendDay(timezone.localdate() - timedelta(days=n), 1, 0) for n in range(29, -1, -1)]
    labels = trend_chart(days).day_labels
    assert 3 <= len(labels) <= MAX_DAY_LABELS
    assert labels[0].text == days[0].day.strftime("%-d %b") and labels[0].anchor == "start"
    gaps = {round(b.x - a.x) for a, b in zip(labels[1:], labels[2:], strict=False)}
    assert len(gaps) == 1  # evenly spaced
    assert trend_chart(days[:1]).day_labels[0].text == days[0].day.strftime("%-d %b")


def test_table_dates_are_short_with_the_full_date_in_the_title():
    when = timezone.now()
    html = str(tables._when(when))
    assert f">{timezone.localtime(when).strftime('%-d %b')}</time>" in html
    assert (
        'title="' in html and f'datetime="{timezone.localtime(when).isoformat(timespec="seconds")}"' in html
    )

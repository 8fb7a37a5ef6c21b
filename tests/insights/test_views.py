"""The Insights page, its CSV, nudges and the worklist, through the browser's door (the test client)."""

import csv
import io
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from insights.models import Nudge, NudgeRecipient
from notifications.kinds import Kind
from notifications.models import Notification
from tests.factories import enrol, make_reflection, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def insights_url(world, **query):
    url = reverse("insights:activity", args=[world.prompt.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("fay", 200), ("facilitator", 200), ("moderator", 200), ("ada", 404), ("outsider", 404), (None, 302)],
)
def test_who_may_read_insights(client, world, viewer, status):
    """Cohort facilitators of the course (fay is a learner-role member), Facilitator-role members
    (admin users), moderators and staff; learners and outsiders get the 404 a missing page gets."""
    if viewer:
        client.force_login(world.users[viewer])
    for url in (
        insights_url(world),
        reverse("insights:csv", args=[world.prompt.pk]),
        reverse("insights:nudge", args=[world.prompt.pk]),
    ):
        assert client.get(url).status_code == status, url


def test_staff_reads_insights(client, world):
    client.force_login(make_user(role="", is_staff=True))
    assert client.get(insights_url(world)).status_code == 200


def test_space_shows_the_insights_link_only_to_those_who_may_read_it(client, world):
    url = world.prompt.get_absolute_url()
    for viewer, shown in (("fay", True), ("moderator", True), ("ada", False), ("facilitator", True)):
        client.force_login(world.users[viewer])
        html = client.get(url).content.decode()
        assert (f'href="{insights_url(world)}">Insights</a>' in html) is shown, viewer


def test_page_shows_the_figures(client, world):
    client.force_login(world.users["fay"])
    html = client.get(insights_url(world)).content.decode()
    assert '<dd data-figure="reflected">3</dd>' in html
    assert '<dd data-figure="response-rate">50%</dd>' in html
    assert (
        "Not yet reflected (3)" in html and 'data-learner="dee"' in html and 'data-learner="ada"' not in html
    )
    assert (
        "Unheard (1)" in html and reverse("community:reflection-reply", args=[world.posts["r2"].pk]) in html
    )
    assert (
        "<svg" in html
        and "<title" in html
        and "<desc" in html
        and "style=" not in html
        and "<script>" not in html
    )
    spring = client.get(insights_url(world, cohort=world.spring.pk)).content.decode()
    assert '<dd data-figure="response-rate">25%</dd>' in spring and "Spring at a glance" in spring


def test_learners_table_sorts(client, world):
    client.force_login(world.users["fay"])
    html = client.get(insights_url(world, sort="words", dir="desc")).content.decode()
    table = html[html.index('id="learners"') :]
    order = [table.index(f"/u/{handle}/") for handle in ("cy", "ada", "ben")]  # 5, 4, 2 words
    assert order == sorted(order)
    assert 'aria-sort="descending"' in table


def test_page_runs_a_fixed_number_of_queries(client, world, assert_exact_queries):
    client.force_login(world.users["fay"])
    client.get(insights_url(world))  # warm the session
    # 13: the session comes from the cache (cached_db), the viewer with their roles and suspension
    # (one query: accounts.backends); the figures' statement runs in its own
    # transaction (a savepoint here, its release, and SET LOCAL jit = off); whether a learning
    # platform grades the activity (lti's section: one query, and one more when it does); the
    # reflections with their first response, per cohort (facilitation's heard section: one query);
    # followthrough's section (two: the plans' figures, who visited without posting).
    with assert_exact_queries(16):
        assert client.get(insights_url(world)).status_code == 200
    for index in range(30):  # a bigger roster, more posts, likes and visits
        learner = make_user(handle=f"more{index}")
        enrol(learner, course=world.course, cohort=world.autumn)
        if index % 2:
            make_reflection(prompt=world.prompt, author=learner, replies=1, likes=1)
    with assert_exact_queries(16):
        assert client.get(insights_url(world)).status_code == 200


def test_csv(client, world):
    world.users["ada"].display_name = '=HYPERLINK("http://evil")'
    world.users["ada"].save()
    client.force_login(world.users["fay"])
    response = client.get(reverse("insights:csv", args=[world.prompt.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Learner", "Handle", "Cohort", "Reflections"]
    assert len(rows) == 1 + 6
    evil = next(row for row in rows if row[1] == "ada")
    assert evil[0] == '\'=HYPERLINK("http://evil")'
    assert evil[3:8] == ["1", "0", "0", "2", "4"]
    spring = client.get(reverse("insights:csv", args=[world.prompt.pk]) + f"?cohort={world.spring.pk}")
    assert len(list(csv.reader(io.StringIO(spring.content.decode("utf-8-sig"))))) == 1 + 4


def nudge_url(world):
    return reverse("insights:nudge", args=[world.prompt.pk])


def test_nudge_form_lists_who_has_not_reflected(client, world):
    client.force_login(world.users["fay"])
    html = client.get(nudge_url(world)).content.decode()
    for handle in ("ben", "dee", "gus"):
        assert f'name="learners" value="{world.users[handle].pk}"' in html
    assert f'name="learners" value="{world.users["ada"].pk}"' not in html
    assert "is waiting for your reflection" in html  # the editable default message


def test_preview_keeps_the_message_and_sends_nothing(client, world):
    client.force_login(world.users["fay"])
    response = client.post(
        nudge_url(world),
        {"message": "Your voice matters here.", "learners": [world.users["dee"].pk], "preview": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Preview" in html and html.count("Your voice matters here.") == 2
    assert not Nudge.objects.exists()


def test_empty_message_comes_back_with_an_error(client, world):
    client.force_login(world.users["fay"])
    response = client.post(nudge_url(world), {"message": "  ", "learners": [world.users["dee"].pk]})
    assert response.status_code == 400 and "Write a short message" in response.content.decode()
    assert not Nudge.objects.exists()


def test_nudge_is_sent_by_the_worker_once_a_day(client, world, jobs, committed, settings):
    settings.NOTIFY_EMAIL_DELAY_SECONDS = 0
    client.force_login(world.users["fay"])
    ids = [world.users[h].pk for h in ("dee", "gus")]
    with committed():
        response = client.post(nudge_url(world), {"message": "We would love your view.", "learners": ids})
    assert response.status_code == 302
    assert NudgeRecipient.objects.filter(prompt=world.prompt).count() == 2
    assert not Notification.objects.filter(kind=Kind.NUDGE).exists()  # the worker's job
    jobs.run()
    notices = Notification.objects.filter(kind=Kind.NUDGE)
    assert sorted(n.recipient_id for n in notices) == sorted(ids)
    assert {n.actor_id for n in notices} == {world.users["fay"].pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["dee"].email, world.users["gus"].email]
    )
    assert "We would love your view." in mail.outbox[0].body

    # Again the same day: nobody is reminded twice; the page says so.
    response = client.post(nudge_url(world), {"message": "Again!", "learners": ids}, follow=True)
    assert NudgeRecipient.objects.filter(prompt=world.prompt).count() == 2
    html = client.get(nudge_url(world)).content.decode()
    assert "Reminded in the last 24 hours (2)" in html


def test_nudge_skips_those_who_reflected_meanwhile_and_non_learners(world):
    from insights.services import send_nudge

    make_reflection(prompt=world.prompt, author=world.users["dee"])
    result = send_nudge(
        prompt=world.prompt,
        sender=world.users["fay"],
        user_ids=[
            world.users["dee"].pk,
            world.users["gus"].pk,
            world.users["outsider"].pk,
            world.users["fay"].pk,
        ],
        message="Hello",
    )
    assert (result.sent, result.skipped_reflected) == (1, 1)
    assert list(NudgeRecipient.objects.values_list("user_id", flat=True)) == [world.users["gus"].pk]


def test_nudge_after_24_hours_is_allowed(world):
    from datetime import timedelta

    from django.utils import timezone

    from insights.services import send_nudge

    first = send_nudge(
        prompt=world.prompt, sender=world.users["fay"], user_ids=[world.users["dee"].pk], message="Hi"
    )
    assert first.sent == 1
    NudgeRecipient.objects.update(sent_at=timezone.now() - timedelta(hours=25))
    again = send_nudge(
        prompt=world.prompt, sender=world.users["fay"], user_ids=[world.users["dee"].pk], message="Hi"
    )
    assert (again.sent, again.skipped_recent) == (1, 0)


def test_worklist_page(client, world):
    client.force_login(world.users["fay"])
    html = client.get(reverse("insights:worklist")).content.decode()
    assert world.prompt.title in html and "50%" in html
    client.force_login(world.users["ada"])
    assert client.get(reverse("insights:worklist")).status_code == HTTPStatus.NOT_FOUND

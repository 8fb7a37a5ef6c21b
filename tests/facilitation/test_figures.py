"""Insights' heard section and the library's figures on /facilitate/."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse

from community.models import Reflection
from facilitation import services
from facilitation.queries import library_figures
from tests.factories import make_lesson, make_reflection, make_user

pytestmark = pytest.mark.django_db


def _answered_after(post, minutes):
    reply = make_reflection(parent=post, body="Heard you.")
    Reflection.objects.filter(pk=reply.pk).update(created_at=post.created_at + timedelta(minutes=minutes))


def test_insights_shows_the_heard_rate_and_median_time_to_first_response(client, heard_prompt, lead):
    posts = [make_reflection(prompt=heard_prompt, body="One two three") for _ in range(3)]
    _answered_after(posts[0], 30)
    _answered_after(posts[1], 90)
    client.force_login(lead)
    page = client.get(reverse("insights:activity", args=[heard_prompt.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "Every reflection heard" in page.text
    assert "67%" in page.text and "(2 of 3)" in page.text and "1 h 0 min" in page.text


def test_library_figures_per_run_and_cohort(heard_prompt, lead):
    entry = services.save_to_library(prompt=heard_prompt, by=lead).library_prompt
    a, b = make_user(), make_user()
    post = make_reflection(prompt=heard_prompt, author=a, body="one two three four")
    make_reflection(prompt=heard_prompt, author=b, body="one two")
    _answered_after(post, 10)
    again = services.create_from_library(
        library_prompt=entry, lesson=make_lesson(course=heard_prompt.lesson.course), by=lead
    )
    (shown,) = library_figures(lead)
    assert [run.prompt.pk for run in shown.runs] == [heard_prompt.pk, again.pk]
    (cohort,) = shown.runs[0].cohorts
    # The repliers (new members) count as learners too: everyone is enrolled in these tests.
    assert (cohort.reflections, cohort.heard, cohort.heard_rate, cohort.median_words) == (2, 1, 50, 3)
    assert shown.runs[1].cohorts[0].response_rate == 0


def test_the_worklist_shows_the_library(client, heard_prompt, lead):
    services.save_to_library(prompt=heard_prompt, by=lead)
    client.force_login(lead)
    page = client.get(reverse("insights:worklist"))
    assert "Prompt library" in page.text and "Follow-ups" in page.text


def test_library_figures_count_the_reflections_their_authors_followed_up(heard_prompt, lead):
    """Issue 25: the library's "Follow-ups" column: reflections whose author wrote a follow-up
    ("Come back to this"), as the facilitator may read them."""
    from community.services import create_reflection

    services.save_to_library(prompt=heard_prompt, by=lead)
    writer = make_user()
    first = create_reflection(prompt=heard_prompt, author=writer, body="A plan")
    create_reflection(prompt=heard_prompt, author=writer, body="Another")
    create_reflection(prompt=heard_prompt, author=writer, body="It went well", follows_up=first)
    (shown,) = library_figures(lead)
    assert shown.runs[0].cohorts[0].follow_ups == 1

"""What's new: posts since a member's last visit to an activity are marked, counted and linked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import ActivityVisit, Reflection
from tests.factories import make_prompt, make_reflection

pytestmark = pytest.mark.django_db


def _visit_was(user, prompt, ago: timedelta) -> None:
    ActivityVisit.objects.filter(user=user, prompt=prompt).update(visited_at=timezone.now() - ago)


def test_posts_since_the_last_visit_are_marked_new_and_counted(auth_client, user, other_user):
    prompt = make_prompt()
    old = make_reflection(prompt=prompt, author=other_user, body="old one")
    mine = make_reflection(prompt=prompt, author=user, body="mine")
    first = auth_client.get(prompt.get_absolute_url()).text
    assert "since your last visit" not in first and "badge--new" not in first  # first visit: nothing is "new"
    _visit_was(user, prompt, timedelta(minutes=5))
    Reflection.objects.filter(pk__in=[old.pk, mine.pk]).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    fresh = make_reflection(prompt=prompt, author=other_user, body="fresh one")
    reply = make_reflection(parent=mine, author=other_user, body="fresh reply")
    make_reflection(parent=mine, author=user, body="my own reply is not news to me")
    page = auth_client.get(prompt.get_absolute_url()).text
    assert "<strong>2 new</strong> since your last visit" in page
    assert f'href="{reverse("community:post", args=[fresh.pk])}">Go to the first new post' in page
    for post in (fresh, reply):
        block = page.split(f'id="post-{post.pk}"')[1].split("</header>")[0]
        assert "badge--new" in block
    assert "badge--new" not in page.split(f'id="post-{old.pk}"')[1].split("</header>")[0]
    lesson_page = auth_client.get(prompt.lesson.get_absolute_url()).text
    assert "<strong>0 new</strong>" not in lesson_page
    # Visiting updated the mark: the next visit has nothing new.
    assert "since your last visit" not in auth_client.get(prompt.get_absolute_url()).text


def test_the_lesson_page_counts_new_posts_across_its_activities(auth_client, user, other_user):
    prompt = make_prompt()
    second = make_prompt(lesson=prompt.lesson, title="Second")
    for activity in (prompt, second):
        auth_client.get(activity.get_absolute_url())
        _visit_was(user, activity, timedelta(minutes=5))
    make_reflection(prompt=prompt, author=other_user)
    make_reflection(prompt=second, author=other_user)
    page = auth_client.get(prompt.lesson.get_absolute_url()).text
    assert "<strong>2 new</strong> since your last visit" in page


def test_hidden_or_unreadable_posts_are_never_counted_as_new(auth_client, user, other_user, moderator):
    from moderation.services import hide_reflection

    prompt = make_prompt(independent_reflection=True)
    auth_client.get(prompt.get_absolute_url())
    _visit_was(user, prompt, timedelta(minutes=5))
    make_reflection(prompt=prompt, author=other_user)  # behind the independent-reflection gate
    page = auth_client.get(prompt.lesson.get_absolute_url()).text
    assert "new</strong>" not in page
    open_prompt = make_prompt(lesson=prompt.lesson)
    auth_client.get(open_prompt.get_absolute_url())
    _visit_was(user, open_prompt, timedelta(minutes=5))
    hidden = make_reflection(prompt=open_prompt, author=other_user)
    hide_reflection(reflection=hidden, moderator=moderator, reason="r")
    assert "since your last visit" not in auth_client.get(open_prompt.get_absolute_url()).text

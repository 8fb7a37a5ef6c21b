"""``{% lesson_reflection_count %}``: the lesson page's count, by the space's one visibility rule."""

import pytest
from django.utils import timezone

from community.services import delete_reflection
from tests.factories import make_prompt, make_reflection

pytestmark = pytest.mark.django_db


def callout(client, lesson) -> str:
    text = client.get(lesson.get_absolute_url()).text
    return text[text.index('<aside class="community-callout"') : text.index("</aside>")]


@pytest.fixture
def conversation(other_user):
    """Three live reflections (one with a reply), one hidden and one deleted placeholder."""
    prompt = make_prompt()
    first = make_reflection(prompt=prompt, replies=1)
    make_reflection(prompt=prompt)
    make_reflection(prompt=prompt, author=other_user)
    hidden = make_reflection(prompt=prompt)
    type(hidden).objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    removed = make_reflection(prompt=prompt, replies=1)
    delete_reflection(reflection=removed)  # stays as a placeholder: someone replied
    assert first.reply_count == 1
    return prompt.lesson


def test_counts_live_top_level_reflections_the_member_may_see(auth_client, conversation):
    assert "<strong>3 reflections</strong> so far." in callout(auth_client, conversation)


def test_moderators_count_hidden_reflections_too(client, moderator, conversation):
    client.force_login(moderator)
    assert "<strong>4 reflections</strong> so far." in callout(client, conversation)


def test_one_reflection_is_singular(auth_client, user):
    prompt = make_prompt()
    make_reflection(prompt=prompt)
    assert "<strong>1 reflection</strong> so far." in callout(auth_client, prompt.lesson)


def test_independent_reflection_hides_the_count_until_the_learner_has_reflected(auth_client, user):
    prompt = make_prompt(independent_reflection=True)
    make_reflection(prompt=prompt)
    assert "so far" not in callout(auth_client, prompt.lesson)
    make_reflection(prompt=prompt, author=user)
    assert "<strong>2 reflections</strong> so far." in callout(auth_client, prompt.lesson)


def test_anonymous_visitors_see_a_count_only_when_spaces_are_public(client, settings, conversation):
    assert "so far" not in callout(client, conversation)
    settings.COMMUNITY_PUBLIC_READING = True
    assert "<strong>3 reflections</strong> so far." in callout(client, conversation)

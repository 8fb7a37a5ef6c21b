"""The news checks agree with the one read rule for every kind of viewer, in the world of
``tests/community/test_visibility.py`` (two courses, cohort scope, independent reflection, private,
hidden, removed, suspended, a draft lesson): taking every post as new, the bar counts and "Show"
brings exactly the activity's live posts by others that ``visible_to`` gives the viewer (replies
only where the viewer sees their thread, as the space page shows them)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.community.test_visibility import (  # noqa: F401 - ``world``: a module-scoped fixture
    VIEWERS,
    _login,
    _rule,
    _viewer,
    world,
)
from tests.live.test_news import POST, _since_ever, bar_text

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

BAR = re.compile(
    r"^(?:(\d+) new reflections?)?(?: and )?(?:(\d+) new repl(?:y|ies))? ?(?:Show the new posts)?$"
)


def _expected(built, viewer, prompt) -> tuple[set[int], set[int]]:
    readable = _rule(built, viewer)
    listed = _rule(built, viewer, placeholders=True)
    posts = [built.post(pk) for pk in readable]
    mine = viewer.pk if viewer.is_authenticated else None
    news = [p for p in posts if p.prompt_id == prompt.pk and not p.is_deleted and p.author_id != mine]
    threads = {p.pk for p in news if p.thread_id is None}
    replies = {p.pk for p in news if p.thread_id is not None and p.thread_id in listed}
    return threads, replies


@pytest.mark.parametrize("name", VIEWERS)
def test_the_bar_and_show_give_exactly_the_rules_news(client, settings, world, name):  # noqa: F811
    settings.COMMUNITY_PUBLIC_READING = False
    _login(client, world, name)
    viewer = _viewer(world, name)
    counted_any = name == "anonymous"
    for prompt in world.activities:
        url = reverse("live:space-news", args=[prompt.pk])
        if name == "anonymous":
            assert client.get(url).status_code == HTTPStatus.FORBIDDEN
            continue
        threads, replies = _expected(world, viewer, prompt)
        since = _since_ever(viewer, prompt)
        answer = client.get(url, {"since": since})
        if answer.status_code == HTTPStatus.NOT_FOUND:  # an activity the viewer may not open at all
            assert not threads and not replies, (name, prompt.title)
            continue
        counted = BAR.match(bar_text(answer))
        assert counted, bar_text(answer)
        assert (int(counted[1] or 0), int(counted[2] or 0)) == (len(threads), len(replies)), (
            name,
            prompt.title,
        )
        counted_any = counted_any or bool(threads)
        shown = client.get(reverse("live:space-new-posts", args=[prompt.pk]), {"since": since})
        ids = set(map(int, POST.findall(shown.text)))
        # The new threads come with the first replies the viewer may read in them (as on the page).
        assert threads | replies <= ids, (name, prompt.title)
        assert ids <= _rule(world, viewer), (name, prompt.title)
    assert counted_any, name  # the world has news for every member

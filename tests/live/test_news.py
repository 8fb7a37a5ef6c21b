"""The news checks (live/): the space's bar counts what the viewer may read that is new, "Show"
brings exactly those posts, the header's count follows the notices, each answers 304 from one
version read while nothing changed, and nothing unreadable is ever counted or shown."""

import re
from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from community import services
from community.models import Reflection
from lessons.models import Course
from live.tokens import SpaceSince
from moderation import services as moderation
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

POST = re.compile(r'<article class="post[^"]*" id="post-(\d+)"')


def news_url(prompt) -> str:
    return reverse("live:space-news", args=[prompt.pk])


def first_check(client, prompt, seen=()):
    response = client.get(news_url(prompt), {"seen": ",".join(map(str, seen))})
    assert response.status_code == HTTPStatus.OK, response.status_code
    return response


def check(client, prompt, since: str):
    return client.get(news_url(prompt), {"since": since})


def bar_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def show(client, prompt, since: str):
    response = client.get(reverse("live:space-new-posts", args=[prompt.pk]), {"since": since})
    assert response.status_code == HTTPStatus.OK
    return response


def test_the_bar_counts_new_reflections_and_replies_by_others(auth_client, user, other_user):
    prompt = make_prompt()
    earlier = make_reflection(prompt=prompt, author=other_user, body="Already on the page")
    page = auth_client.get(prompt.get_absolute_url()).text
    assert 'data-live-news="/live/spaces/' in page and 'role="status"' in page
    first = first_check(auth_client, prompt, seen=[earlier.pk])
    assert bar_text(first) == ""  # what the page shows is not news
    since = first.headers["X-Live-Since"]
    assert check(auth_client, prompt, since).status_code == HTTPStatus.NOT_MODIFIED

    make_reflection(prompt=prompt, author=other_user, body="A colleague's new view")
    make_reflection(prompt=prompt, author=user, body="My own is not news to me")
    answer = check(auth_client, prompt, since)
    assert bar_text(answer) == "1 new reflection Show the new posts"
    since = answer.headers["X-Live-Since"]
    assert check(auth_client, prompt, since).status_code == HTTPStatus.NOT_MODIFIED

    make_reflection(prompt=prompt, author=make_user(), body="Another")
    make_reflection(prompt=prompt, author=make_user(), body="And another")
    make_reflection(parent=earlier, author=make_user(), body="A reply")
    answer = check(auth_client, prompt, since)
    assert bar_text(answer) == "3 new reflections and 1 new reply Show the new posts"


def test_nothing_changed_is_a_304_after_one_query(auth_client, user, other_user, assert_exact_queries):
    prompt = make_prompt()
    since = first_check(auth_client, prompt).headers["X-Live-Since"]
    auth_client.get("/healthz")  # the session and the member are read as for any request
    with assert_exact_queries(2):  # the member (accounts.backends), then the versions (core.versions)
        assert check(auth_client, prompt, since).status_code == HTTPStatus.NOT_MODIFIED


def test_show_inserts_exactly_the_new_posts_as_the_page_prints_them(auth_client, user, other_user):
    prompt = make_prompt()
    mine = make_reflection(prompt=prompt, author=user, body="My reflection")
    since = first_check(auth_client, prompt, seen=[mine.pk]).headers["X-Live-Since"]
    thread = make_reflection(prompt=prompt, author=other_user, body="A new thread")
    reply = make_reflection(parent=mine, author=other_user, body="An answer to mine")
    html = show(auth_client, prompt, since)
    text = html.content.decode()
    assert set(map(int, POST.findall(text))) == {thread.pk, reply.pk}
    assert f'id="thread-{thread.pk}"' in text and f'data-live-reply-to="{mine.pk}"' in text
    assert "A new thread" in text and "An answer to mine" in text
    assert text.count("badge--new") == 2
    # What was shown is not news any more.
    after = html.headers["X-Live-Since"]
    assert bar_text(check(auth_client, prompt, after)) == ""


def test_another_members_token_or_a_made_up_one_is_refused(client, user, other_user):
    prompt = make_prompt()
    client.force_login(other_user)
    theirs = first_check(client, prompt).headers["X-Live-Since"]
    client.force_login(user)
    assert check(client, prompt, theirs).status_code == HTTPStatus.BAD_REQUEST
    assert check(client, prompt, "made-up").status_code == HTTPStatus.BAD_REQUEST
    other = make_prompt()
    mine = first_check(client, prompt).headers["X-Live-Since"]
    assert check(client, other, mine).status_code == HTTPStatus.BAD_REQUEST  # another activity's
    client.logout()
    assert client.get(news_url(prompt)).status_code == HTTPStatus.FORBIDDEN


# --- Never a count for a post the viewer may not read ----------------------------------------------


def _since_ever(user, prompt) -> str:
    """A token that takes every post of the activity as new."""
    return SpaceSince(prompt_id=prompt.pk, course_id=prompt.lesson.course_id, user_id=user.pk,
                      after=datetime(2000, 1, 1, tzinfo=UTC)).dumps()  # fmt: skip


def _news(client, user, prompt) -> tuple[str, set[int]]:
    client.force_login(user)
    since = _since_ever(user, prompt)
    return bar_text(check(client, prompt, since)), set(
        map(int, POST.findall(show(client, prompt, since).text))
    )


def test_hidden_posts_are_never_news(client, user, other_user, moderator):
    prompt = make_prompt()
    hidden = make_reflection(prompt=prompt, author=other_user, body="soon hidden")
    moderation.hide_reflection(reflection=hidden, moderator=moderator, reason="Off topic")
    assert _news(client, user, prompt) == ("", set())
    assert _news(client, moderator, prompt)[1] == {hidden.pk}  # moderators read hidden posts


def test_private_posts_are_never_news(client, user, other_user, facilitator):
    prompt = make_prompt()
    services.create_reflection(prompt=prompt, author=other_user, body="only mine", is_private=True)
    assert _news(client, user, prompt) == ("", set())
    assert _news(client, facilitator, prompt) == ("", set())  # private means its author alone


@pytest.mark.enrolment  # members are enrolled as the test says, not in every course
def test_another_cohorts_posts_are_never_news(client, user, other_user):
    course = make_course(learners_see=Course.LearnersSee.COHORT)
    spring = course.cohorts.get()
    autumn = course.cohorts.create(name="Autumn")
    enrol(user, course=course, cohort=spring)
    enrol(other_user, course=course, cohort=autumn)
    prompt = make_prompt(lesson=make_lesson(course=course))
    make_reflection(prompt=prompt, author=other_user, body="autumn words")
    assert _news(client, user, prompt) == ("", set())
    neighbour = make_user()
    enrol(neighbour, course=course, cohort=spring)
    same = make_reflection(prompt=prompt, author=neighbour, body="spring words")
    assert _news(client, user, prompt)[1] == {same.pk}


def test_independent_reflection_shows_no_news_before_the_viewer_has_posted(client, user, other_user):
    prompt = make_prompt(independent_reflection=True)
    theirs = make_reflection(prompt=prompt, author=other_user, body="thought alone")
    assert _news(client, user, prompt) == ("", set())
    make_reflection(prompt=prompt, author=user, body="mine, and the gate opens")
    assert _news(client, user, prompt) == ("1 new reflection Show the new posts", {theirs.pk})


# --- The header's unread count ----------------------------------------------------------------------


def test_the_header_count_follows_the_notices_and_304s_meanwhile(
    auth_client, user, other_user, moderator, jobs, committed, assert_exact_queries
):
    prompt = make_prompt()
    mine = make_reflection(prompt=prompt, author=user, body="Mine")
    url = reverse("live:notices")
    first = auth_client.get(url)
    assert first.status_code == HTTPStatus.OK
    assert 'aria-label="Notifications"' in first.text and "data-live-notices" in first.text
    since = first.headers["X-Live-Since"]
    with assert_exact_queries(2):  # the member, the versions
        assert auth_client.get(url, {"since": since}).status_code == HTTPStatus.NOT_MODIFIED
    with committed():
        make_reflection(parent=mine, author=other_user, body="@amara what do you think?")
    jobs.run()
    answer = auth_client.get(url, {"since": since})
    assert 'aria-label="Notifications, 1 unread"' in answer.text
    assert '<span class="count-badge" aria-hidden="true">1</span>' in answer.text
    since = answer.headers["X-Live-Since"]
    assert auth_client.get(url, {"since": since}).status_code == HTTPStatus.NOT_MODIFIED
    # The post it is about is hidden: the header counts only what the member may read.
    reply = Reflection.objects.get(parent=mine)
    moderation.hide_reflection(reflection=reply, moderator=moderator, reason="r")
    assert 'aria-label="Notifications"' in auth_client.get(url, {"since": since}).text


# --- Off, and streams off ----------------------------------------------------------------------------


def test_with_streams_off_the_pages_poll(auth_client, user, settings):
    settings.LIVE_STREAMS = False
    prompt = make_prompt()
    page = auth_client.get(prompt.get_absolute_url()).text
    assert 'data-live-stream=""' in page  # no stream: live.js polls alone
    assert (
        f'data-live-news="{news_url(prompt)}"' in page
        and f'data-live-every="{settings.LIVE_POLL_SECONDS}"' in page
    )
    assert 'data-live-notices="/live/notices"' in page


def test_with_live_news_off_the_pages_are_as_without_javascript(auth_client, user, settings):
    settings.LIVE_NEWS = False
    prompt = make_prompt()
    page = auth_client.get(prompt.get_absolute_url()).text
    assert "live.js" not in page and "data-live-news" not in page and "data-live-notices" not in page


# --- Where the bar is, and where "Show" puts new threads ------------------------------------------------


def test_the_bar_is_on_the_orders_news_belongs_to_and_says_where_threads_go(auth_client, user, settings):
    settings.REFLECTIONS_PER_PAGE = 2
    prompt = make_prompt()
    for n in range(3):
        make_reflection(prompt=prompt, body=f"Thought {n}")
    url = prompt.get_absolute_url()

    def bar(query: str = "") -> str:
        found = re.search(r'<div class="live-news"[^>]*>', auth_client.get(url + query).text)
        return found[0] if found else ""

    # "Oldest", page 1 of 2: new threads belong on the last page ("Show" goes there).
    assert 'data-live-order="oldest"' in bar() and 'data-live-at-end="false"' in bar()
    # "Newest", page 1: new threads go at its top.
    assert 'data-live-order="newest"' in bar("?order=newest") and 'data-live-at-end="true"' in bar(
        "?order=newest"
    )
    assert bar("?order=mine") == "" and bar("?order=highlighted") == ""  # not where news goes


def test_behind_independent_reflections_gate_there_is_no_bar(auth_client, user, other_user):
    prompt = make_prompt(independent_reflection=True)
    make_reflection(prompt=prompt, author=other_user, body="thought alone")
    assert "data-live-news" not in auth_client.get(prompt.get_absolute_url()).text

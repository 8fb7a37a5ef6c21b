"""/search/ through the test client: the header form, bad input, who may search, a fixed number
of queries, and valid HTML."""

import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_lesson, make_prompt, make_reflection, make_user
from tests.html_validation import nu_errors, require_java

pytestmark = pytest.mark.django_db
URL = reverse("search:results")


def result_links(html: str) -> list[str]:
    return re.findall(r'<h3 class="search-result__title">\s*<a href="([^"]+)"', html)


def test_every_page_has_the_search_form_in_its_header(client, auth_client, settings):
    settings.COMMUNITY_PUBLIC_READING = True  # else anonymous visitors may not search (no box)
    for page in (client.get("/"), auth_client.get("/"), auth_client.get(URL)):
        html = page.text
        assert '<form role="search" action="/search/" method="get" class="site-search">' in html
        assert '<label for="site-search" class="visually-hidden">Search</label>' in html
        assert '<input type="search" id="site-search" name="q"' in html


def test_a_search_shows_each_result_with_its_author_activity_lesson_time_and_link(auth_client, other_user):
    lesson = make_lesson(title="Owning mistakes")
    prompt = make_prompt(lesson=lesson, title="What happened next?")
    post = make_reflection(prompt=prompt, author=other_user, body="The manager said **sorry** first.")
    response = auth_client.get(URL, {"q": "sorry"})
    assert response.status_code == HTTPStatus.OK
    html = response.text
    assert result_links(html) == [f"/posts/{post.pk}/"]
    assert "Reflection by Ben Carter" in html
    assert "The manager said <mark>sorry</mark> first" in html
    assert f'<a href="{prompt.get_absolute_url()}">What happened next?</a>' in html
    assert f"Lesson {lesson.number}: Owning mistakes" in html
    assert '<time class="timestamp" datetime="' in html
    assert "<strong>1 result</strong> for “sorry”" in html


def test_a_capped_search_says_so(auth_client, user, settings):
    settings.SEARCH_MAX_POSTS = 2
    prompt = make_prompt()
    for n in range(3):
        make_reflection(prompt=prompt, author=user, body=f"Courage {n}")
    html = auth_client.get(URL, {"q": "courage"}).text
    assert "<strong>At least 2 results</strong>" in html
    assert "the best matches among the newest 2 posts with these words" in html
    assert len(result_links(html)) == 2


def test_members_are_listed_above_the_results(auth_client, other_user):
    html = auth_client.get(URL, {"q": "@ben"}).text
    assert f'<a href="{other_user.get_absolute_url()}">Ben Carter</a>' in html


def test_filters_and_sort_come_back_in_the_form_and_in_page_links(auth_client, user, settings):
    settings.SEARCH_RESULTS_PER_PAGE = 2
    prompt = make_prompt()
    for n in range(3):
        make_reflection(prompt=prompt, author=user, body=f"Gratitude {n}")
    html = auth_client.get(URL, {"q": "gratitude", "mine": "on", "sort": "newest", "from": "2000-01-01"}).text
    assert "<strong>3 results</strong>" in html and "page 1 of 2" in html
    assert 'name="mine" id="id_mine" value="on" checked' in html
    assert 'value="2000-01-01"' in html
    assert '<input type="hidden" name="sort" value="newest">' in html
    assert "?q=gratitude&amp;mine=on&amp;sort=newest&amp;from=2000-01-01&amp;page=2" in html
    assert '<details class="search-form__filters" open>' in html


def test_anonymous_visitors_sign_in_first_unless_the_community_is_public(client, settings):
    settings.COMMUNITY_PUBLIC_READING = False
    response = client.get(URL, {"q": "anything"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/accounts/login/?next=/search/")
    settings.COMMUNITY_PUBLIC_READING = True
    post = make_reflection(body="Public words.")
    response = client.get(URL, {"q": "public"})
    assert response.status_code == HTTPStatus.OK
    assert result_links(response.text) == [f"/posts/{post.pk}/"]
    assert 'name="mine"' not in response.text  # "only mine" means nothing to a visitor


# --- Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", [None, "", "   ", "\t\n"])
def test_an_empty_search_asks_for_a_word(auth_client, q):
    response = auth_client.get(URL, {} if q is None else {"q": q})
    assert response.status_code == HTTPStatus.OK
    assert "Type a word to search" in response.text


def test_only_stop_words_are_explained(auth_client):
    make_reflection(body="The end.")
    response = auth_client.get(URL, {"q": "the and of"})
    assert response.status_code == HTTPStatus.OK
    assert "Those words are too common to search for" in response.text


def test_ten_thousand_characters_are_cut_with_a_note_before_the_database_sees_them(auth_client, settings):
    make_reflection(body="word " * 50)
    limit = settings.SEARCH_MAX_QUERY_LENGTH
    with CaptureQueriesContext(connection) as one_word:
        auth_client.get(URL, {"q": "word"})
    with CaptureQueriesContext(connection) as queries:
        response = auth_client.get(URL, {"q": "word " * 2_000})
    assert response.status_code == HTTPStatus.OK
    assert f"only its first {limit} characters were used" in response.text
    assert 'value="' + ("word " * 40).strip() + '"' in response.text
    # The work is that of any search: the queries of a one-word search, none carrying more of the
    # text than the cut query.
    assert len(queries) == len(one_word)
    sent = [run for query in queries for run in re.findall(r"(?:word ?)+", query["sql"])]
    assert sent and max(len(run) for run in sent) <= limit


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced quote',
        "'; DROP TABLE community_reflection; --",
        "1' OR '1'='1",
        "a & b | !c <-> d:*",
        "-",
        "or",
        "\\",
        "((((",
        "%_%",
        "<script>alert(1)</script>",
        "😀 ünïcödé 中文",
    ],
)
def test_odd_input_gets_a_friendly_page_never_a_500(auth_client, q):
    make_reflection(body="Something to find, perhaps a table.")
    response = auth_client.get(URL, {"q": q})
    assert response.status_code == HTTPStatus.OK
    assert "<script>alert(1)</script>" not in response.text


def test_invalid_filters_are_shown_and_the_rest_of_the_search_still_runs(auth_client, user):
    post = make_reflection(author=user, body="Resilience matters.")
    response = auth_client.get(
        URL, {"q": "resilience", "from": "not-a-date", "to": "2000-13-45", "course": "abc", "lesson": "99999"}
    )
    assert response.status_code == HTTPStatus.OK
    assert result_links(response.text) == [f"/posts/{post.pk}/"]
    assert "Enter a valid date." in response.text
    assert "Select a valid choice." in response.text


def test_searching_is_rate_limited_with_a_friendly_page(auth_client, settings):
    cache.clear()
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = settings.RATE_LIMITS
    for _ in range(2):
        assert auth_client.get(URL, {"q": "x"}).status_code == HTTPStatus.OK
    response = auth_client.get(URL, {"q": "x"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "search is paused for a little" in response.text
    assert auth_client.get(URL).status_code == HTTPStatus.OK  # the empty page costs nothing


# --- Queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("matching", [3, 30])
def test_the_results_page_runs_a_fixed_number_of_queries(auth_client, user, assert_exact_queries, matching):
    prompt = make_prompt()
    writers = [make_user() for _ in range(3)]
    for n in range(matching):
        post = make_reflection(prompt=prompt, author=writers[n % 3], body=f"Honesty, post {n}.")
        if n % 4 == 0:
            make_reflection(parent=post, author=user, body="An answer without the word.")
    # user with their roles (is_moderator) and suspension (the banner), the lessons for the filter
    # menus, one page of ranked rows with the count, the page's posts with their snippets, members,
    # the header's unread count. The session comes from the cache (cached_db; it was 9 with the db engine).
    with assert_exact_queries(6):
        response = auth_client.get(URL, {"q": "honesty"})
    assert len(result_links(response.text)) == min(matching, 20)


# --- HTML ------------------------------------------------------------------------------------------


def test_the_search_pages_are_valid_html(client, user, moderator, request):
    require_java(request.config)
    lesson = make_lesson(title="Listening well", body="Listening is a *skill*.")
    prompt = make_prompt(lesson=lesson, title="When did listening help?")
    post = make_reflection(prompt=prompt, author=user, body='Listening <script>alert("x")</script> & more')
    make_reflection(parent=post, body="Listening back.")
    from moderation.services import hide_reflection

    hide_reflection(reflection=make_reflection(prompt=prompt, author=user, body="Listening, hidden."),
                    moderator=moderator, reason="r")  # fmt: skip
    client.force_login(user)
    pages = {
        "empty": client.get(URL).text,
        "results": client.get(URL, {"q": "listening", "author": "x" * 101, "from": "bad"}).text,
        "members": client.get(URL, {"q": "amara"}).text,
        "nothing": client.get(URL, {"q": "zzzz"}).text,
        "stop words": client.get(URL, {"q": "the"}).text,
        "long": client.get(URL, {"q": "listening " * 100}).text,
    }
    assert "<mark>" in pages["results"]
    errors = nu_errors(pages)
    assert errors == {name: [] for name in pages}

"""The search service: what matches, in which order, with which filters, and snippets that stay
safe whatever a post says."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from community import services as community
from community.models import Reflection
from lessons.models import Lesson
from moderation import services as moderation
from search import services
from search.services import Filters, clean_query, highlight, search
from tests.factories import make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


def found(user, text, **kwargs) -> list[tuple[str, int]]:
    results = search(user=user, text=text, **kwargs)
    return [(hit.kind, int(hit.url.rstrip("/").rsplit("/", 1)[-1]) if hit.kind in {"reflection", "reply"} else hit.url)
            for hit in results.hits]  # fmt: skip


def post_ids(user, text, **kwargs) -> list[int]:
    return [pk for kind, pk in found(user, text, **kwargs) if kind in {"reflection", "reply"}]


# --- Matching ---------------------------------------------------------------------------------------


def test_a_post_is_found_by_a_word_of_its_text_in_any_form_of_the_word(user):
    post = make_reflection(body="We **reflected** on how the team handles feedback.")
    assert post_ids(user, "reflecting") == [post.pk]  # English stemming: reflect*
    assert post_ids(user, "handled feedback") == [post.pk]
    assert post_ids(user, "nothing-like-it") == []


def test_markup_is_not_searched_only_the_visible_words(user):
    post = make_reflection(body='See [the form](https://example.com/near-misses "a>b") and `code`.')
    assert post_ids(user, "form") == [post.pk]
    assert post_ids(user, "code") == [post.pk]
    # Attribute words (rel="nofollow ugc noopener", the address) are not the post's words.
    assert post_ids(user, "nofollow") == []
    assert post_ids(user, "noopener") == []
    assert post_ids(user, "href") == []


def test_web_search_syntax_phrases_exclusions_and_or(user):
    both = make_reflection(body="A blame free review keeps people talking.")
    apart = make_reflection(body="Free of blame, the review went well.")
    other = make_reflection(body="Talking helps, reviews help.")
    assert set(post_ids(user, "blame review")) == {both.pk, apart.pk}
    assert post_ids(user, '"blame free review"') == [both.pk]
    assert set(post_ids(user, "review -blame")) == {other.pk}
    assert set(post_ids(user, "apart or talking")) == {both.pk, other.pk}


def test_replies_prompts_and_lessons_are_found_too(user):
    lesson = make_lesson(title="Working with ambiguity", body="Ambiguity is normal in projects.")
    prompt = make_prompt(lesson=lesson, title="When was ambiguity useful?", body="Tell us.")
    post = make_reflection(prompt=prompt, body="Ambiguity let us try things.")
    reply = make_reflection(parent=post, body="Ambiguity scares me.")
    kinds = {kind for kind, _ in found(user, "ambiguity")}
    assert kinds == {"lesson", "activity", "reflection", "reply"}
    results = search(user=user, text="ambiguity")
    assert results.total == 4
    by_kind = {hit.kind: hit for hit in results.hits}
    assert by_kind["reply"].url == f"/posts/{reply.pk}/"
    assert by_kind["activity"].url == prompt.get_absolute_url()
    assert by_kind["lesson"].url == lesson.get_absolute_url()
    assert by_kind["reflection"].author == post.author
    assert by_kind["reflection"].prompt == prompt and by_kind["reflection"].lesson == lesson


def test_deleted_posts_are_never_found(user):
    post = make_reflection(body="A zanzibar story.")
    make_reflection(parent=post, body="A reply keeps the placeholder.")
    community.delete_reflection(reflection=post)
    assert Reflection.objects.filter(pk=post.pk, deleted_at__isnull=False).exists()
    assert post_ids(user, "zanzibar") == []
    # Even if its row still held words, the query leaves deleted posts out.
    Reflection.objects.filter(pk=post.pk).update(body_html="<p>zanzibar</p>")
    assert post_ids(user, "zanzibar") == []


def test_a_lesson_title_ranks_above_its_body_and_more_mentions_rank_higher(user):
    course = make_course()
    in_body = make_lesson(course=course, title="Feedback basics", body="On candour, once.")
    in_title = make_lesson(course=course, title="Candour at work", body="Why it matters.")
    ranked = [url for kind, url in found(user, "candour") if kind == "lesson"]
    assert ranked == [in_title.get_absolute_url(), in_body.get_absolute_url()]

    prompt = make_prompt()
    once = make_reflection(prompt=prompt, body="Trust matters here, and a lot of other things besides that.")
    often = make_reflection(prompt=prompt, body="Trust, trust and trust again.")
    assert post_ids(user, "trust") == [often.pk, once.pk]
    assert post_ids(user, "trust", sort="newest") == [often.pk, once.pk]
    Reflection.objects.filter(pk=once.pk).update(created_at=timezone.now() + timedelta(minutes=1))
    assert post_ids(user, "trust", sort="newest") == [once.pk, often.pk]
    assert post_ids(user, "trust", sort="relevance") == [often.pk, once.pk]


# --- Filters ---------------------------------------------------------------------------------------


def test_filters_course_lesson_author_mine_and_dates(user, other_user):
    course, other_course = make_course(), make_course()
    lesson, other_lesson = make_lesson(course=course), make_lesson(course=other_course)
    prompt, other_prompt = make_prompt(lesson=lesson), make_prompt(lesson=other_lesson)
    mine = make_reflection(prompt=prompt, author=user, body="Kindness first.")
    theirs = make_reflection(prompt=other_prompt, author=other_user, body="Kindness later.")
    old = make_reflection(prompt=prompt, author=other_user, body="Kindness long ago.")
    Reflection.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    every = {mine.pk, theirs.pk, old.pk}

    assert set(post_ids(user, "kindness")) == every
    assert set(post_ids(user, "kindness", filters=Filters(course_id=course.pk))) == {mine.pk, old.pk}
    assert set(post_ids(user, "kindness", filters=Filters(lesson_id=other_lesson.pk))) == {theirs.pk}
    assert set(post_ids(user, "kindness", filters=Filters(mine=True))) == {mine.pk}
    assert set(post_ids(user, "kindness", filters=Filters(author="@BEN"))) == {theirs.pk, old.pk}
    assert set(post_ids(user, "kindness", filters=Filters(author="carter"))) == {theirs.pk, old.pk}
    assert set(post_ids(user, "kindness", filters=Filters(author="@nobody"))) == set()
    today = timezone.localdate()
    assert set(post_ids(user, "kindness", filters=Filters(since=today))) == {mine.pk, theirs.pk}
    assert set(post_ids(user, "kindness", filters=Filters(until=today - timedelta(days=1)))) == {old.pk}
    assert set(post_ids(user, "kindness", filters=Filters(since=date(2000, 1, 1), until=today))) == every


def test_an_author_filter_leaves_out_lessons_which_have_no_author(user, facilitator):
    lesson = make_lesson(title="Curiosity")
    prompt = make_prompt(lesson=lesson, author=facilitator, title="Where is your curiosity?")
    make_reflection(prompt=prompt, author=user, body="My curiosity is about people.")
    assert {kind for kind, _ in found(user, "curiosity")} == {"lesson", "activity", "reflection"}
    assert {kind for kind, _ in found(user, "curiosity", filters=Filters(author="@fran"))} == {"activity"}
    assert {kind for kind, _ in found(user, "curiosity", filters=Filters(mine=True))} == {"reflection"}


def test_pagination_pages_through_every_match_once(user):
    prompt = make_prompt()
    posts = {make_reflection(prompt=prompt, author=user, body=f"Patience, note {n}.").pk for n in range(7)}
    seen = []
    for number in (1, 2, 3):
        results = search(user=user, text="patience", page_number=number, per_page=3)
        assert results.total == 7
        seen += [int(hit.url.strip("/").rsplit("/", 1)[-1]) for hit in results.hits]
    assert sorted(seen) == sorted(posts)
    assert search(user=user, text="patience", page_number="999", per_page=3).page.number == 3
    assert search(user=user, text="patience", page_number="x", per_page=3).page.number == 1


def test_when_very_many_posts_match_the_newest_are_ranked(user, settings):
    """SEARCH_MAX_POSTS bounds the work for a word in tens of thousands of posts."""
    settings.SEARCH_MAX_POSTS = 3
    prompt = make_prompt()
    posts = [make_reflection(prompt=prompt, author=user, body=f"Walnut {n}") for n in range(5)]
    results = search(user=user, text="walnut")
    assert results.capped and results.total == 3
    assert {hit.url for hit in results.hits} == {f"/posts/{post.pk}/" for post in posts[2:]}
    settings.SEARCH_MAX_POSTS = 5
    results = search(user=user, text="walnut")
    assert results.capped and results.total == 5
    settings.SEARCH_MAX_POSTS = 6
    assert not search(user=user, text="walnut").capped


def test_a_search_leaves_the_connection_as_it_found_it(user):
    """The main query runs without parallel workers (SET LOCAL); the setting is reset after it, so
    the rest of a request (or of a transaction) plans as before."""

    def workers() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            return cursor.fetchone()[0]

    before = workers()
    make_reflection(body="Sage advice.")
    assert search(user=user, text="sage").total == 1
    assert workers() == before


# --- Snippets --------------------------------------------------------------------------------------


HOSTILE = (
    'Tamarind: <script>alert("x")</script> </mark><img src=x onerror=alert(1)> '
    "&amp; &lt;b&gt; a \x02stray\x03 marker."
)


def test_snippets_of_hostile_text_are_escaped_and_only_our_marks_are_html(user):
    make_reflection(body=HOSTILE)
    [hit] = search(user=user, text="tamarind").hits
    snippet = str(hit.snippet)
    assert "<mark>Tamarind</mark>" in snippet
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1
    assert "<script" not in snippet and "<img" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "&lt;/mark&gt;" in snippet
    # Markdown reads the typed "&amp;" and "&lt;b&gt;" as characters, so the post shows "& <b>": so
    # does the snippet, escaped once (never "&amp;amp;", never a <b> tag).
    assert "&amp; &lt;b&gt;" in snippet
    assert "\x02" not in snippet and "\x03" not in snippet


def test_titles_are_plain_text_and_highlighted_whole(user):
    lesson = make_lesson(title="Q&amp;A <i>about</i> feedback")
    [hit] = search(user=user, text="feedback").hits
    assert hit.url == lesson.get_absolute_url()
    assert str(hit.title) == "Q&amp;amp;A &lt;i&gt;about&lt;/i&gt; <mark>feedback</mark>"


def test_marker_characters_in_stored_text_cannot_open_a_mark(user):
    """The Markdown pipeline turns control characters into "?", but whatever the stored HTML holds,
    the only marks in a snippet are around the words that matched."""
    post = make_reflection(body="Persimmon.")
    Reflection.objects.filter(pk=post.pk).update(
        body_html="<p>\x02Persimmon pudding, \x02figgy\x03 \x03 pudding</p>"
    )
    [hit] = search(user=user, text="persimmon").hits
    assert str(hit.snippet) == "<mark>Persimmon</mark> pudding, figgy pudding"


def test_highlight_balances_marks_and_escapes_everything_else():
    assert highlight("a \x02b\x03 <i>") == "a <mark>b</mark> &lt;i&gt;"
    assert highlight("\x02open") == "<mark>open</mark>"
    assert highlight("close\x03 \x03") == "close "
    assert highlight("&lt;script&gt; &amp;amp;") == "&lt;script&gt; &amp;amp;"
    assert highlight(None) == ""
    assert highlight("Q&amp;A \x02<b>\x03", from_html=False) == "Q&amp;amp;A <mark>&lt;b&gt;</mark>"


# --- Words ------------------------------------------------------------------------------------------


def test_queries_are_cut_to_the_maximum_length(settings):
    settings.SEARCH_MAX_QUERY_LENGTH = 10
    assert clean_query("  one   two  ") == ("one two", False)
    assert clean_query("x" * 11) == ("x" * 10, True)
    assert clean_query(None) == ("", False)


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "a -",
        "or or or",
        "!!!",
        "'; DROP TABLE community_reflection; --",
        "(a | b) & !c",
        "\\",
        "<->",
    ],
)
def test_odd_input_never_errors(user, text):
    make_reflection(body="Some words about drop tables.")
    results = search(user=user, text=text)
    assert results.total >= 0
    assert Reflection.objects.exists()


def test_only_stop_words_find_nothing_and_say_why(user):
    make_reflection(body="The and of.")
    results = search(user=user, text="the and")
    assert results.total == 0 and not results.searchable
    assert search(user=user, text="zebra").searchable


# --- Members ----------------------------------------------------------------------------------------


def test_members_are_found_by_the_start_of_their_handle_or_a_word_of_their_name(user, other_user):
    make_user(handle="benedikt", display_name="Benedikt Alt")
    gone = make_user(handle="bent", display_name="Former member")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert [m.handle for m in services.matching_members(user, "ben")] == ["ben", "benedikt"]
    assert [m.handle for m in services.matching_members(user, "@bene")] == ["benedikt"]
    assert [m.handle for m in services.matching_members(user, "carter")] == ["ben"]
    assert [m.handle for m in services.matching_members(user, "Ben Car")] == ["ben"]
    assert services.matching_members(user, "b") == []  # too short to be useful
    assert [m.handle for m in search(user=user, text="osei").members] == ["amara"]


def test_visitors_who_may_not_read_the_community_find_nothing_and_no_one(settings, user):
    settings.COMMUNITY_PUBLIC_READING = False
    make_reflection(body="Visible words.")
    visitor = AnonymousUser()
    results = search(user=visitor, text="visible amara")
    assert results.total == 0 and results.members == []
    assert services.matching_members(visitor, "amara") == []
    settings.COMMUNITY_PUBLIC_READING = True
    assert search(user=visitor, text="visible").total == 1
    assert [m.handle for m in services.matching_members(visitor, "amara")] == ["amara"]


def test_draft_lessons_only_for_staff(user, facilitator):
    make_lesson(title="Secret draft plans", published=False)
    assert search(user=user, text="secret").total == 0
    assert search(user=facilitator, text="secret").total == 1  # facilitators are staff
    assert Lesson.objects.count() == 1


def test_hidden_posts_only_for_their_author_and_moderators(user, other_user, moderator):
    post = make_reflection(author=user, body="Quince jam recipe.")
    moderation.hide_reflection(reflection=post, moderator=moderator, reason="Off topic")
    assert post_ids(other_user, "quince") == []
    [hit] = search(user=user, text="quince").hits
    assert hit.hidden == "moderator"
    assert post_ids(moderator, "quince") == [post.pk]

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Suspension
from community import keyset
from community.models import Like, Reflection
from community.querysets import THREAD_ORDERS
from tests.factories import make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


OLDEST = THREAD_ORDERS["oldest"]


def space_url(prompt):
    return prompt.lesson.get_community_url()


def create_url(prompt):
    return reverse("community:reflection-create", args=[prompt.pk])


def test_space_is_titled_and_links_back_to_the_lesson_twice(auth_client):
    prompt = make_prompt()
    lesson = prompt.lesson
    response = auth_client.get(space_url(prompt))
    assert response.status_code == HTTPStatus.OK
    assert f"{lesson.course.title} — Lesson {lesson.number}: your reflections" in response.text
    assert response.text.count("Return to the lesson page") == 2


def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    prompt = make_prompt()
    response = client.get(space_url(prompt))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('account_login')}?next={space_url(prompt)}"


def test_public_reading_setting_lets_anonymous_visitors_read(client, settings):
    settings.COMMUNITY_PUBLIC_READING = True
    reflection = make_reflection(body="Visible to all")
    response = client.get(space_url(reflection.prompt))
    assert "Visible to all" in response.text
    assert "to add your reflection" in response.text


def test_lesson_page_activity_list_and_heading_count_the_same_reflections(auth_client):
    """One definition of "N reflections" (live top-level posts; replies are not reflections)."""
    reflection = make_reflection(replies=2)
    make_reflection(prompt=reflection.prompt)
    make_prompt(lesson=reflection.prompt.lesson, title="Another activity")
    lesson_page = auth_client.get(reflection.prompt.lesson.get_absolute_url()).text
    assert "<strong>2 reflections</strong> so far" in lesson_page
    space = auth_client.get(space_url(reflection.prompt)).text
    assert '<span class="muted small">2 reflections</span>' in space
    assert 'Reflections <span class="muted">(2)</span>' in space
    assert " posts</span>" not in space.split('class="activity-nav"')[1].split("</nav>")[0]


def test_empty_space_invites_the_first_reflection(auth_client):
    prompt = make_prompt()
    response = auth_client.get(space_url(prompt))
    assert "No reflections yet — be the first" in response.text
    assert "Post reflection" in response.text


def test_a_locked_empty_activity_says_it_is_closed(auth_client):
    prompt = make_prompt(is_locked=False)
    prompt.is_locked = True
    prompt.save()
    page = auth_client.get(prompt.get_absolute_url()).text
    assert "This activity is closed" in page
    assert "be the first" not in page


def test_space_without_prompts_has_an_empty_state(auth_client):
    lesson = make_lesson()
    response = auth_client.get(lesson.get_community_url())
    assert response.status_code == HTTPStatus.OK
    assert "No activity here yet" in response.text


def test_post_a_reflection_redirects_to_it(auth_client, user):
    prompt = make_prompt()
    response = auth_client.post(create_url(prompt), {"body": "1. one\n2. [two](https://example.com)"})
    reflection = Reflection.objects.get(author=user)
    assert response.status_code == HTTPStatus.FOUND
    # The page ending at it (issue 13: a keyset cursor), so it shows with the reflections before it.
    assert response.url == (
        f"{prompt.get_absolute_url()}?until={keyset.encode(OLDEST, reflection)}#post-{reflection.pk}"
    )
    page = auth_client.get(response.url, follow=True)
    assert "<ol>" in page.text and 'href="https://example.com"' in page.text


def test_each_post_shows_author_role_count_time_and_permalink(auth_client, facilitator):
    prompt = make_prompt(author=facilitator)
    reflection = make_reflection(prompt=prompt, author=make_user(display_name="Zed Quinn"))
    response = auth_client.get(space_url(prompt))
    text = response.text
    assert "Zed Quinn" in text and "1 post<" in text
    assert "badge--facilitator" in text  # on the prompt
    assert '<time class="timestamp" datetime="' in text
    assert reflection.get_absolute_url() in text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "your reflection is empty"),
        ("   \n\t ", "your reflection is empty"),
        ("x" * 20_001, "the limit is 20,000"),
    ],
)
def test_bad_reflections_come_back_with_the_text_and_an_error(auth_client, body, message):
    prompt = make_prompt()
    response = auth_client.post(create_url(prompt), {"body": body})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.text
    if body.strip():
        assert body in response.text
    assert not Reflection.objects.exists()


def test_posting_to_a_locked_prompt_is_forbidden(auth_client):
    prompt = make_prompt(is_locked=True)
    response = auth_client.post(create_url(prompt), {"body": "hello"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "locked" in response.text
    assert not Reflection.objects.exists()


def test_replying_to_a_removed_post_is_forbidden(auth_client, other_user):
    reflection = make_reflection(author=other_user, replies=1)
    from community.services import delete_reflection

    delete_reflection(reflection=reflection)
    response = auth_client.post(
        reverse("community:reflection-reply", args=[reflection.pk]), {"reply-body": "hi"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "no longer available" in response.text and ">hi</textarea>" in response.text


def test_reply_page_works_without_javascript(auth_client, other_user, user):
    reflection = make_reflection(author=other_user, body="Original words")
    url = reverse("community:reflection-reply", args=[reflection.pk])
    page = auth_client.get(url + "?quote=1")
    assert "&gt; Original words" in page.text and "— @ben" in page.text
    response = auth_client.post(url, {"reply-body": "I agree, @ben"})
    reply = Reflection.objects.get(author=user)
    assert response.url == reply.get_absolute_url()
    assert reply.thread == reflection


def test_reply_with_errors_keeps_the_text(auth_client, other_user):
    reflection = make_reflection(author=other_user)
    response = auth_client.post(
        reverse("community:reflection-reply", args=[reflection.pk]), {"reply-body": "  "}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "your reflection is empty" in response.text


def test_deeper_replies_show_in_reply_to_context(auth_client, user, other_user):
    top = make_reflection(author=make_user(display_name="Top Author"))
    first = make_reflection(parent=top, author=other_user)
    make_reflection(parent=first, author=user, body="deeper")
    response = auth_client.get(space_url(top.prompt))
    assert f'in reply to <a href="#post-{first.pk}"><bdi>Ben Carter</bdi></a>' in response.text


def test_like_and_unlike_are_idempotent_and_refuse_own_posts(auth_client, user, other_user):
    reflection = make_reflection(author=other_user)
    like = reverse("community:reflection-like", args=[reflection.pk])
    unlike = reverse("community:reflection-unlike", args=[reflection.pk])
    for _ in range(2):  # a double click without JavaScript sends "like" twice: still one like
        assert auth_client.post(like).status_code == HTTPStatus.FOUND
        reflection.refresh_from_db()
        assert reflection.like_count == 1 and Like.objects.filter(reflection=reflection).count() == 1
    for _ in range(2):
        assert auth_client.post(unlike).status_code == HTTPStatus.FOUND
        reflection.refresh_from_db()
        assert reflection.like_count == 0 and not Like.objects.filter(reflection=reflection).exists()
    own = make_reflection(author=user)
    for name in ("community:reflection-like", "community:reflection-unlike"):
        assert auth_client.post(reverse(name, args=[own.pk])).status_code == HTTPStatus.FORBIDDEN
    assert auth_client.get(like).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_like_button_posts_to_like_or_unlike_by_its_state(auth_client, other_user):
    reflection = make_reflection(author=other_user)
    like = reverse("community:reflection-like", args=[reflection.pk])
    unlike = reverse("community:reflection-unlike", args=[reflection.pk])
    page = auth_client.get(space_url(reflection.prompt)).text
    assert f'action="{like}"' in page and f'action="{unlike}"' not in page
    fragment = auth_client.post(like, HTTP_HX_REQUEST="true").text
    assert f'data-hx-post="{unlike}"' in fragment and 'aria-pressed="true"' in fragment
    fragment = auth_client.post(unlike, HTTP_HX_REQUEST="true").text
    assert f'data-hx-post="{like}"' in fragment and 'aria-pressed="false"' in fragment


def test_like_fragment_for_htmx(auth_client, other_user):
    reflection = make_reflection(author=other_user)
    response = auth_client.post(
        reverse("community:reflection-like", args=[reflection.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == HTTPStatus.OK
    assert 'aria-pressed="true"' in response.text and "1 like" in response.text
    assert "<html" not in response.text


def test_liked_by_lists_names(auth_client, user):
    reflection = make_reflection()
    Like.objects.create(reflection=reflection, user=make_user(display_name="Liker One"))
    response = auth_client.get(reverse("community:reflection-likes", args=[reflection.pk]))
    assert "Liker One" in response.text


def test_liking_a_post_you_cannot_see_is_404(auth_client):
    draft = make_reflection(prompt=make_prompt(lesson=make_lesson(published=False)))
    assert (
        auth_client.post(reverse("community:reflection-like", args=[draft.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    gated = make_reflection(prompt=make_prompt(independent_reflection=True))
    assert (
        auth_client.post(reverse("community:reflection-like", args=[gated.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )


@pytest.mark.parametrize("action", ["reflection-edit", "reflection-delete"])
def test_editing_or_deleting_someone_elses_post_is_forbidden(auth_client, other_user, action):
    reflection = make_reflection(author=other_user, body="theirs")
    url = reverse(f"community:{action}", args=[reflection.pk])
    assert auth_client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert auth_client.post(url, {"body": "mine now"}).status_code == HTTPStatus.FORBIDDEN
    reflection.refresh_from_db()
    assert reflection.body == "theirs"


def test_a_suspended_author_is_not_offered_edit(client, user):
    post = make_reflection(author=user)
    Suspension.objects.create(user=user, reason="r", ends_at=timezone.now() + timedelta(days=1))
    client.force_login(user)
    page = client.get(post.prompt.get_absolute_url()).text
    assert reverse("community:reflection-edit", args=[post.pk]) not in page
    assert reverse("community:reflection-delete", args=[post.pk]) in page  # may still remove their words
    assert (
        client.get(reverse("community:reflection-edit", args=[post.pk])).status_code == HTTPStatus.FORBIDDEN
    )


def test_author_edits_and_sees_the_edited_mark_with_a_link_to_their_history(
    auth_client, client, user, other_user
):
    reflection = make_reflection(author=user, body="First words")
    response = auth_client.post(
        reverse("community:reflection-edit", args=[reflection.pk]), {"body": "Better words"}
    )
    assert response.status_code == HTTPStatus.FOUND
    history = reverse("community:reflection-history", args=[reflection.pk])
    page = auth_client.get(space_url(reflection.prompt)).text
    assert "Better words" in page and f'<a class="post__edited" href="{history}">Edited <time' in page
    assert 'title="Edited' not in page  # no markup inside an attribute
    own_history = auth_client.get(history)
    assert own_history.status_code == HTTPStatus.OK and "First words" in own_history.text
    client.force_login(other_user)  # others see that it was edited, and when, but not the earlier text
    page = client.get(space_url(reflection.prompt)).text
    assert '<span class="post__edited">Edited <time' in page and history not in page
    assert client.get(history).status_code == HTTPStatus.FORBIDDEN


def test_author_edits_keep_revisions_too(auth_client, user):
    post = make_reflection(author=user, body="v1")
    auth_client.post(reverse("community:reflection-edit", args=[post.pk]), {"body": "v2"})
    assert list(post.revisions.values_list("previous_body", flat=True)) == ["v1"]


def test_author_deletes_a_post_with_replies_and_a_placeholder_remains(auth_client, user):
    reflection = make_reflection(author=user, body="Soon gone", replies=1)
    auth_client.post(reverse("community:reflection-delete", args=[reflection.pk]))
    page = auth_client.get(space_url(reflection.prompt))
    assert "This reflection was removed by its author" in page.text
    assert "Soon gone" not in page.text
    assert "A reply." in page.text


def test_independent_reflection_hides_others_until_you_post(auth_client, user):
    prompt = make_prompt(independent_reflection=True)
    make_reflection(prompt=prompt, body="First secret")
    make_reflection(prompt=prompt, body="Second secret")
    page = auth_client.get(space_url(prompt))
    assert "2 colleagues have reflected — add yours to read theirs" in page.text
    assert "secret" not in page.text
    auth_client.post(create_url(prompt), {"body": "Mine"})
    page = auth_client.get(space_url(prompt))
    assert "First secret" in page.text and "Second secret" in page.text


@pytest.mark.parametrize("fixture", ["facilitator", "moderator"])
def test_facilitators_and_moderators_always_see_all(client, request, fixture):
    prompt = make_prompt(independent_reflection=True)
    make_reflection(prompt=prompt, body="Learner words")
    client.force_login(request.getfixturevalue(fixture))
    assert "Learner words" in client.get(space_url(prompt)).text


@pytest.mark.parametrize(
    ("order", "first"), [("oldest", "A"), ("newest", "C"), ("liked", "B"), ("mine", "C")]
)
def test_sort_orders(auth_client, user, order, first):
    prompt = make_prompt()
    make_reflection(prompt=prompt, body="Reflection A")
    make_reflection(prompt=prompt, body="Reflection B", likes=2)
    make_reflection(prompt=prompt, body="Reflection C", author=user)
    text = auth_client.get(space_url(prompt), {"order": order}).text
    positions = {name: text.find(f"Reflection {name}") for name in "ABC"}
    shown = {k: v for k, v in positions.items() if v >= 0}
    assert min(shown, key=shown.get) == first
    if order == "mine":
        assert set(shown) == {"C"}


def test_permalink_redirects_to_the_page_starting_at_its_thread(auth_client, settings):
    """No count of the posts before it (issue 13): the page starts at the thread (a keyset
    cursor), and a reply among its thread's first few is shown there under it."""
    settings.REFLECTIONS_PER_PAGE = 2
    prompt = make_prompt()
    posts = [make_reflection(prompt=prompt, body=f"Post {i}") for i in range(5)]
    reply = make_reflection(parent=posts[4])
    response = auth_client.get(reply.get_absolute_url())
    assert (
        response.url == f"{prompt.get_absolute_url()}?from={keyset.encode(OLDEST, posts[4])}#post-{reply.pk}"
    )
    assert auth_client.get(posts[0].get_absolute_url()).url == (
        f"{prompt.get_absolute_url()}?from={keyset.encode(OLDEST, posts[0])}#post-{posts[0].pk}"
    )
    page = auth_client.get(response.url.split("#")[0])
    assert f'id="post-{reply.pk}"' in page.text and f'id="post-{posts[4].pk}"' in page.text


def test_pinned_prompts_come_first(auth_client):
    lesson = make_lesson()
    make_prompt(lesson=lesson, title="Older open question")
    make_prompt(lesson=lesson, title="Pinned question", is_pinned=True)
    text = auth_client.get(lesson.get_community_url()).text
    assert text.index("Pinned question") < text.index("Older open question")
    assert "Pinned</span>" in text


def test_htmx_post_returns_the_new_thread_fragment(auth_client):
    prompt = make_prompt()
    response = auth_client.post(create_url(prompt), {"body": "In place"}, HTTP_HX_REQUEST="true")
    assert response.status_code == HTTPStatus.OK
    assert "In place" in response.text and "<html" not in response.text


def test_the_htmx_fragment_of_a_new_post_carries_the_authors_current_count(auth_client, user):
    prompt = make_prompt()
    make_reflection(prompt=prompt, author=user)
    response = auth_client.post(
        reverse("community:reflection-create", args=[prompt.pk]), {"body": "Second"}, HTTP_HX_REQUEST="true"
    )
    user.refresh_from_db()
    assert user.post_count == 2
    assert f'data-author-posts="{user.pk}">2 posts<' in response.text


def test_htmx_post_with_errors_returns_the_form_in_place(auth_client):
    prompt = make_prompt()
    response = auth_client.post(create_url(prompt), {"body": " "}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Retarget"] == "#reflection-form"
    assert "your reflection is empty" in response.text


def _seed(prompt, posts: int):
    threads = max(1, posts // 4)
    for i in range(threads):
        top = make_reflection(prompt=prompt, body=f"Thread {i} mentions @member1", likes=1)
        for _ in range(3):
            make_reflection(parent=top)


@pytest.mark.parametrize("posts", [5, 200])
@pytest.mark.parametrize("signed_in", [True, False])
def test_space_query_count_is_flat(client, settings, assert_exact_queries, posts, signed_in):
    settings.COMMUNITY_PUBLIC_READING = True
    settings.REFLECTIONS_PER_PAGE = 100
    prompt = make_prompt()
    make_prompt(lesson=prompt.lesson, title="Second activity")
    _seed(prompt, posts)
    if signed_in:
        client.force_login(make_user())
    # Signed in: the user with their roles, suspension and its next change (base.html banner,
    # can_participate, the tag's end: one query, accounts.backends), lesson with the
    # viewer's standing in the course (enrolled, facilitating), prompts with their authors' roles
    # and two flags for the viewer (anything new since their last visit, a draft:
    # space_page._viewer_flags), then the page's read: the posts the stored count leaves out
    # (space_page.uncounted_visible), one page of threads, their first replies; then the authors with
    # their roles, the viewer's likes among the posts, their Follow levels (notifications' page
    # extension), whether a learning platform grades the activity and what it records for the viewer
    # (lti's page extension), whether any notification is unread (the header), the versions of what the page
    # shows (its ETag) and the upsert that records the visit. Anonymous: no session, user, groups,
    # suspension, likes, follows, notifications or visit. A viewer with something new, a draft or
    # unread notifications costs one query more for each (tests/community/test_whats_new.py).
    with assert_exact_queries(13 if signed_in else 7):
        response = client.get(prompt.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    tag = response.headers["ETag"]
    # As the browser asks again (If-None-Match): the user, the versions of what the page showed,
    # and (signed in) the visit; 304 with nothing built, whatever the space's size.
    with assert_exact_queries(3 if signed_in else 1):
        again = client.get(prompt.get_absolute_url(), headers={"If-None-Match": tag})
    assert again.status_code == HTTPStatus.NOT_MODIFIED and again.headers["ETag"] == tag
    # Built again with no tag: the same number of queries.
    with assert_exact_queries(13 if signed_in else 7):
        rebuilt = client.get(prompt.get_absolute_url())
    assert rebuilt.text.count('class="post') == response.text.count('class="post')
    assert response.text.count('class="post') >= min(posts, 100)

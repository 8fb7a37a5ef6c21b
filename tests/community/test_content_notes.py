"""Content notes (issue 23): a reflection can carry a short note ("mentions bereavement"). Others
see the note and a "Show" control (a <details>, so it opens without JavaScript); its author sees
the note as a label and the text open; search snippets, notices and emails show the note, not
the text; the author's learning log and exports keep both."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from community import post_fragments, services
from community.models import Reflection
from community.post_actions import PostActions
from journal import exports
from journal.queries import LogFilters
from notifications.models import Notification
from search.services import search
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

NOTE = "mentions bereavement"
SECRET = "My grandmother died the week of the audit."


def create_url(prompt):
    return reverse("community:reflection-create", args=[prompt.pk])


def noted(prompt=None, author=None, **fields) -> Reflection:
    return services.create_reflection(
        prompt=prompt or make_prompt(), author=author or make_user(), body=SECRET, content_note=NOTE, **fields
    )


def details_of(page: str, post: Reflection) -> str:
    article = page.split(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]
    return article


# --- The composer --------------------------------------------------------------------------------


def test_the_composer_offers_an_optional_content_note_with_its_hint(auth_client):
    prompt = make_prompt()
    page = auth_client.get(prompt.get_absolute_url()).text
    assert '<label for="id_content_note">Content note (optional)</label>' in page
    assert "e.g. mentions bereavement: others see this first and choose to read on" in page
    assert 'aria-describedby="id_content_note_helptext"' in page


def test_a_reflection_is_posted_with_its_note(auth_client, user):
    prompt = make_prompt()
    response = auth_client.post(create_url(prompt), {"body": SECRET, "content_note": f"  {NOTE} "})
    assert response.status_code == HTTPStatus.FOUND
    assert Reflection.objects.get(author=user).content_note == NOTE


def test_without_a_note_nothing_changes(auth_client, user):
    prompt = make_prompt()
    auth_client.post(create_url(prompt), {"body": "Plain."})
    assert Reflection.objects.get(author=user).content_note == ""


def test_a_note_too_long_comes_back_with_the_text_and_the_note(auth_client):
    prompt = make_prompt()
    long_note = "x" * 81
    response = auth_client.post(create_url(prompt), {"body": SECRET, "content_note": long_note})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Keep the content note to 80 characters (it has 81)" in response.text
    assert SECRET in response.text and f'value="{long_note}"' in response.text
    assert not Reflection.objects.exists()


def test_a_note_is_kept_when_the_text_has_an_error(auth_client):
    prompt = make_prompt()
    response = auth_client.post(create_url(prompt), {"body": "   ", "content_note": NOTE})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f'value="{NOTE}"' in response.text


def test_a_reply_can_carry_a_note(auth_client, user):
    parent = make_reflection()
    url = reverse("community:reflection-reply", args=[parent.pk])
    assert "Content note (optional)" in auth_client.get(url).text
    auth_client.post(url, {"reply-body": SECRET, "reply-content_note": NOTE})
    reply = Reflection.objects.get(author=user)
    assert reply.parent == parent and reply.content_note == NOTE


def test_editing_adds_and_removes_the_note_without_a_revision(auth_client, user):
    post = make_reflection(author=user, body=SECRET)
    url = reverse("community:reflection-edit", args=[post.pk])
    version = services.body_version(SECRET)
    auth_client.post(url, {"body": SECRET, "content_note": NOTE, "base_version": version})
    post.refresh_from_db()
    assert post.content_note == NOTE and post.edited_at is None and not post.revisions.exists()
    assert f'value="{NOTE}"' in auth_client.get(url).text  # the edit form starts from it
    auth_client.post(url, {"body": SECRET + " Edited.", "content_note": "", "base_version": version})
    post.refresh_from_db()
    assert post.content_note == "" and post.body == SECRET + " Edited." and post.revisions.count() == 1


def test_a_moderators_edit_keeps_the_authors_note():
    post = noted()
    services.edit_reflection(reflection=post, body="Cut by a moderator.", editor=make_user())
    post.refresh_from_db()
    assert post.content_note == NOTE


# --- The space and thread pages ------------------------------------------------------------------


def test_others_see_the_note_and_a_show_control_around_the_text(auth_client):
    post = noted()
    for url in (post.prompt.get_absolute_url(), reverse("community:thread", args=[post.pk])):
        article = details_of(auth_client.get(url).text, post)
        assert re.search(
            r'<details class="content-note">\s*<summary>Content note: <bdi>mentions bereavement</bdi> '
            r'<span class="content-note__show">Show</span></summary>\s*<div class="prose post__body" dir="auto">'
            r"<p>My grandmother died the week of the audit.</p></div>\s*</details>",
            article,
        ), article


def test_the_author_sees_the_note_as_a_label_and_the_text_open(auth_client, user):
    post = noted(author=user)
    article = details_of(auth_client.get(post.prompt.get_absolute_url()).text, post)
    assert "<details" not in article.split('class="post__actions"')[0]
    assert '<p class="content-note-label">Content note: <bdi>mentions bereavement</bdi>' in article
    assert '<div class="prose post__body" dir="auto"><p>My grandmother' in article


def test_the_reply_page_keeps_the_answered_text_behind_its_note(auth_client):
    post = noted()
    page = auth_client.get(reverse("community:reflection-reply", args=[post.pk])).text
    context = page.split('class="card post-context"', 1)[1].split("</blockquote>", 1)[0]
    assert '<details class="content-note">' in context and SECRET in context


def test_the_fragment_key_holds_the_note():
    post = noted()
    post.actions = PostActions()
    with_note = post_fragments.fragment_key(post, "UTC")
    post.content_note = ""
    assert post_fragments.fragment_key(post, "UTC") != with_note


def test_a_note_added_by_editing_shows_at_once_on_a_cached_page(auth_client, user, other_user):
    post = make_reflection(author=other_user, body=SECRET)
    url = post.prompt.get_absolute_url()
    assert "content-note" not in details_of(auth_client.get(url).text, post)  # cached now
    services.edit_reflection(reflection=post, body=SECRET, editor=other_user, content_note=NOTE)
    assert '<details class="content-note">' in details_of(auth_client.get(url).text, post)


# --- Search, notices, emails ---------------------------------------------------------------------


def test_search_shows_the_note_instead_of_a_snippet(user):
    post = noted()
    [hit] = search(user=user, text="grandmother").hits
    assert hit.url.endswith(f"/{post.pk}/") or str(post.pk) in hit.url
    assert str(hit.snippet) == "Content note: mentions bereavement"
    assert "grandmother" not in str(hit.snippet)


def test_search_snippets_of_posts_without_a_note_are_unchanged(user):
    make_reflection(body="My grandmother taught me this.")
    [hit] = search(user=user, text="grandmother").hits
    assert "<mark>grandmother</mark>" in str(hit.snippet)


def test_emails_and_notices_show_the_note_not_the_text(user, committed):
    prompt = make_prompt()
    with committed():
        top = services.create_reflection(prompt=prompt, author=user, body="My reflection")
    mail.outbox.clear()
    with committed():
        reply = noted(prompt=prompt, parent=top)
        follower_reply = services.create_reflection(
            prompt=prompt, author=make_user(), body="A reply to it.", parent=reply
        )
    [message] = [m for m in mail.outbox if m.to == [user.email] and "Content note" in m.body]
    [html] = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert (
        "Content note: mentions bereavement" in message.body and "Content note: mentions bereavement" in html
    )
    assert "grandmother" not in message.body + html
    # The notice of a reply to the noted post names it by its note.
    answered = Notification.objects.filter(reflection=follower_reply).exclude(text="")
    assert answered.exists() and {n.text for n in answered} == {"Content note: mentions bereavement"}


# --- The author's own learning log and exports ---------------------------------------------------


def test_the_authors_log_and_exports_keep_the_text_with_the_note(auth_client, user):
    noted(author=user)
    log = auth_client.get(reverse("journal:learning-log")).text
    assert "Content note: <bdi>mentions bereavement</bdi>" in log and SECRET in log
    markdown = "".join(exports.markdown_chunks(user, LogFilters()))
    assert "Content note: mentions bereavement" in markdown and SECRET in markdown
    csv_text = "".join(exports.csv_lines(user, LogFilters()))
    assert "Content note" in csv_text.splitlines()[0] and NOTE in csv_text and SECRET in csv_text


def test_the_authors_own_data_download_keeps_the_note():
    from community import member_data

    author = make_user()
    noted(author=author)
    data = member_data.export(author)
    [post] = data["reflections"]
    assert post["content_note"] == NOTE and post["body"] == SECRET
    assert f"- Content note: {NOTE}" in member_data.markdown(data)


def test_a_profile_lists_the_post_by_its_note_for_others_and_by_its_text_for_its_author(
    auth_client, user, other_user, client
):
    theirs = noted(author=other_user)
    others_view = auth_client.get(other_user.get_absolute_url()).text
    assert "Content note: mentions bereavement" in others_view and "grandmother" not in others_view
    client.force_login(other_user)
    own_view = client.get(other_user.get_absolute_url()).text
    assert "grandmother" in own_view
    assert theirs.pk

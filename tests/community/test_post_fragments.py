"""Cached post fragments (community/post_fragments.py): every input of a post's markup
changes the page at once, the second request renders no post, and one viewer's controls or token
never reach another viewer."""

import pickle
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from accounts import roles
from community import post_fragments, services
from community.models import Like
from moderation import services as moderation
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["default"].clear()
    yield
    caches["default"].clear()


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def post_markup(client, post) -> str:
    """The ``<article>`` of ``post`` on its space page, as ``client`` sees it ("" if absent)."""
    text = client.get(post.prompt.get_absolute_url()).text
    match = re.search(rf'<article [^>]*id="post-{post.pk}".*?</article>', text, re.S)
    # Tokens are masked afresh on every response: compare the markup around them.
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1…", match.group(0)) if match else ""


def count_renders(monkeypatch) -> list:
    """A list that gets a 1 each time a post's fragment is rendered (not taken from the cache)."""
    rendered = []
    original = post_fragments.render_to_string
    monkeypatch.setattr(
        post_fragments, "render_to_string", lambda *a, **k: rendered.append(1) or original(*a, **k)
    )
    return rendered


@pytest.fixture
def w(db):
    prompt = make_prompt()
    author = make_user(display_name="Asha Author")
    reader = make_user(display_name="Ravi Reader")
    moderator = make_user(role=roles.MODERATOR)
    post = make_reflection(prompt=prompt, author=author, body="Original words", likes=1)
    make_reflection(parent=post, body="A reply keeps the thread")
    return SimpleNamespace(prompt=prompt, author=author, reader=reader, moderator=moderator, post=post)


def _edit(w):
    services.edit_reflection(reflection=w.post, body="Changed words", editor=w.author)


def _like(w):
    services.like_reflection(reflection=w.post, user=w.reader)


def _unlike(w):
    services.unlike_reflection(reflection=w.post, user=w.reader)


def _liked_first(w):
    services.like_reflection(reflection=w.post, user=w.reader)


def _hide(w):
    moderation.hide_reflection(reflection=w.post, moderator=w.moderator, reason="Off topic")


def _restore(w):
    moderation.restore_reflection(reflection=w.post, moderator=w.moderator)


def _delete(w):
    services.delete_reflection(reflection=w.post)


def _rename(w):
    w.author.display_name = "Asha Renamed"
    w.author.save(update_fields=["display_name"])


def _role(w):
    w.author.groups.add(Group.objects.get(name=roles.FACILITATOR))


def _suspend(w):
    moderation.suspend_member(
        member=w.reader, moderator=w.moderator, ends_at=timezone.now() + timedelta(days=1), reason="Cool off"
    )


def _lock(w):
    moderation.set_prompt_lock(prompt=w.prompt, moderator=w.moderator, locked=True)


def _highlight(w):
    services.highlight_reflection(reflection=w.post, by=w.moderator)


def _reason(w):
    like = services.like_reflection(reflection=w.post, user=w.reader)
    services.set_like_reason(like=like, reason="The example helped")


def _author_posts_again(w):
    make_reflection(prompt=w.prompt, author=w.author, body="Another one")


# (change, who looks, setup before the first look, what shows before, what shows after or None)
CASES = {
    "edit": (_edit, "reader", None, "Original words", "Changed words"),
    "like": (_like, "reader", None, 'aria-pressed="false"', 'aria-pressed="true"'),
    "like count": (_like, "author", None, "1 like:", "2 likes:"),
    "unlike": (_unlike, "reader", _liked_first, 'aria-pressed="true"', 'aria-pressed="false"'),
    "hide": (_hide, "author", None, "Original words", "Hidden by a moderator."),
    "restore": (_restore, "author", _hide, "Hidden by a moderator.", None),
    "delete": (_delete, "reader", None, "Original words", "removed by its author"),
    "author rename": (_rename, "reader", None, "Asha Author", "Asha Renamed"),
    "role change": (_role, "reader", None, "Asha Author</bdi></a> ", "badge--facilitator"),
    "suspension": (_suspend, "reader", None, "like__button", None),
    "lock": (_lock, "reader", None, ">Reply</a>", None),
    "highlight": (_highlight, "reader", None, "Original words", "Highlighted by the facilitator"),
    "like reason": (_reason, "author", None, "1 like:", "1 person said why"),
    "post count": (_author_posts_again, "reader", None, "1 post<", "2 posts<"),
}
# What must be gone after the change (it showed before).
GONE = {
    "edit": "Original words",
    "like": 'aria-pressed="false"',
    "unlike": 'aria-pressed="true"',
    "hide": None,
    "restore": "Hidden by a moderator.",
    "delete": "Original words",
    "author rename": "Asha Author",
    "suspension": "like__button",
    "lock": ">Reply</a>",
}


@pytest.mark.parametrize("case", CASES)
def test_each_change_shows_at_once(w, case):
    change, who, setup, before, after = CASES[case]
    if setup:
        setup(w)
    client = signed_in(getattr(w, who))
    first = post_markup(client, w.post)
    assert before in first and (after is None or after not in first)
    assert post_markup(client, w.post) == first  # served from the cache, unchanged
    change(w)
    now = post_markup(client, w.post)
    assert after is None or after in now
    assert now != first
    if GONE.get(case):
        assert GONE[case] not in now


def test_the_second_request_renders_no_post(w, monkeypatch):
    client = signed_in(w.reader)
    client.get(w.prompt.get_absolute_url())
    rendered = count_renders(monkeypatch)
    response = client.get(w.prompt.get_absolute_url())
    assert rendered == []
    assert "Original words" in response.text and "A reply keeps the thread" in response.text
    _edit(w)
    client.get(w.prompt.get_absolute_url())
    assert rendered == [1]  # only the edited post


def test_a_new_release_renders_every_fragment_again(w, monkeypatch):
    """A deploy that changes a format or a partial never serves a post rendered by the old code:
    the release digest is part of every fragment's key."""
    from core import release

    client = signed_in(w.reader)
    client.get(w.prompt.get_absolute_url())
    rendered = count_renders(monkeypatch)
    client.get(w.prompt.get_absolute_url())
    assert rendered == []
    monkeypatch.setattr(release, "digest", lambda: "a-new-release")
    client.get(w.prompt.get_absolute_url())
    assert rendered == [1, 1]  # the post and its reply, rendered by the new release


def _csrf_tokens(text: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', text))


def test_two_viewers_never_see_each_others_controls_or_token(w):
    """The author fills the cache first; a reader then gets the same post without the author's
    Edit/Delete, and each page carries only its own session's token."""
    services.like_reflection(reflection=w.post, user=w.reader)
    like = Like.objects.get(reflection=w.post, user=w.reader)
    services.set_like_reason(like=like, reason="Reader's own reason")
    other = make_user(display_name="Other Reader")
    author_client, reader_client, other_client = signed_in(w.author), signed_in(w.reader), signed_in(other)

    author_page = author_client.get(w.prompt.get_absolute_url()).text
    author_post = post_markup(author_client, w.post)
    assert f"/posts/{w.post.pk}/edit/" in author_post and "1 person said why" in author_post

    reader_post = post_markup(reader_client, w.post)
    other_post = post_markup(other_client, w.post)
    for seen in (reader_post, other_post):
        assert f"/posts/{w.post.pk}/edit/" not in seen and f"/posts/{w.post.pk}/delete/" not in seen
        assert "person said why" not in seen
    assert "You said why" in reader_post and "Reader's own reason" in reader_post
    assert "Reader's own reason" not in other_post and 'aria-pressed="false"' in other_post

    reader_page = reader_client.get(w.prompt.get_absolute_url())
    token = reader_page.cookies["csrftoken"].value if "csrftoken" in reader_page.cookies else None
    author_tokens, reader_tokens = _csrf_tokens(author_page), _csrf_tokens(reader_page.text)
    assert reader_tokens and not (author_tokens & reader_tokens)
    assert "csrfslot" not in reader_page.text
    # Tokens are masked per response; unmasked, every token on the reader's page is the reader's.
    from django.middleware.csrf import _unmask_cipher_token

    secrets = {_unmask_cipher_token(t) for t in reader_tokens}
    assert len(secrets) == 1
    if token:
        assert secrets == {token}


def test_the_cache_holds_no_token_and_no_new_marker(w):
    viewer = signed_in(w.reader)
    viewer.get(w.prompt.get_absolute_url())
    cache = caches["default"]
    stored = [pickle.loads(value) for key, value in cache._cache.items() if ":post:" in key]  # locmem
    assert len(stored) == 2  # the thread and its reply
    for pieces in stored:
        html = "".join(pieces)
        assert 'name="csrfmiddlewaretoken"' in html  # the Like form…
        # …whose token is only ever the gap between two pieces: no token is kept
        assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', "\0".join(pieces)) == [
            "\0"
        ] * html.count("csrfmiddlewaretoken")
        assert "badge--new" not in html and post_fragments.NEW_SLOT in html


def test_new_markers_are_per_viewer(w):
    reader = signed_in(w.reader)
    reader.get(w.prompt.get_absolute_url())  # first visit: nothing is new
    fresh = make_reflection(parent=w.post, body="Fresh reply")
    assert "badge--new" in post_markup(reader, fresh)
    assert "badge--new" not in post_markup(signed_in(fresh.author), fresh)  # one's own is never new


def test_a_cache_that_is_down_still_serves_the_page(w, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["default"], "get_many", down)
    monkeypatch.setattr(caches["default"], "set_many", down)
    assert "Original words" in post_markup(signed_in(w.reader), w.post)


def test_the_thread_page_uses_the_same_fragments(w, monkeypatch):
    reader = signed_in(w.reader)
    reader.get(w.prompt.get_absolute_url())
    rendered = count_renders(monkeypatch)
    text = reader.get(f"/posts/{w.post.pk}/thread/").text
    assert "Original words" in text and "A reply keeps the thread" in text
    assert rendered == []


def test_the_fragment_key_holds_the_viewers_language():
    """Fragments hold the site's words (the post's buttons, "edited"): one language's fragment is
    never served to a viewer reading in another (issue 26)."""
    from django.utils import translation

    from community.post_actions import PostActions

    post = make_reflection()
    post.actions = PostActions()
    with translation.override("en-gb"):
        english = post_fragments.fragment_key(post, "UTC")
    with translation.override("es"):
        spanish = post_fragments.fragment_key(post, "UTC")
    assert english != spanish

"""Hostile and unlucky input meets the space: the preview endpoint's limits, links and mentions
per post, posts with nothing visible, links without text, two tabs editing one post, and
bidirectional text. Through the test client, as a member meets them."""

import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from community import services
from community.models import Reflection
from core.markdown import render, render_markdown
from tests.factories import make_prompt, make_reflection, make_user
from tests.html_validation import nu_errors, require_java

pytestmark = pytest.mark.django_db
PREVIEW = "/markdownx/markdownify/"
NO_VISIBLE_TEXT = "Your reflection has no visible text"
CONFLICT = "This post was changed in another tab or window since you opened it"


def create_url(prompt):
    return reverse("community:reflection-create", args=[prompt.pk])


def edit_url(post):
    return reverse("community:reflection-edit", args=[post.pk])


@pytest.fixture
def preview_limits(settings):
    cache.clear()
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "preview": "3/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = settings.RATE_LIMITS
    yield
    cache.clear()


# --- 1. The preview endpoint -----------------------------------------------------------------------


def test_preview_over_the_length_limit_is_400_with_a_clear_note(auth_client):
    response = auth_client.post(PREVIEW, {"content": "x" * 20_001})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "your text is 20,001 characters long; the limit is 20,000" in response.text
    assert 'role="alert"' in response.text  # markdownx shows the answer in its preview pane


def test_preview_up_to_the_limit_renders(auth_client):
    response = auth_client.post(PREVIEW, {"content": "**a**" + "x" * 19_995})
    assert response.status_code == HTTPStatus.OK
    assert response.text.startswith("<p><strong>a</strong>")


def test_preview_is_rate_limited_per_member(auth_client, client, preview_limits):
    for _ in range(3):
        assert auth_client.post(PREVIEW, {"content": "hello"}).status_code == HTTPStatus.OK
    response = auth_client.post(PREVIEW, {"content": "hello"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "The preview is paused for a while" in response.text
    client.force_login(make_user())
    assert client.post(PREVIEW, {"content": "hello"}).status_code == HTTPStatus.OK


def test_preview_has_default_rates_for_members_and_new_accounts():
    assert "preview" in django_settings.RATE_LIMITS and "preview" in django_settings.NEW_ACCOUNT_RATE_LIMITS


@pytest.mark.parametrize(
    "content",
    ["![" * 10_000, "|a" * 1_000 + "|\n" + "|-" * 1_000 + "|\n" + "x\n" * 9_000, "a\n" * 10_000],
    ids=["image openers", "wide table", "line breaks"],
)
def test_preview_of_a_pathological_post_answers_quickly(auth_client, content):
    content = content[:20_000]
    start = time.process_time()  # CPU time, generous bound: a DoS guard, not a benchmark
    response = auth_client.post(PREVIEW, {"content": content})
    assert response.status_code == HTTPStatus.OK
    assert time.process_time() - start < 1.0


# --- 2. Links and mentions per post -----------------------------------------------------------------


def test_too_many_links_is_refused_and_the_text_kept(auth_client):
    prompt = make_prompt()
    body = "My sources: " + " ".join(f"https://example.org/{n}" for n in range(773))
    response = auth_client.post(create_url(prompt), {"body": body})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Your post has 773 links; the limit is 50." in response.text
    assert "https://example.org/772" in response.text
    assert not Reflection.objects.exists()


def test_links_of_every_kind_count_but_mentions_do_not(auth_client, settings, other_user):
    settings.MAX_LINKS_PER_POST = 3
    prompt = make_prompt()
    three = "[a](https://example.org/a) <https://example.org/b> www.example.org @ben"
    assert auth_client.post(create_url(prompt), {"body": three}).status_code == HTTPStatus.FOUND
    response = auth_client.post(create_url(prompt), {"body": three + " https://example.org/d"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Your post has 4 links; the limit is 3." in response.text


def test_exactly_the_limit_of_links_is_fine(auth_client):
    prompt = make_prompt()
    body = " ".join(f"[source {n}](https://example.org/{n})" for n in range(50))
    assert auth_client.post(create_url(prompt), {"body": body}).status_code == HTTPStatus.FOUND


def test_too_many_distinct_mentions_is_refused_and_the_text_kept(auth_client):
    prompt = make_prompt()
    body = "Thanks to " + " ".join(f"@member_{n}" for n in range(21))
    response = auth_client.post(create_url(prompt), {"body": body})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Your post mentions 21 people; the limit is 20." in response.text
    assert "@member_20" in response.text
    assert not Reflection.objects.exists()


def test_one_member_mentioned_many_times_counts_once(auth_client, other_user):
    prompt = make_prompt()
    body = "@ben " * 30 + "you were right."
    assert auth_client.post(create_url(prompt), {"body": body}).status_code == HTTPStatus.FOUND


def test_reply_form_has_the_same_caps(auth_client, settings):
    settings.MAX_MENTIONS_PER_POST = 1
    post = make_reflection()
    url = reverse("community:reflection-reply", args=[post.pk])
    response = auth_client.post(url, {"reply-body": "@one and @two"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Your post mentions 2 people; the limit is 1." in response.text


def test_caps_are_read_from_the_environment():
    code = "from django.conf import settings as s; print(s.MAX_LINKS_PER_POST, s.MAX_MENTIONS_PER_POST)"
    env = {**os.environ, "MAX_LINKS_PER_POST": "7", "MAX_MENTIONS_PER_POST": "3"}
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True)
    assert out.stdout.split() == ["7", "3"], out.stderr


# --- 3. Posts with nothing visible; links without text ----------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "\u00a0\u200b\u2060\u3000\ufeff",
        "\u200b" * 50,
        "\u2800\u3164\u115f",
        "\u202e\u2066\u200f",
        "<script></script>",
        "<!-- -->",
        "<p>\n</p>",
        "[](x)",
        "[](https://example.org)",
        "****",
        "![](https://example.org/a.png)",
        "#\n\n-\n\n>",
        "**\u200b**",
    ],
)
def test_a_post_with_no_visible_text_is_refused_and_the_text_kept(auth_client, body):
    prompt = make_prompt()
    response = auth_client.post(create_url(prompt), {"body": body})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert NO_VISIBLE_TEXT in response.text
    kept = body.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert kept in response.text
    assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    "body", ["a", "日本", "🙂", "`x`", "```\n<script></script>\n```", "<b>bold</b> text"]
)
def test_short_posts_with_something_visible_are_fine(auth_client, body):
    prompt = make_prompt()
    assert auth_client.post(create_url(prompt), {"body": body}).status_code == HTTPStatus.FOUND


def test_a_link_without_text_shows_its_address(auth_client):
    prompt = make_prompt()
    body = "Worth reading: [](https://example.org/caf%C3%A9) and [ ](mailto:team@example.org)"
    assert auth_client.post(create_url(prompt), {"body": body}).status_code == HTTPStatus.FOUND
    page = auth_client.get(prompt.lesson.get_community_url()).text
    assert (
        '<a href="https://example.org/caf%C3%A9" rel="nofollow ugc noopener">https://example.org/café</a>'
        in page
    )
    assert '<a href="mailto:team@example.org" rel="nofollow ugc noopener">team@example.org</a>' in page
    assert not re.search(r"<a [^>]*>\s*</a>", page)


def test_no_link_renders_empty():
    for text in ["[](https://example.org)", "x [](javascript:alert(1))", "x [![](a.png)](https://e.org)"]:
        assert not re.search(r"<a [^>]*>\s*</a>", render_markdown(text)), text


# --- 4. Two tabs editing one post -----------------------------------------------------------------


def _form_fields(html: str) -> dict:
    version = re.search(r'name="base_version" value="([^"]*)"', html)
    return {"base_version": version.group(1) if version else ""}


def test_a_save_from_a_stale_tab_is_refused_with_both_texts(auth_client, user):
    post = make_reflection(author=user, body="The first draft.")
    tab_one = _form_fields(auth_client.get(edit_url(post)).text)
    tab_two = _form_fields(auth_client.get(edit_url(post)).text)
    saved = auth_client.post(edit_url(post), {"body": "Written in tab one.", **tab_one})
    assert saved.status_code == HTTPStatus.FOUND

    response = auth_client.post(edit_url(post), {"body": "Written in tab two.", **tab_two})

    assert response.status_code == HTTPStatus.CONFLICT
    assert CONFLICT in response.text
    saved_version = re.search(r"<textarea[^>]*readonly[^>]*>([^<]*)</textarea>", response.text)
    assert saved_version and saved_version.group(1).strip() == "Written in tab one."
    editable = re.search(r'<textarea[^>]*name="body"[^>]*>([^<]*)</textarea>', response.text)
    assert editable and editable.group(1).strip() == "Written in tab two."
    post.refresh_from_db()
    assert post.body == "Written in tab one."

    merged = {"body": "Tab one and tab two, merged.", **_form_fields(response.text)}
    assert auth_client.post(edit_url(post), merged).status_code == HTTPStatus.FOUND
    post.refresh_from_db()
    assert post.body == "Tab one and tab two, merged."
    assert post.revisions.count() == 2


def test_the_conflict_page_is_valid_html(request, auth_client, user):
    require_java(request.config)
    post = make_reflection(author=user, body="Draft <one> & \u202eall.")
    stale = _form_fields(auth_client.get(edit_url(post)).text)
    services.edit_reflection(reflection=post, body="Changed elsewhere.", editor=user)
    response = auth_client.post(edit_url(post), {"body": "Mine.", **stale})
    assert response.status_code == HTTPStatus.CONFLICT
    assert nu_errors({"conflict": response.text}) == {"conflict": []}


def test_saving_the_same_text_as_another_tab_is_not_a_conflict(auth_client, user):
    post = make_reflection(author=user, body="Draft.")
    tab_one = _form_fields(auth_client.get(edit_url(post)).text)
    tab_two = _form_fields(auth_client.get(edit_url(post)).text)
    auth_client.post(edit_url(post), {"body": "Same words.", **tab_one})
    assert (
        auth_client.post(edit_url(post), {"body": "Same words.", **tab_two}).status_code == HTTPStatus.FOUND
    )


def test_edit_service_refuses_a_stale_version_and_changes_nothing(user):
    post = make_reflection(author=user, body="Now.")
    stale = services.body_version("Before.")
    with pytest.raises(services.EditConflict) as raised:
        services.edit_reflection(reflection=post, body="Later.", editor=user, expected_version=stale)
    assert raised.value.current.body == "Now."
    post.refresh_from_db()
    assert post.body == "Now." and not post.revisions.exists()
    current = services.body_version("Now.")
    services.edit_reflection(reflection=post, body="Later.", editor=user, expected_version=current)
    post.refresh_from_db()
    assert post.body == "Later."


# --- 5. Bidirectional text ------------------------------------------------------------------------


class _BidiAudit(HTMLParser):
    """For each piece of text holding a bidi control: whether it sits in an element with
    ``dir`` set or in a ``<bdi>``, so it cannot reorder the page around it."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.found: list[tuple[str, bool, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if re.search("[\u202a-\u202e\u2066-\u2069]", data):
            isolated = any(tag == "bdi" or "dir" in attrs for tag, attrs in self.stack)
            self.found.append((data, isolated, [tag for tag, _ in self.stack]))


def test_bidi_controls_in_posts_and_names_stay_isolated(auth_client):
    author = make_user(handle="rtl", display_name="Mallory \u202eyeknom")
    make_user(handle="amara2", display_name="Amara Two")
    post = make_reflection(
        author=author,
        body="Before \u202eafter\u202c and a [file\u202egnp.exe](https://example.org/x) for @amara2\u202e.",
    )
    page = auth_client.get(post.prompt.lesson.get_community_url()).text
    audit = _BidiAudit()
    audit.feed(page)
    texts = [data for data, _, _ in audit.found]
    assert any("yeknom" in data for data in texts) and any("after" in data for data in texts)
    assert all(isolated for _, isolated, _ in audit.found), [f for f in audit.found if not f[1]]
    body = re.search(r'<div class="prose post__body" dir="auto">(.*?)</div>', page, re.DOTALL).group(1)
    assert "\u202eafter" in body  # running text keeps its controls, inside dir="auto"
    assert "<bdi>Mallory \u202eyeknom</bdi>" in page


def test_link_text_and_mentions_lose_bidi_controls():
    html = render_markdown(
        '[file\u202egnp.exe](https://example.org/x "t\u2066") https://example.org/\u202eexe @amara\u202e',
        mentions={"amara"},
    )
    links = re.findall(r"<a [^>]*>(.*?)</a>", html)
    assert links == ["filegnp.exe", "https://example.org/exe", "@amara"]
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", "".join(re.findall(r"<a [^>]*>", html)))


def test_rendering_reports_visibility():
    assert render("hello").has_visible_text
    assert not render("\u200b").has_visible_text

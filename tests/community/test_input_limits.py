"""What a post may hold, checked where members write (reflection and reply forms): at most
``MAX_LINKS_PER_POST`` links of any kind and ``MAX_MENTIONS_PER_POST`` distinct mentions (both read
from the environment), and something visible. A refused post comes back with its text."""

import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse

from community.models import Reflection
from tests.factories import make_prompt, make_reflection

pytestmark = pytest.mark.django_db
NO_VISIBLE_TEXT = "Your reflection has no visible text"


def create_url(prompt):
    return reverse("community:reflection-create", args=[prompt.pk])


# --- Links and mentions per post ------------------------------------------------------------------


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


# --- Posts with nothing visible -------------------------------------------------------------------


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

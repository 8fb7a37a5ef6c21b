"""Previewing a post. The editor's live preview (``/markdownx/markdownify/``): the safe pipeline,
for signed-in members only, within the length limit, at a limited pace, and bounded work whatever
the text. The composer's Preview button: rendered by the server without JavaScript, for
reflections, replies and edits, keeping the text and the length limit."""

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from community.models import Reflection
from tests.core.test_markdown_limits import CALLS_PER_CHARACTER, python_calls
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db
PREVIEW = "/markdownx/markdownify/"


@pytest.fixture
def preview_limits(settings):
    cache.clear()
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "preview": "3/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = settings.RATE_LIMITS
    yield
    cache.clear()


# --- The editor's live preview --------------------------------------------------------------------


def test_markdown_preview_uses_the_safe_pipeline(auth_client):
    response = auth_client.post(PREVIEW, {"content": "**hi** <script>x</script> [a](javascript:alert(1))"})
    assert response.status_code == HTTPStatus.OK
    assert "<strong>hi</strong>" in response.text
    assert "<script>" not in response.text and "href" not in response.text


def test_markdown_preview_refuses_anonymous_visitors(client):
    assert client.post(PREVIEW, {"content": "x"}).status_code == HTTPStatus.FORBIDDEN


def test_markdown_preview_without_content_is_400(auth_client):
    assert auth_client.post(PREVIEW, {}).status_code == HTTPStatus.BAD_REQUEST


def test_markdown_preview_needs_csrf(user):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    assert csrf_client.post(PREVIEW, {"content": "x"}).status_code == HTTPStatus.FORBIDDEN


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


@pytest.mark.parametrize(
    "content",
    ["![" * 10_000, "|a" * 1_000 + "|\n" + "|-" * 1_000 + "|\n" + "x\n" * 9_000, "a\n" * 10_000],
    ids=["image openers", "wide table", "line breaks"],
)
def test_preview_of_a_pathological_post_does_bounded_work(auth_client, content):
    """The whole request, not only the rendering, stays within the rendering's work budget (Python
    calls counted, as in tests/core/test_markdown_limits.py): a DoS guard that no machine's speed
    can make pass or fail."""
    content = content[:20_000]
    responses = []
    calls = python_calls(lambda: responses.append(auth_client.post(PREVIEW, {"content": content})))
    assert responses[0].status_code == HTTPStatus.OK
    assert calls <= CALLS_PER_CHARACTER * len(content)


def test_image_upload_is_switched_off(auth_client):
    assert auth_client.post("/markdownx/upload/", {}).status_code == HTTPStatus.FORBIDDEN


# --- The composer's Preview button (no JavaScript) ------------------------------------------------


def test_preview_button_renders_server_side_and_keeps_the_text(auth_client):
    prompt = make_prompt()
    response = auth_client.post(
        reverse("community:reflection-create", args=[prompt.pk]),
        {"body": "Some **bold** idea <script>x</script>", "preview": "1"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Preview — not posted yet" in response.text
    assert "<strong>bold</strong>" in response.text and "<script>x" not in response.text
    assert "Some **bold** idea &lt;script&gt;x&lt;/script&gt;</textarea>" in response.text
    assert not Reflection.objects.exists()


def test_preview_button_on_replies_and_edits(auth_client, user, other_user):
    theirs = make_reflection(author=other_user)
    reply = auth_client.post(
        reverse("community:reflection-reply", args=[theirs.pk]),
        {"reply-body": "*quiet* reply", "preview": "1"},
    )
    assert "<em>quiet</em>" in reply.text and "*quiet* reply</textarea>" in reply.text
    mine = make_reflection(author=user, body="before")
    edit = auth_client.post(
        reverse("community:reflection-edit", args=[mine.pk]), {"body": "- after", "preview": "1"}
    )
    assert "<li>after</li>" in edit.text
    mine.refresh_from_db()
    assert mine.body == "before" and Reflection.objects.count() == 2


def test_the_preview_button_has_the_post_length_limit_and_keeps_the_text(auth_client, settings):
    settings.REFLECTION_MAX_LENGTH = 50
    prompt = make_prompt()
    text = "x" * 60
    response = auth_client.post(
        reverse("community:reflection-create", args=[prompt.pk]), {"body": text, "preview": "1"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "the limit is 50" in response.text and f"{text}</textarea>" in response.text
    assert "Preview — not posted yet" not in response.text

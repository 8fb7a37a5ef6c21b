"""Issue 21, item 27: a viewer's CSRF token goes only where the template put it, never into a
member's post (a link in the post would carry it off-site)."""

import re

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

# The slot text the fragments used before the fix, and anything else shaped like a slot.
SLOT_TEXTS = ["CSRFTOKENSLOTx7Qp", "csrfslot0123456789abcdef0123456789abcdef", "<!--new-->"]


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from-cache"])
def test_a_post_holding_slot_text_shows_the_text_not_the_readers_token(cached):
    prompt = make_prompt()
    body = "Click https://evil.example/?t=" + " ".join(SLOT_TEXTS)
    post = make_reflection(prompt=prompt, body=body)
    reader = Client()
    reader.force_login(make_user(display_name="Ravi Reader"))
    if cached:
        reader.get(prompt.get_absolute_url())  # the fragment is now in the cache
    page = reader.get(prompt.get_absolute_url()).text
    article = re.search(rf'<article [^>]*id="post-{post.pk}".*?</article>', page, re.S).group(0)
    body_html = re.search(r'<div class="prose post__body"[^>]*>(.*?)</div>', article, re.S).group(1)
    assert "CSRFTOKENSLOTx7Qp" in body_html
    assert "csrfslot0123456789abcdef0123456789abcdef" in body_html
    assert "badge--new" not in body_html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert tokens  # the page's own forms still carry the reader's token…
    for token in tokens:
        assert token not in body_html  # …and the post carries none

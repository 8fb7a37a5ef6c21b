"""Bidirectional controls that members write (in a post, in a display name) cannot reorder the
page around them: every piece of text holding one sits in an element with ``dir`` or in ``<bdi>``,
and running text keeps its controls."""

import re
from html.parser import HTMLParser

import pytest

from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.django_db


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

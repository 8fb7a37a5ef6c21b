"""Words are counted the same way in Python and in PostgreSQL's stored column."""

import pytest

from core.text import count_words
from tests.factories import make_reflection

SAMPLES = [
    ("", 0),
    ("One", 1),
    ("Don't stop: *really* — don’t.", 4),
    ("- first item\n- second item\n\n> a quote", 6),
    ("[a link](https://example.com/page) and 42 things", 5),
    # As a reader counts (issue 21, item 13): a link by its text, an address or a mention as one word.
    ('See [the rota](https://example.com/teams/rota?week=12#today "Rota") here', 4),
    ("![a chart](https://example.com/c.png) read https://example.com/a/b-c/d?e=f&g=h now", 5),
    ("Thanks @sam_lee and @Amara, mail ops@example.co.uk or www.example.org/help-desk.", 8),
    ("<https://example.com/a-b_c> is one", 3),
    ("snake_case counts as two", 5),
    ("Ça marche très bien", 4),
]


@pytest.mark.parametrize(("text", "words"), SAMPLES)
def test_python_count(text, words):
    assert count_words(text) == words


@pytest.mark.django_db
def test_stored_count_agrees_with_python():
    posts = [make_reflection(body=text or "x") for text, _ in SAMPLES]
    for post in posts:
        post.refresh_from_db()
        assert post.word_count == count_words(post.body)

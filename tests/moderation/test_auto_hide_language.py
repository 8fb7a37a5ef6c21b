"""A post hidden automatically says so in its reader's language (issue 26): the sentence is
written at display from the report count, not the one stored in the language of whoever happened
to report last."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts import roles
from moderation import services as moderation
from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.django_db


def test_an_automatic_hide_reads_in_the_authors_and_the_moderators_language(client, settings):
    settings.FLAG_HIDE_THRESHOLD = 2
    author = make_user(language="en-gb")
    post = make_reflection(author=author, body="A thought worth keeping.")
    with translation.override("es"):  # the reports come from Spanish pages
        for _ in range(2):
            moderation.report_reflection(reflection=post, reporter=make_user(language="es"), reason="spam")
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_by_id is None
    assert "Oculta automáticamente" in post.hidden_reason  # stored as the last reporter read it

    client.force_login(author)
    space = client.get(post.prompt.get_absolute_url()).content.decode()
    assert "Hidden automatically after 2 reports, pending review by a moderator." in space
    assert "Oculta" not in space

    moderator = make_user(role=roles.MODERATOR, language="ar")
    client.force_login(moderator)
    page = client.get(reverse("moderation:post", args=[post.pk])).content.decode()
    assert "أُخفي تلقائيًا بعد 2 بلاغَين" in page and "Oculta" not in page

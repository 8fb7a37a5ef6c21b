"""Anonymous to colleagues (the lead's feature, issue 23) meets the follow-through: the offered
colleague and the summary's readers never learn who wrote an anonymous reflection."""

import pytest

from community.models import Prompt
from community.services import create_reflection
from facilitation import services
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.templatetags.notifications import notice_text
from tests.facilitation.conftest import seen
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_post(heard_prompt):
    Prompt.objects.filter(pk=heard_prompt.pk).update(anonymous_posting="allowed")
    heard_prompt.refresh_from_db()
    kwame = make_user(display_name="Kwame Mensah")
    return create_reflection(
        prompt=heard_prompt, author=kwame, body="Nobody knows it was me who missed it.", anonymous=True
    )


def test_the_offer_names_an_anonymous_author_by_their_pseudonym(heard_prompt, anonymous_post):
    colleague = seen(make_user())[0]
    services.offer_reflection(reflection_id=anonymous_post.pk)
    notice = Notification.objects.get(recipient=colleague, kind=Kind.RESPONSE_REQUESTED)
    assert "Kwame" not in notice.text and "Kwame" not in notice_text(notice)
    assert notice_text(notice).startswith("Colleague ")


def test_a_quoted_anonymous_reflection_stays_anonymous(client, heard_prompt, lead, anonymous_post):
    services.publish_summary(prompt=heard_prompt, by=lead, body="We learned.", quoted_ids=[anonymous_post.pk])
    client.force_login(make_user())
    page = client.get(heard_prompt.get_absolute_url())
    assert "Nobody knows it was me" in page.text and "Kwame" not in page.text
    assert f"u{anonymous_post.author_id}" not in page.headers.get("ETag", "")


def test_the_library_keeps_the_anonymous_posting_setting(heard_prompt, lead, anonymous_post):
    from tests.factories import make_lesson

    entry = services.save_to_library(prompt=heard_prompt, by=lead).library_prompt
    assert entry.extra_settings == {"anonymous_posting": "allowed"}
    made = services.create_from_library(
        library_prompt=entry, lesson=make_lesson(course=heard_prompt.lesson.course), by=lead
    )
    assert made.anonymous_posting == "allowed"

"""The activity's summary: written through the one Markdown pipeline, quoting only what may be
chosen, shown below the prompt through the read rule, moving the page's version, telling everyone
who reflected."""

from http import HTTPStatus

import pytest

from community.services import create_reflection
from core import versions
from facilitation import services
from facilitation.models import Summary
from facilitation.queries import quotable
from notifications.kinds import Kind
from notifications.models import Notification
from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.django_db


def test_only_posts_shared_with_the_whole_course_may_be_quoted(heard_prompt, lead):
    shared = make_reflection(prompt=heard_prompt, body="Shared.")
    author = make_user()
    private = create_reflection(prompt=heard_prompt, author=author, body="Mine.", is_private=True)
    for_them = create_reflection(prompt=heard_prompt, author=author, body="For you.", for_facilitators=True)
    reply = make_reflection(parent=shared, body="A reply.")
    assert list(quotable(lead, heard_prompt)) == [shared]
    for refused in (private, for_them, reply):
        with pytest.raises(services.SummaryError):
            services.publish_summary(
                prompt=heard_prompt, by=lead, body="We learned.", quoted_ids=[refused.pk]
            )
    assert not Summary.objects.exists()


def test_publishing_renders_markdown_and_tells_everyone_who_reflected_once(heard_prompt, lead):
    one, two = make_user(), make_user()
    make_reflection(prompt=heard_prompt, author=one)
    make_reflection(prompt=heard_prompt, author=two)
    summary = services.publish_summary(
        prompt=heard_prompt, by=lead, body="We learned **three** things.<script>x</script>", quoted_ids=[]
    )
    assert "<strong>three</strong>" in summary.body_html and "<script>" not in summary.body_html
    notices = Notification.objects.filter(kind=Kind.SUMMARY)
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted([one.pk, two.pk])
    from notifications.templatetags.notifications import notice_text

    assert (
        notice_text(notices.first())
        == f"Lena Facil summarised what the group learned in “{heard_prompt.title}”"
    )
    services.publish_summary(prompt=heard_prompt, by=lead, body="Edited.", quoted_ids=[])
    assert notices.count() == 2  # an edit tells nobody again


def test_publishing_moves_the_space_version(heard_prompt, lead):
    scope = versions.space_scope(heard_prompt.pk)
    before = versions.read([scope]).get(scope)
    services.publish_summary(prompt=heard_prompt, by=lead, body="We learned.", quoted_ids=[])
    assert versions.read([scope]).get(scope) != before
    moved = versions.read([scope]).get(scope)
    services.withdraw_summary(prompt=heard_prompt)
    assert versions.read([scope]).get(scope) != moved


def test_the_summary_shows_below_the_prompt_with_quotes_each_reader_may_read(client, heard_prompt, lead):
    kwame = make_user(display_name="Kwame Mensah")
    quoted = make_reflection(
        prompt=heard_prompt, author=kwame, body="The hour after the incident mattered most."
    )
    services.publish_summary(
        prompt=heard_prompt, by=lead, body="We learned to *pause*.", quoted_ids=[quoted.pk]
    )
    reader = make_user()
    client.force_login(reader)
    page = client.get(heard_prompt.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    text = page.text
    assert "Summary: what the group learned" in text and "<em>pause</em>" in text
    assert "The hour after the incident mattered most." in text and "Kwame Mensah" in text
    assert text.index("prompt-title") < text.index("summary-heading") < text.index("reflect-heading")
    assert "Follow-through: summary, responses, library" not in text  # a learner has no tools


def test_a_quote_hidden_since_is_not_shown(client, heard_prompt, lead, moderator):
    from moderation.services import hide_reflection

    quoted = make_reflection(prompt=heard_prompt, body="Soon hidden words.")
    services.publish_summary(prompt=heard_prompt, by=lead, body="We learned.", quoted_ids=[quoted.pk])
    hide_reflection(reflection=quoted, moderator=moderator, reason="Off topic")
    client.force_login(make_user())
    assert "Soon hidden words." not in client.get(heard_prompt.get_absolute_url()).text


def test_the_space_page_costs_the_same_without_a_summary_or_offer(client, heard_prompt, assert_exact_queries):
    """The summary and the offers are flags read with the prompts: no query when neither is there
    (13 as tests/community/test_views.test_space_query_count_is_flat, signed in)."""
    make_reflection(prompt=heard_prompt)
    client.force_login(make_user())
    client.get(heard_prompt.get_absolute_url())
    with assert_exact_queries(13):
        client.get(heard_prompt.get_absolute_url())


def test_with_a_summary_the_page_reads_it_and_its_quotes(client, heard_prompt, lead, assert_exact_queries):
    quoted = make_reflection(prompt=heard_prompt)
    services.publish_summary(prompt=heard_prompt, by=lead, body="We learned.", quoted_ids=[quoted.pk])
    client.force_login(make_user())
    client.get(heard_prompt.get_absolute_url())
    with assert_exact_queries(15):  # + the summary with its author, + its quotes through visible_to
        client.get(heard_prompt.get_absolute_url())


def test_those_who_reflected_are_emailed_by_their_settings(heard_prompt, lead, committed, mailoutbox):
    author = make_user(email="kwame@example.com")
    make_reflection(prompt=heard_prompt, author=author)
    mailoutbox.clear()
    with committed():
        services.publish_summary(prompt=heard_prompt, by=lead, body="We learned.", quoted_ids=[])
    (email,) = [mail for mail in mailoutbox if "kwame@example.com" in mail.to]
    assert "summarised what the group learned" in email.body

"""Notification emails as a member reads them: links on the site's address (SITE_URL), excerpts of
the rendered text cut between words, and a reminder whose subject names who sent it and the lesson."""

import re

import pytest
from django.core import mail

from accounts import roles
from community import services as community
from insights.services import send_nudge
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_user

pytestmark = pytest.mark.django_db


def reply_to(author, *, body: str, committed):
    prompt = make_prompt()
    replier = make_user(display_name="Bo Replier")
    with committed():
        top = community.create_reflection(prompt=prompt, author=author, body="My reflection")
    mail.outbox.clear()
    with committed():
        community.create_reflection(prompt=prompt, author=replier, body=body, parent=top)
    [message] = [m for m in mail.outbox if m.to == [author.email]]
    return message


def test_emailed_links_use_site_url_with_its_port(user, committed, settings):
    settings.SITE_URL = "http://127.0.0.1:8001"
    message = reply_to(user, body="I see it differently", committed=committed)
    links = re.findall(r"https?://[^\s\"<>]+", message.body)
    assert any("/notifications/" in link for link in links)
    assert links and all(link.startswith("http://127.0.0.1:8001/") for link in links)
    [html] = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert 'href="http://127.0.0.1:8001/notifications/' in html
    assert "127.0.0.1:8000" not in message.body + html


def test_excerpt_is_the_rendered_text_cut_between_words(user, committed):
    body = (
        "We had the **wrong rota** that week. "
        + "A long thought about how the team recovered and what we changed afterwards. " * 5
        + "Read [just culture](https://example.com/just-culture) for more."
    )
    message = reply_to(user, body=body, committed=committed)
    [quoted] = re.findall(r"“(We had.*?)”", message.body)
    assert quoted.startswith("We had the wrong rota that week.")
    assert "**" not in message.body and "[just" not in message.body
    assert quoted.endswith("…") and len(quoted) <= 281
    assert quoted[:-1].split()[-1] in body.split()  # a whole word before the ellipsis


def test_reminder_subject_names_the_facilitator_and_the_lesson(committed, settings):
    course = make_course()
    lesson = make_lesson(course=course, number=6, title="Speaking up")
    facilitator = make_user(role=roles.FACILITATOR, display_name="Amara")
    prompt = make_prompt(lesson=lesson, author=facilitator)
    learner = make_user(display_name="Dee Learner", email="dee@example.com")
    enrol(learner, course=course)
    text = "We would love to hear how the handover went for you; " * 5
    with committed():
        send_nudge(prompt=prompt, sender=facilitator, user_ids=[learner.pk], message=text.strip())
    [message] = [m for m in mail.outbox if m.to == [learner.email]]
    assert message.subject == f"[{settings.SITE_NAME}] A reminder from Amara about Lesson 6"
    assert text.strip() in message.body

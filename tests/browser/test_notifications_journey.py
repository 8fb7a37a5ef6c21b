"""A learner hears that a colleague answered: the bell, the notice, the "New" marker, the email
and its one-click unsubscribe."""

import re

from django.core import mail
from playwright.sync_api import Page, expect

from community import services
from community.models import Reflection
from tests.browser.helpers import log_in, space_url
from tests.factories import make_user


def test_a_reply_with_a_mention_reaches_the_author_in_the_app_and_by_email(
    page: Page, live_server, lesson, prompt, user, other_user, settings
):
    settings.NOTIFY_EMAIL_DELAY_SECONDS = 0
    log_in(page, live_server, user)
    page.goto(space_url(live_server, lesson))
    page.get_by_role("textbox", name="Your reflection").fill("Owning a mistake out loud is the hard part.")
    page.get_by_role("button", name="Post reflection").click()
    expect(page.locator(".post__body", has_text="Owning a mistake")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    mine = Reflection.objects.get(author=user)

    # Ben replies, mentioning Amara (through the service, as another browser would).
    mail.outbox.clear()
    reply = services.create_reflection(
        prompt=prompt, author=other_user, parent=mine, body="@amara I felt that too, in my first team."
    )

    page.goto(f"{live_server.url}/")
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    bell.click()
    # A reply that also mentions the member it answers is one notice, the most specific kind.
    notice = page.get_by_role(
        "link", name=re.compile("Ben Carter replied to your reflection “Owning a mistake")
    )
    expect(notice).to_be_visible()
    notice.click()
    expect(page).to_have_url(re.compile(rf"#post-{reply.pk}$"))
    reply_article = page.locator(f"#post-{reply.pk}")
    expect(reply_article).to_contain_text("I felt that too")
    expect(reply_article.locator(".badge--new")).to_have_text("New")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()  # read now

    # The email: a link to the reply, and a one-click unsubscribe that needs no login.
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    assert "/notifications/" in message.body
    unsubscribe = re.search(r"https?://\S+/notifications/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    anonymous = page.context.browser.new_context()
    other_page = anonymous.new_page()
    other_page.goto(f"{live_server.url}/{path}")
    expect(other_page.get_by_role("heading", name="Stop these emails?")).to_be_visible()
    status = other_page.request.post(f"{live_server.url}/{path}").status  # RFC 8058 one-click: no CSRF token
    assert status == 200
    anonymous.close()

    mail.outbox.clear()
    services.create_reflection(prompt=prompt, author=make_user(), parent=mine, body="@amara one more thought")
    assert [m for m in mail.outbox if m.to == [user.email]] == []  # mentions are off now
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()  # still on the site


def test_after_posting_with_htmx_every_copy_of_the_authors_post_count_agrees(
    page: Page, live_server, lesson, prompt, user
):
    services.create_reflection(prompt=prompt, author=user, body="An earlier thought.")
    log_in(page, live_server, user)
    page.goto(space_url(live_server, lesson))
    counts = page.locator(f'[data-author-posts="{user.pk}"]')
    expect(counts).to_have_text(["1 post"])
    page.get_by_role("textbox", name="Your reflection").fill("A second thought.")
    page.get_by_role("button", name="Post reflection").click()
    expect(page.locator(".post__body", has_text="A second thought")).to_be_visible()
    expect(counts).to_have_text(["2 posts", "2 posts"])

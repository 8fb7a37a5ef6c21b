"""Journeys through moderation: a learner reports a post, a moderator hides it (the author is
emailed why), readers see a placeholder with the replies under it (then nothing, once the moderator
hides the replies too), the moderator restores it and the log records each step;
and a suspended learner sees the suspension banner and cannot post.

Every person has their own browser context, so sessions never mix; every login goes through
the real login form.
"""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from community import services
from moderation.services import suspend_member
from tests.browser.helpers import log_in, space_url
from tests.factories import make_user

POST_TEXT = "Honestly, the people who made that mistake should be named and shamed."
REPORT_NOTE = "This singles out colleagues; it reads as a pile-on."
HIDE_REASON = "Naming and shaming colleagues goes against the space's guidelines."
REPLY_TEXT = "I'd rather we looked at what made the mistake easy to make."
PLACEHOLDER = "This reflection is hidden while moderators review it."


def new_page(browser: Browser, contexts: list[BrowserContext]) -> Page:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_a_reported_post_is_hidden_by_a_moderator_then_restored_and_the_log_shows_both(
    browser: Browser, live_server, prompt, user, other_user, moderator, mailoutbox
):
    author, reporter = user, other_user
    reader = make_user(handle="chidi", display_name="Chidi Eze", email="chidi@example.com")
    reflection = services.create_reflection(prompt=prompt, author=author, body=POST_TEXT)
    reply = services.create_reflection(prompt=prompt, author=reader, body=REPLY_TEXT, parent=reflection)
    url = space_url(live_server, prompt.lesson)
    contexts: list[BrowserContext] = []
    try:
        # The reporter reports the author's post.
        reporter_page = new_page(browser, contexts)
        log_in(reporter_page, live_server, reporter)
        reporter_page.goto(url)
        reporter_page.locator(f"#post-{reflection.pk}").get_by_role("link", name="Report", exact=True).click()
        expect(reporter_page.get_by_role("heading", name="Report a post")).to_be_visible()
        reporter_page.get_by_label("Harassment or abuse").check()
        reporter_page.get_by_label("Anything the moderators should know? (optional)").fill(REPORT_NOTE)
        reporter_page.get_by_role("button", name="Send report").click()
        expect(
            reporter_page.get_by_role("status").filter(has_text="your report was received")
        ).to_be_visible()
        expect(reporter_page).to_have_url(re.compile(rf"#post-{reflection.pk}$"))

        # The moderator finds it in the queue and hides it.
        mod_page = new_page(browser, contexts)
        log_in(mod_page, live_server, moderator)
        mod_page.get_by_role("navigation", name="Main").get_by_role("link", name="Moderation").click()
        expect(mod_page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
        item = mod_page.get_by_role("region", name=f"Reports about a post by {author.display_name}")
        expect(item).to_have_count(1)
        expect(item).to_contain_text(POST_TEXT)
        expect(item).to_contain_text("1 open report")
        expect(item).to_contain_text("Harassment or abuse")
        expect(item).to_contain_text(reporter.display_name)
        expect(item).to_contain_text(REPORT_NOTE)
        item.get_by_role("link", name="Review: hide, edit, delete…").click()
        expect(mod_page).to_have_url(re.compile(rf"/moderation/posts/{reflection.pk}/$"))
        expect(mod_page.get_by_role("heading", name="Moderate a post")).to_be_visible()
        mod_page.get_by_label("Reason for hiding (the author is emailed this)").fill(HIDE_REASON)
        mod_page.get_by_role("button", name="Hide post").click()
        expect(mod_page.get_by_role("status")).to_contain_text("The post is hidden")
        expect(mod_page.locator(".badge--hidden")).to_have_text("Hidden")
        expect(mod_page.get_by_role("button", name="Restore post")).to_be_visible()

        # The author is emailed the reason (by a job queued when the hide commits; inline in tests).
        hidden_mails = [m for m in mailoutbox if author.email in m.to and "replied to" not in m.subject]
        assert len(hidden_mails) == 1, [(m.to, m.subject) for m in mailoutbox]
        hidden_mail = hidden_mails[0]
        assert "A moderator hid your reflection" in hidden_mail.subject
        assert prompt.title in hidden_mail.body
        # (The reason itself is checked at the end, so the rest of the journey always runs.)

        # The author still sees their words, with the banner and the reason.
        author_page = new_page(browser, contexts)
        log_in(author_page, live_server, author)
        author_page.goto(url)
        own_post = author_page.locator(f"#post-{reflection.pk}")
        expect(own_post).to_contain_text(POST_TEXT)
        banner = own_post.locator(".post__hidden-banner")
        expect(banner).to_contain_text("Hidden by a moderator.")
        expect(banner).to_contain_text(HIDE_REASON)
        expect(banner).to_contain_text("Only you and the moderators can see it.")

        # Another learner sees a placeholder, naming no one, with the conversation under it.
        reader_page = new_page(browser, contexts)
        log_in(reader_page, live_server, reader)
        reader_page.goto(url)
        placeholder = reader_page.get_by_role("article", name="Hidden reflection")
        expect(placeholder).to_have_text(PLACEHOLDER)
        expect(reader_page.get_by_text(POST_TEXT)).to_have_count(0)
        expect(reader_page.get_by_text(HIDE_REASON)).to_have_count(0)
        expect(reader_page.get_by_role("list", name="Replies to a hidden reflection")).to_contain_text(
            REPLY_TEXT
        )
        expect(reader_page.locator(f"#post-{reflection.pk}").get_by_role("button")).to_have_count(0)

        # The moderator hides the replies too: the learner sees nothing of the conversation, then
        # the moderator shows them again under the placeholder.
        mod_page.get_by_role("button", name="Hide the replies too").click()
        expect(mod_page.get_by_role("status")).to_contain_text("The whole conversation is hidden")
        reader_page.reload()
        expect(reader_page.locator(f"#post-{reflection.pk}")).to_have_count(0)
        expect(reader_page.locator(f"#post-{reply.pk}")).to_have_count(0)
        mod_page.get_by_role("button", name="Show the replies under a placeholder").click()
        expect(mod_page.get_by_role("status")).to_contain_text("The replies show again")
        reader_page.reload()
        expect(reader_page.get_by_role("article", name="Hidden reflection")).to_have_text(PLACEHOLDER)

        # The moderator restores it; the learner sees the words again.
        mod_page.get_by_role("button", name="Restore post").click()
        expect(mod_page.get_by_role("status")).to_contain_text("The post is visible again.")
        expect(mod_page.locator(".badge--hidden")).to_have_count(0)
        reader_page.reload()
        seen = reader_page.locator(f"#post-{reflection.pk}")
        expect(seen.locator(".post__body")).to_contain_text(POST_TEXT)
        expect(seen.locator(".post__hidden-banner")).to_have_count(0)

        # The moderation log records each action, newest first, with who took it.
        mod_page.get_by_role("navigation", name="Moderation").get_by_role(
            "link", name="Moderation log"
        ).click()
        expect(mod_page).to_have_url(re.compile(r"/moderation/log/$"))
        rows = mod_page.locator("table tbody tr")
        expect(rows).to_have_count(4)
        expect(rows.filter(has_text="Hid the replies to a hidden reflection")).to_have_count(1)
        expect(rows.filter(has_text="Showed the replies to a hidden reflection")).to_have_count(1)
        restored = rows.filter(has_text="Restored a post")
        hid = rows.filter(has_text="Hid a post")
        expect(restored).to_have_count(1)
        expect(hid).to_have_count(1)
        expect(restored.locator("td").nth(1)).to_have_text(moderator.display_name)
        expect(hid.locator("td").nth(1)).to_have_text(moderator.display_name)
        expect(hid.locator("td").nth(3)).to_contain_text(f"Post {reflection.pk}")
        expect(hid.locator("td").nth(4)).to_have_text(HIDE_REASON)
        expect(rows.first).to_contain_text("Restored a post")

        # The plain-text email quotes the reason as the moderator wrote it, not HTML-escaped.
        assert HIDE_REASON in hidden_mail.body, hidden_mail.body
        assert "&#x27;" not in hidden_mail.body, hidden_mail.body
    finally:
        for context in contexts:
            context.close()


def test_a_suspended_learner_sees_why_and_cannot_post_a_reflection(
    page: Page, live_server, prompt, user, other_user, moderator
):
    services.create_reflection(prompt=prompt, author=other_user, body="A colleague's reflection to read.")
    reason = "Repeated personal remarks about colleagues."
    suspend_member(
        member=user, moderator=moderator, ends_at=timezone.now() + timedelta(days=3), reason=reason
    )

    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    banner = page.locator(".banner--suspended")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Your account is suspended until")
    expect(banner).to_contain_text(reason)
    expect(banner).to_contain_text("You can still read, but not post, reply, like or report.")
    # They can still read, but have no way to post, reply, like or report.
    expect(page.get_by_text("A colleague's reflection to read.")).to_be_visible()
    expect(page.get_by_role("button", name="Post reflection")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Your reflection")).to_have_count(0)
    expect(page.get_by_role("button", name="Like")).to_have_count(0)
    expect(page.get_by_role("link", name="Report", exact=True)).to_have_count(0)

"""A newcomer signs up, verifies their email, logs in and reads Lesson 6 and its space."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

PASSWORD = "a-strong-passphrase-77"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", force=True, stdout=io.StringIO())


def test_newcomer_signs_up_verifies_logs_in_and_reads_lesson_6(page: Page, live_server, demo):
    page.goto(live_server.url)
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Display name").fill("Noor Haddad")
    page.get_by_label("Email").fill("noor@example.com")
    page.get_by_label("Handle").fill("noor")
    page.get_by_label(re.compile(r"^Password\b(?! \(again\))")).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)")).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")

    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    # Confirming logs the newcomer in; log out and back in to prove the password works.
    page.get_by_role("button", name="Log out").click()
    if page.get_by_role("button", name="Log out").count():  # allauth's confirmation page
        page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("noor@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Noor Haddad (your profile)")).to_be_visible()

    page.get_by_role("link", name="Professional courage and influence").click()
    page.get_by_role("link", name="Lesson 6: Take responsibility for mistakes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Take responsibility for mistakes")
    page.get_by_role("link", name=re.compile("community learning space for this lesson")).click()
    expect(page).to_have_url(re.compile("/lessons/take-responsibility-for-mistakes/community/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lesson 6: your reflections")
    page.get_by_role("link", name=re.compile("Return to the lesson page")).first.click()
    expect(page).to_have_url(re.compile("/lessons/take-responsibility-for-mistakes/$"))

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_keyboard_users_can_skip_to_the_content(page: Page, live_server, demo):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()

"""A signed-in learner who is not enrolled reads the space, presses "Join this course", and posts."""

import pytest
from playwright.sync_api import Page, expect

from community.models import Reflection
from lessons.models import Enrolment
from tests.browser.helpers import log_in, space_url

pytestmark = pytest.mark.enrolment


def test_a_learner_joins_the_course_from_the_space_and_reflects(page: Page, live_server, user, prompt):
    assert not Enrolment.objects.filter(user=user).exists()
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    expect(page.get_by_text("Join this course to add your reflection.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your reflection")).to_have_count(0)

    page.get_by_role("button", name="Join this course").click()
    expect(page.get_by_text("You can now add your reflections")).to_be_visible()
    page.get_by_role("textbox", name="Your reflection").fill("Joined, and here is my first thought.")
    page.get_by_role("button", name="Post reflection").click()

    expect(page.locator("#threads article.post").filter(has_text="my first thought")).to_have_count(1)
    assert Reflection.objects.filter(author=user, prompt=prompt).count() == 1
    assert Enrolment.objects.get(user=user).course == prompt.lesson.course

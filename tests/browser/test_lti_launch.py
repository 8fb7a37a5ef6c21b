"""LTI 1.3 in a real browser: a learner opens the activity in their course on a local learning
platform, Reflect opens inside the platform's frame (cookie check, OIDC login, launch), the
learner reflects there, and the platform's gradebook receives the participation score."""

import pytest
from lti_tool.models import LtiContext, LtiDeployment
from playwright.sync_api import Page, expect

from lti import tasks
from lti.models import CourseLink, GradedActivity, Platform
from tests.lti.conftest import FakePlatform

AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@pytest.fixture
def platform():
    fake = FakePlatform()
    yield fake
    fake.close()


def test_a_learner_reflects_inside_the_platforms_frame_and_the_gradebook_gets_the_score(
    page: Page, live_server, platform, prompt
):
    # The platform on 127.0.0.1 and Reflect on 127.0.0.1 (another port): another origin, as a
    # platform is, on the same site, as plain http allows cookies in a frame only there.
    reflect = live_server.url.replace("localhost", "127.0.0.1")
    platform.register()
    context = LtiContext.objects.create(deployment=LtiDeployment.objects.get(), id_on_platform="context-1")
    CourseLink.objects.create(context=context, course=prompt.lesson.course)
    platform.tool_login_url = f"{reflect}/lti/login/"
    platform.browser_claims = {
        "https://purl.imsglobal.org/spec/lti/claim/custom": {"reflect_activity": str(prompt.pk)},
        AGS: {"scope": [SCORE], "lineitem": f"{platform.issuer}/lineitems/3"},
    }

    page.goto(f"{platform.issuer}/course")
    tool = page.frame_locator("iframe[name=tool]")
    expect(tool.get_by_role("heading", name=prompt.title)).to_be_visible()
    tool.get_by_role("textbox", name="Your reflection").fill("Written inside my course's page.")
    tool.get_by_role("button", name="Post reflection").click()
    expect(tool.get_by_text("Written inside my course's page.")).to_be_visible()

    tasks.send_scores(graded_id=GradedActivity.objects.get().pk)  # the worker's ten-minute round
    [(path, score)] = platform.scores
    assert path == "/lineitems/3/scores"
    assert (score["userId"], score["scoreGiven"], score["activityProgress"]) == ("lms-user-1", 1, "Completed")


def test_where_the_frame_cannot_keep_cookies_reflect_opens_in_a_new_window_and_works_there(
    page: Page, live_server, platform, prompt
):
    # The platform's course page on localhost frames Reflect on 127.0.0.1: another site, so over
    # plain http the browser keeps no cookie of Reflect's inside the frame, as Safari does for any
    # site's frame. The platform's settings list where its pages are shown.
    reflect = live_server.url.replace("localhost", "127.0.0.1")
    platform.register()
    lms_page = platform.issuer.replace("127.0.0.1", "localhost")
    Platform.objects.filter(registration__issuer=platform.issuer).update(frame_origins=lms_page)
    context = LtiContext.objects.create(deployment=LtiDeployment.objects.get(), id_on_platform="context-1")
    CourseLink.objects.create(context=context, course=prompt.lesson.course)
    platform.tool_login_url = f"{reflect}/lti/login/"
    platform.browser_claims = {
        "https://purl.imsglobal.org/spec/lti/claim/custom": {"reflect_activity": str(prompt.pk)}
    }

    page.goto(f"{lms_page}/course")
    tool = page.frame_locator("iframe[name=tool]")
    expect(tool.get_by_text("Your browser keeps Reflect from using cookies")).to_be_visible()
    with page.context.expect_page() as opened:
        tool.get_by_role("link", name="Open in a new window").click()
    window = opened.value
    expect(window.get_by_role("heading", name=prompt.title)).to_be_visible()
    window.get_by_role("textbox", name="Your reflection").fill("Written in the new window.")
    window.get_by_role("button", name="Post reflection").click()
    expect(window.get_by_text("Written in the new window.")).to_be_visible()

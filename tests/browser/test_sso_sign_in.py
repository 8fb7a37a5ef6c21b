"""Single sign-on in a real browser: the log-in page with a "Sign in with <Organisation>" button
(axe finds nothing serious, the button is a 24 px target at least and shows where focus is), and
one press signs a new member in through a local OpenID Connect provider started by the test."""

import pytest
from playwright.sync_api import Browser, expect

from tests.accounts.test_sso_oidc import LocalOIDCProvider, configure
from tests.browser.helpers import log_in
from tests.browser.test_accessibility import serious_violations
from tests.factories import make_user


@pytest.fixture
def provider(settings, transactional_db):
    with LocalOIDCProvider() as provider:
        configure(settings, provider)
        provider.claims = {
            "sub": "contoso-42",
            "email": "kwame.boateng@contoso.example",
            "email_verified": True,
            "name": "Kwame Boateng",
        }
        yield provider


@pytest.fixture
def context(browser: Browser):
    # axe is injected by the test, so this context lets it past our Content Security Policy.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    yield context
    context.close()


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_the_sso_button_is_accessible(context, live_server, provider, path):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}{path}")
    button = page.get_by_role("button", name="Sign in with Contoso")
    expect(button).to_be_visible()
    assert serious_violations(page) == []
    box = button.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24  # WCAG 2.5.8 target size
    button.focus()
    outline = button.evaluate(
        "b => getComputedStyle(b).outlineStyle + ' ' + getComputedStyle(b).outlineWidth"
    )
    assert outline.startswith("solid") and not outline.endswith(" 0px")  # focus visible (2.4.7)


def test_one_press_signs_a_new_member_in(context, live_server, provider):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with Contoso").click()
    expect(page.get_by_role("link", name="Kwame Boateng (your profile)")).to_be_visible()
    assert "/authorize" in provider.requests and "/token" in provider.requests


def test_no_button_without_sso(context, live_server, settings, transactional_db):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in with", exact=False)).to_have_count(0)


def test_connecting_an_organisation_is_accessible(context, live_server, provider):
    member = make_user(email="kwame@example.com", handle="kwame")
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, member)
    page.goto(f"{live_server.url}/accounts/3rdparty/")
    button = page.get_by_role("button", name="Connect Contoso")
    expect(button).to_be_visible()
    assert serious_violations(page) == []
    button.click()  # the provider answers at once and Reflect connects the identity
    expect(page.get_by_text("The third-party account has been connected.")).to_be_visible()
    assert member.socialaccount_set.get().uid == "contoso-42"

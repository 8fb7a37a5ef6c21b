"""Issue 12's journeys: a learner saves a reflection privately and shares it later; a colleague
likes it, says what helped, and the author reads why. axe-core checks each page on the way."""

from playwright.sync_api import Browser, Page, expect

from community import services
from community.models import Like, Reflection
from tests.browser.helpers import log_in, space_url
from tests.browser.test_accessibility import AXE


def axe_violations(page: Page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]]  # fmt: skip


def new_page(browser: Browser, *, javascript: bool = True) -> Page:
    # axe is injected by the test, so a context with JavaScript lets it past the Content Security
    # Policy (without JavaScript there is no axe, and Chromium stalls on that combination).
    options = {"bypass_csp": True} if javascript else {"java_script_enabled": False}
    context = browser.new_context(viewport={"width": 1100, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def wait_for_htmx(page: Page) -> None:
    page.wait_for_function("() => window.htmx !== undefined")


def test_a_learner_saves_a_reflection_privately_then_shares_it(
    browser: Browser, live_server, prompt, user, other_user
):
    page = new_page(browser)
    try:
        log_in(page, live_server, user)
        page.goto(space_url(live_server, prompt.lesson))
        wait_for_htmx(page)
        page.get_by_role("textbox", name="Your reflection").fill("Not ready to share *this* yet.")
        page.get_by_role("button", name="Save privately").click()

        post = page.locator("#threads article.post").filter(has_text="Not ready to share")
        expect(post).to_have_count(1)
        expect(post.get_by_text("Private — only you can see this")).to_be_visible()
        reflection = Reflection.objects.get(author=user, prompt=prompt)
        assert reflection.is_private
        assert not Reflection.objects.visible_to(other_user).filter(pk=reflection.pk).exists()
        expect(page.get_by_role("textbox", name="Your reflection")).to_have_value("")
        assert axe_violations(page) == []

        post.get_by_role("button", name="Share with the course").click()
        expect(page.get_by_text("Your reflection is shared with the course.")).to_be_visible()
        shared = page.locator(f"#post-{reflection.pk}")
        expect(shared).to_be_visible()
        expect(shared.get_by_text("Private — only you can see this")).to_have_count(0)
        expect(shared.get_by_role("button", name="Share with the course")).to_have_count(0)
        reflection.refresh_from_db()
        assert not reflection.is_private and reflection.shared_at is not None
        assert axe_violations(page) == []
    finally:
        page.context.close()


def test_a_learner_likes_a_colleagues_post_with_a_reason_and_the_author_sees_it(
    browser: Browser, live_server, prompt, user, other_user
):
    reflection = services.create_reflection(
        prompt=prompt, author=user, body="I said sorry before anyone asked."
    )
    liker = new_page(browser)
    try:
        log_in(liker, live_server, other_user)
        liker.goto(space_url(live_server, prompt.lesson))
        wait_for_htmx(liker)
        post = liker.locator(f"#post-{reflection.pk}")
        post.get_by_role("button", name="Like").click()
        expect(post.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "true")
        reason = post.get_by_role("textbox", name="What helped you?")
        expect(reason).to_be_visible()
        assert axe_violations(liker) == []
        reason.fill("Owning it *first*, before being asked")
        post.get_by_role("button", name="Save what helped you").click()
        expect(post.get_by_role("status")).to_have_text("Thank you: the author can see why it helped you.")
        expect(post.locator(".like__reason em")).to_have_text("first")
        assert Like.objects.get(reflection=reflection, user=other_user).reason.startswith("Owning it")
        # The same form as its own page (the way without JavaScript): edit the reason there.
        liker.goto(f"{live_server.url}/posts/{reflection.pk}/like/reason/")
        expect(liker.get_by_role("textbox", name="What helped you?")).to_have_value(
            "Owning it *first*, before being asked"
        )
        assert axe_violations(liker) == []
    finally:
        liker.context.close()

    author = new_page(browser)
    try:
        log_in(author, live_server, user)
        author.goto(space_url(live_server, prompt.lesson))
        mine = author.locator(f"#post-{reflection.pk}")
        summary = mine.get_by_text("1 person said why")
        expect(summary).to_be_visible()
        summary.click()
        reasons = mine.locator(".like-reasons li")
        expect(reasons).to_have_count(1)
        expect(reasons.first).to_contain_text(
            f"{other_user.display_name}: “Owning it first, before being asked”"
        )
        expect(mine.locator(".like__count")).to_have_text("1 like")
        assert axe_violations(author) == []
    finally:
        author.context.close()


def test_without_javascript_the_reason_is_its_own_short_page(
    browser: Browser, live_server, prompt, user, other_user
):
    reflection = services.create_reflection(prompt=prompt, author=user, body="A plain page works too.")
    page = new_page(browser, javascript=False)
    try:
        log_in(page, live_server, other_user)
        page.goto(space_url(live_server, prompt.lesson))
        page.locator(f"#post-{reflection.pk}").get_by_role("button", name="Like").click()
        expect(
            page.get_by_role("heading", name=f"You liked {user.display_name}’s reflection")
        ).to_be_visible()
        # (axe needs JavaScript: the journey with JavaScript checks this page.)
        page.get_by_role("textbox", name="What helped you?").fill("Plain and clear")
        page.get_by_role("button", name="Save what helped you").click()
        expect(page.get_by_text("Thank you: the author can see why it helped you.")).to_be_visible()
        expect(page.locator(f"#post-{reflection.pk} .like__reason")).to_contain_text("Plain and clear")
    finally:
        page.context.close()

"""Journeys through a lesson's community space: posting, liking, replying, sorting, permalinks,
independent reflection, and a facilitator pinning a new prompt from the admin.

Data comes from the factories and services; every login goes through the real login form.
"""

import re

from playwright.sync_api import Browser, Page, expect

from community import services
from community.models import Prompt, Reflection
from tests.browser.helpers import log_in, space_url
from tests.factories import make_user


def wait_for_htmx(page: Page) -> None:
    """htmx is loaded with `defer`; make sure it has taken over the forms before clicking."""
    page.wait_for_function("() => window.htmx !== undefined")


def test_a_learner_posts_a_reflection_with_a_numbered_list_and_a_link(page: Page, live_server, prompt, user):
    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    wait_for_htmx(page)

    text = (
        "What I took from this:\n\n"
        "1. Own the mistake early\n"
        "2. Share what you learned\n\n"
        "More in [the guide](https://example.org/guide)."
    )
    page.get_by_role("textbox", name="Your reflection").fill(text)
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview of your text")
    expect(preview.locator("ol > li")).to_have_count(2)
    expect(preview.locator("ol > li").first).to_have_text("Own the mistake early")
    expect(preview.locator('a[href="https://example.org/guide"]')).to_have_text("the guide")

    page.get_by_role("button", name="Post reflection").click()

    post = page.locator("#threads article.post").filter(has_text="What I took from this")
    expect(post).to_have_count(1)
    expect(post.locator("ol > li")).to_have_text(["Own the mistake early", "Share what you learned"])
    expect(post.locator('a[href="https://example.org/guide"]')).to_have_text("the guide")
    reflection = Reflection.objects.get(author=user, prompt=prompt)
    expect(post).to_have_id(f"post-{reflection.pk}")
    # The editor is ready for another reflection.
    expect(page.get_by_role("textbox", name="Your reflection")).to_have_value("")


def test_a_second_learner_likes_and_replies_in_place_with_javascript(
    page: Page, live_server, prompt, user, other_user
):
    reflection = services.create_reflection(
        prompt=prompt, author=user, body="Saying *I got it wrong* out loud was the hardest part."
    )
    log_in(page, live_server, other_user)
    page.goto(space_url(live_server, prompt.lesson))
    wait_for_htmx(page)
    url = page.url
    page.evaluate("window.__stillTheSamePage = true")

    post = page.locator(f"#post-{reflection.pk}")
    like = post.get_by_role("button", name="Like")
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(post.locator(".like__count")).to_have_text("0 likes")

    like.click()
    expect(post.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "true")
    expect(post.locator(".like__count")).to_have_text("1 like")
    assert page.url == url
    assert page.evaluate("window.__stillTheSamePage") is True

    post.get_by_role("button", name="Like").click()
    expect(post.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "false")
    expect(post.locator(".like__count")).to_have_text("0 likes")
    assert page.url == url
    assert page.evaluate("window.__stillTheSamePage") is True

    post.get_by_role("link", name="Reply", exact=True).click()
    reply_box = post.get_by_label(f"Your reply to {user.display_name}")
    expect(reply_box).to_be_focused()
    reply_box.fill(f"Thank you @{user.handle} — that is exactly it.")
    post.get_by_role("button", name="Post reply").click()

    replies = page.locator(f"#replies-{reflection.pk}")
    reply = replies.locator("article.post--reply").filter(has_text="that is exactly it")
    expect(reply).to_have_count(1)
    expect(reply.locator(f'.post__body a[href="/u/{user.handle}/"]')).to_have_text(f"@{user.handle}")
    expect(post.locator(".reply-slot")).to_be_empty()
    assert page.url == url
    assert page.evaluate("window.__stillTheSamePage") is True
    assert Reflection.objects.get(pk=reflection.pk).reply_count == 1


def test_posting_liking_and_replying_work_without_javascript(
    browser: Browser, live_server, prompt, user, other_user
):
    author_context = browser.new_context(java_script_enabled=False)
    reader_context = browser.new_context(java_script_enabled=False)
    try:
        author = author_context.new_page()
        author.set_default_timeout(10_000)
        log_in(author, live_server, user)
        author.goto(space_url(live_server, prompt.lesson))
        author.get_by_role("textbox", name="Your reflection").fill("Without scripts:\n\n- I still *reflect*")
        author.get_by_role("button", name="Post reflection").click()
        expect(author.get_by_text("Your reflection is posted. Thank you for sharing it.")).to_be_visible()
        reflection = Reflection.objects.get(author=user, prompt=prompt)
        # The page ending at the new reflection (issue 13: a keyset cursor).
        expect(author).to_have_url(
            re.compile(rf"/activities/{prompt.pk}/\?until=\d+\.{reflection.pk}#post-{reflection.pk}$")
        )
        expect(author.locator(f"#post-{reflection.pk} .post__body em")).to_have_text("reflect")

        reader = reader_context.new_page()
        reader.set_default_timeout(10_000)
        log_in(reader, live_server, other_user)
        reader.goto(space_url(live_server, prompt.lesson))
        post = reader.locator(f"#post-{reflection.pk}")
        post.get_by_role("button", name="Like").click()
        # Without JavaScript a like leads to "What helped you?" (optional, issue 12): skip it.
        expect(reader).to_have_url(re.compile(rf"/posts/{reflection.pk}/like/reason/$"))
        reader.get_by_role("link", name="Skip — back to the conversation").click()
        expect(reader).to_have_url(re.compile(rf"#post-{reflection.pk}$"))
        post = reader.locator(f"#post-{reflection.pk}")
        expect(post.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "true")
        expect(post.locator(".like__count")).to_have_text("1 like")

        post.get_by_role("link", name="Reply", exact=True).click()
        expect(reader).to_have_url(re.compile(rf"/posts/{reflection.pk}/reply/$"))
        reader.get_by_label(f"Your reply to {user.display_name}").fill(f"Same here, @{user.handle}.")
        reader.get_by_role("button", name="Post reply").click()
        expect(reader.get_by_text("Your reply is posted.")).to_be_visible()
        reply = Reflection.objects.get(author=other_user, parent=reflection)
        expect(reader).to_have_url(
            re.compile(rf"/activities/{prompt.pk}/\?from=\d+\.{reflection.pk}#post-{reply.pk}$")
        )
        reply_article = reader.locator(f"#replies-{reflection.pk} #post-{reply.pk}")
        expect(reply_article).to_contain_text("Same here")
        expect(reply_article.locator(f'.post__body a[href="/u/{user.handle}/"]')).to_have_text(
            f"@{user.handle}"
        )
        # The like survived the reload, and the author sees it too.
        author.reload()
        expect(author.locator(f"#post-{reflection.pk} .like__count").first).to_have_text("1 like")
    finally:
        author_context.close()
        reader_context.close()


def test_sorting_by_most_liked_puts_the_most_liked_reflection_first(
    page: Page, live_server, prompt, user, other_user
):
    authors = [make_user(display_name=f"Writer {n}") for n in range(3)]
    least, most, middle = (
        services.create_reflection(prompt=prompt, author=author, body=f"Reflection number {n}")
        for n, author in enumerate(authors, start=1)
    )
    for liker in (user, other_user):
        services.like_reflection(reflection=most, user=liker)
    services.like_reflection(reflection=middle, user=user)

    log_in(page, live_server, user)
    page.goto(space_url(live_server, prompt.lesson))
    threads = page.locator("#threads > .thread > article.post")
    expect(threads).to_have_count(3)
    expect(threads.first).to_have_id(f"post-{least.pk}")  # oldest first by default

    page.get_by_role("navigation", name="Sort reflections").get_by_role("link", name="Most liked").click()
    expect(page).to_have_url(re.compile(r"\?order=liked$"))
    expect(
        page.get_by_role("navigation", name="Sort reflections").get_by_role("link", name="Most liked")
    ).to_have_attribute("aria-current", "true")
    expect(threads).to_have_count(3)
    ids = threads.evaluate_all("articles => articles.map(a => a.id)")
    assert ids == [f"post-{most.pk}", f"post-{middle.pk}", f"post-{least.pk}"]
    expect(threads.first.locator(".like__count")).to_have_text("2 likes")


def test_the_permalink_of_a_post_on_the_last_page_lands_on_that_post(
    page: Page, live_server, prompt, user, settings
):
    settings.REFLECTIONS_PER_PAGE = 2
    writer = make_user(display_name="Prolific Writer")
    posts = [
        services.create_reflection(prompt=prompt, author=writer, body=f"Thought number {n}")
        for n in range(1, 6)
    ]
    target = posts[4]  # the 5th reflection: page 3 of 3

    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/posts/{target.pk}/")
    # Issue 13: the page starting at the post's thread (a keyset cursor), not a page number.
    expect(page).to_have_url(
        re.compile(rf"/activities/{prompt.pk}/\?from=\d+\.{target.pk}#post-{target.pk}$")
    )
    article = page.locator(f"article#post-{target.pk}")
    expect(article).to_be_visible()
    expect(article).to_be_in_viewport()
    expect(article).to_contain_text("Thought number 5")
    # The pagination bar: First and Previous lead back; from the first page, Last leads here again.
    pages = page.get_by_role("navigation", name="Pages of reflections")
    pages.get_by_role("link", name="First").click()
    expect(pages.locator('[aria-current="page"]')).to_have_text("Page 1 of 3")
    expect(page.locator(f"article#post-{posts[0].pk}")).to_be_visible()
    pages.get_by_role("link", name="Next").click()
    expect(pages.locator('[aria-current="page"]')).to_have_text("Page 2 of 3")
    pages.get_by_role("link", name="Last").click()
    expect(pages.locator('[aria-current="page"]')).to_have_text("Page 3 of 3")
    expect(page.locator(f"article#post-{target.pk}")).to_be_visible()


def test_independent_reflection_hides_colleagues_until_the_learner_posts(
    page: Page, live_server, lesson, facilitator, user, other_user
):
    prompt = services.create_prompt(
        lesson=lesson,
        author=facilitator,
        title="Think it through on your own first",
        body="Write before you read.",
        independent_reflection=True,
    )
    services.create_reflection(prompt=prompt, author=user, body="Amara's private-first thoughts")
    services.create_reflection(prompt=prompt, author=other_user, body="Ben's private-first thoughts")
    newcomer = make_user(display_name="Chidi Newcomer")

    log_in(page, live_server, newcomer)
    page.goto(space_url(live_server, lesson))
    expect(page.get_by_text("2 colleagues have reflected — add yours to read theirs")).to_be_visible()
    expect(page.get_by_text("Amara's private-first thoughts")).to_have_count(0)
    expect(page.get_by_text("Ben's private-first thoughts")).to_have_count(0)
    expect(page.locator("article.post")).to_have_count(0)

    wait_for_htmx(page)
    page.get_by_role("textbox", name="Your reflection").fill("Chidi's own reflection, written first")
    page.get_by_role("button", name="Post reflection").click()

    expect(page.get_by_text("Amara's private-first thoughts")).to_be_visible()
    expect(page.get_by_text("Ben's private-first thoughts")).to_be_visible()
    expect(page.get_by_text("Chidi's own reflection, written first")).to_be_visible()
    expect(page.get_by_text("add yours to read theirs")).to_have_count(0)
    expect(page.locator("#threads article.post")).to_have_count(3)


def test_a_facilitator_adds_a_pinned_prompt_in_the_admin_and_it_comes_first(
    page: Page, live_server, lesson, facilitator
):
    older = services.create_prompt(
        lesson=lesson, author=facilitator, title="An older, unpinned activity", body="Tell us about it."
    )

    log_in(page, live_server, facilitator)
    page.goto(f"{live_server.url}/admin/community/prompt/add/")
    expect(page.get_by_role("heading", name="Add prompt")).to_be_visible()

    # The lesson field is an autocomplete (select2) widget: open it, search, pick the result.
    page.locator(".field-lesson .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("responsibility")
    page.locator(".select2-results__option", has_text=str(lesson)).click()
    expect(page.locator("#id_lesson")).to_have_value(str(lesson.pk))

    page.get_by_label("Title").fill("Start here: what did you notice?")
    page.locator("#id_body").fill("Welcome! **Read the lesson**, then tell us what you noticed.")
    page.get_by_label("Pinned").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    new = Prompt.objects.get(title="Start here: what did you notice?")
    assert new.lesson == lesson and new.is_pinned and new.author == facilitator
    assert older.created_at < new.created_at

    page.goto(space_url(live_server, lesson))
    activities = page.get_by_role("navigation", name="Reflective activities in this space").locator("li")
    expect(activities).to_have_count(2)
    expect(activities.first).to_contain_text("Start here: what did you notice?")
    expect(activities.first.locator(".badge--pinned")).to_have_text("Pinned")
    expect(activities.nth(1)).to_contain_text("An older, unpinned activity")
    expect(activities.nth(1).locator(".badge--pinned")).to_have_count(0)
    expect(page.locator("h2#prompt-title")).to_have_text("Start here: what did you notice?")
    expect(page.locator("article.prompt .prose strong")).to_have_text("Read the lesson")


def test_quote_puts_the_selected_words_with_attribution_into_the_reply(
    page: Page, live_server, prompt, user, other_user
):
    reflection = services.create_reflection(
        prompt=prompt, author=user, body="First sentence here. The part worth quoting is this one."
    )
    log_in(page, live_server, other_user)
    page.goto(space_url(live_server, prompt.lesson))
    wait_for_htmx(page)
    post = page.locator(f"#post-{reflection.pk}")
    # Select "The part worth quoting" inside the post's text, then press Quote.
    page.evaluate(
        """(id) => {
            const p = document.querySelector(`#post-${id} .post__body p`);
            const text = p.firstChild;
            const start = text.textContent.indexOf("The part");
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + "The part worth quoting".length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        reflection.pk,
    )
    post.get_by_role("link", name="Quote").click()
    reply_box = post.get_by_label(f"Your reply to {user.display_name}")
    expect(reply_box).to_have_value(re.compile(rf"^> The part worth quoting\n>\n> — @{user.handle}\n\n$"))

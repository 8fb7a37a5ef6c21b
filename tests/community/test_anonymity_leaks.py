"""Anonymous to colleagues (issue 23): the leak hunt.

A learner posts anonymously (a reflection that mentions a colleague, and a reply to a colleague);
others reply, like, follow and are told. Then every page, fragment, export, search and email is
fetched as every kind of viewer: colleagues find the author's name, handle, email, id and profile
address nowhere (only "Colleague 1"); the author reads "You (posted anonymously)"; the course's
facilitator, a moderator and staff read the name, "shown to colleagues as Colleague 1".
Facilitator-only reflections and private replies are hunted the same way: colleagues find
neither their words nor a trace of them.
"""

import html
import json
import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import roles
from community import services
from community.models import Prompt, Pseudonym, Reflection
from facilitation import services as facilitation
from followthrough import services as followthrough
from notifications import services as notices
from notifications.models import Subscription
from notifications.tasks import send_digests
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

AUTHOR_ID = 987_654  # a number found nowhere else on a page
ANON_WORDS = "lanterns-in-the-fog"  # in the anonymous reflection
ANON_REPLY_WORDS = "ferry-timetable"  # in the anonymous reply
SECRET_WORDS = "quiet-harbour-note"  # in a reflection for the facilitator only
PRIVATE_REPLY_WORDS = "between-us-two"  # in a private reply
FOLLOW_UP_WORDS = "three-weeks-on"  # in the anonymous reflection's follow-up


class World:
    pass


@pytest.fixture
def world(committed, jobs, settings):
    settings.NOTIFY_EMAIL_DELAY_SECONDS = 0
    w = World()
    w.course = make_course(title="Learning from mistakes")
    w.prompt = make_prompt(
        lesson=make_lesson(course=w.course, title="Take responsibility"),
        anonymous_posting=Prompt.AnonymousPosting.ALLOWED,
        title="What did you get wrong, and what did it teach you?",
    )
    w.author = make_user(
        id=AUTHOR_ID, display_name="Priya Sharma", handle="priya_s", email="priya.sharma@example.org"
    )
    w.ben = make_user(display_name="Ben Okafor", handle="ben_o")
    w.chloe = make_user(display_name="Chloe Martin", handle="chloe_m")
    w.cofacilitator = make_user(display_name="Dana Cohort-Lead", handle="dana_lead")  # leads a cohort only
    w.facilitator = make_user(role=roles.FACILITATOR, display_name="Farah Facilitator")
    w.eli = make_user(display_name="Eli Brandt", handle="eli_b")  # writes for the facilitators only
    w.moderator = make_user(role=roles.MODERATOR, display_name="Mo Moderator")
    w.staff = make_user(is_staff=True, is_superuser=True, display_name="Sam Staff")
    cohort = enrol(w.author, w.ben, w.chloe, w.eli, course=w.course)
    cohort.facilitators.add(w.cofacilitator)
    notices.set_activity_level(user=w.ben, prompt=w.prompt, level=Subscription.Level.WATCHING)
    with committed():
        w.ben_post = services.create_reflection(prompt=w.prompt, author=w.ben, body="I rushed a handover.")
    # The live news as colleagues' open pages will ask for it: a token from before the posts.
    w.since = {}
    for member in (w.ben, w.chloe):
        browser = Client()
        browser.force_login(member)
        answer = browser.get(reverse("live:space-news", args=[w.prompt.pk]))
        w.since[member.pk] = answer.headers["X-Live-Since"]
    with committed():
        w.anon = services.create_reflection(
            prompt=w.prompt, author=w.author, anonymous=True,
            body=f"I hid an error for a week, @ben_o, like {ANON_WORDS}.",
        )  # fmt: skip
        w.anon_reply = services.create_reflection(
            prompt=w.prompt, author=w.author, parent=w.ben_post, anonymous=True,
            body=f"That happened to me too, @chloe_m: {ANON_REPLY_WORDS}.",
        )  # fmt: skip
        w.ben_reply = services.create_reflection(
            prompt=w.prompt, author=w.ben, parent=w.anon, body="Thank you for saying it."
        )
        services.like_reflection(reflection=w.anon, user=w.chloe)
        services.like_reflection(reflection=w.anon_reply, user=w.ben)
        w.secret = services.create_reflection(
            prompt=w.prompt, author=w.eli, body=f"Only for you: {SECRET_WORDS}.", for_facilitators=True
        )
        w.private_reply = services.create_reflection(
            prompt=w.prompt, author=w.eli, parent=w.ben_post, for_facilitators=True,
            body=f"Privately, Ben: {PRIVATE_REPLY_WORDS}.",
        )  # fmt: skip
        # Issue 25's follow-through around it: the author follows the anonymous reflection up, the
        # facilitator quotes it in the activity's summary.
        w.follow_up = followthrough.write_follow_up(
            original=w.anon, author=w.author, body=f"Later: {FOLLOW_UP_WORDS}."
        )
        facilitation.publish_summary(
            prompt=w.prompt, by=w.facilitator, body="What we learned.", quoted_ids=[w.anon.pk]
        )
    jobs.run()
    send_digests("daily")
    jobs.run()
    return w


def leaks(text: str, w) -> list[str]:
    """What of the anonymous author's identity ``text`` holds."""
    text = html.unescape(text)
    found = [
        needle
        for needle in ("Priya", "Sharma", "priya_s", "priya.sharma@example.org", "/u/priya_s")
        if needle.lower() in text.lower()
    ]
    if re.search(rf"(?<!\d){AUTHOR_ID}(?!\d)", text):
        found.append(f"id {AUTHOR_ID}")
    return found


def facilitator_only_traces(text: str) -> list[str]:
    return [words for words in (SECRET_WORDS, PRIVATE_REPLY_WORDS) if words in text]


def colleague_pages(client, w, viewer) -> dict[str, str]:
    """Every page, fragment, export and search a colleague can fetch, by name (after the author
    and a facilitator opened the same pages: nothing kept for them is served to the colleague)."""
    for first in (w.facilitator, w.author):
        client.force_login(first)
        client.get(w.prompt.get_absolute_url())
        client.get(reverse("community:thread", args=[w.anon.pk]))
    client.force_login(viewer)
    pages = {}

    def get(name, url, **headers):
        response = client.get(url, follow=True, **headers)
        assert response.status_code in (200, 403, 404), (name, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[name] = body.decode()
        # … and the headers (an ETag names the versions the page read: no author's among them).
        pages[f"{name} (headers)"] = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
        return pages[name]

    get("space", w.prompt.get_absolute_url())
    get("space htmx", w.prompt.get_absolute_url(), HTTP_HX_REQUEST="true")
    for order in ("newest", "liked", "mine"):
        get(f"space {order}", f"{w.prompt.get_absolute_url()}?order={order}")
    get("lesson", w.prompt.lesson.get_absolute_url())
    for post in (w.anon, w.anon_reply, w.ben_post, w.ben_reply):
        get(f"permalink {post.pk}", reverse("community:post", args=[post.pk]))
    get("thread anon", reverse("community:thread", args=[w.anon.pk]))
    get("thread ben", reverse("community:thread", args=[w.ben_post.pk]))
    get("reply form", reverse("community:reflection-reply", args=[w.anon.pk]))
    get("reply form htmx", reverse("community:reflection-reply", args=[w.anon.pk]), HTTP_HX_REQUEST="true")
    get("quote", reverse("community:reflection-reply", args=[w.anon.pk]) + "?quote=1")
    get("reply to anon reply", reverse("community:reflection-reply", args=[w.anon_reply.pk]) + "?quote=1")
    get("likes", reverse("community:reflection-likes", args=[w.anon.pk]))
    get("likes of reply", reverse("community:reflection-likes", args=[w.anon_reply.pk]))
    get("report", reverse("moderation:report", args=[w.anon.pk]))
    get("like reason", reverse("community:like-reason", args=[w.anon.pk]))
    for query in (ANON_WORDS, ANON_REPLY_WORDS, "error", "Priya", "priya_s"):
        get(f"search {query}", f"{reverse('search:results')}?q={query}")
    get("search by author", f"{reverse('search:results')}?q=error&author=priya_s")
    get("search by name", f"{reverse('search:results')}?q=error&author=Priya")
    get("notifications", reverse("notifications:list"))
    get("landed", reverse("followthrough:landed"))
    get("live notices", reverse("live:notices"))
    get("learning log", reverse("journal:learning-log"))
    get("learning log md", reverse("journal:export-markdown"))
    get("learning log csv", reverse("journal:export-csv"))
    get("data export json", reverse("accounts:export-json"))
    get("data export md", reverse("accounts:export-markdown"))
    since = urlencode({"since": w.since[viewer.pk]})  # as of a page loaded before the posts
    get("live news", f"{reverse('live:space-news', args=[w.prompt.pk])}?{since}")
    get("live show", f"{reverse('live:space-new-posts', args=[w.prompt.pk])}?{since}")
    assert ANON_WORDS in pages["live show"]
    assert "space" in pages
    return pages


@pytest.mark.parametrize("who", ["ben", "chloe"])
def test_colleagues_find_the_anonymous_author_nowhere(client, world, who):
    w = world
    viewer = getattr(w, who)
    pages = colleague_pages(client, w, viewer)
    # Searching for the member by name finds the member (member search), never their anonymous posts.
    by_name = {name for name in pages if "Priya" in name or "priya" in name or name.startswith("search by")}
    found = {name: leaks(text, w) for name, text in pages.items() if name not in by_name}
    assert not {name: what for name, what in found.items() if what}
    for name in by_name:
        assert ANON_WORDS not in pages[name] and ANON_REPLY_WORDS not in pages[name], name
    # … nor a trace of what was shared with the facilitators only (the private reply is Ben's to read).
    traces = {name: facilitator_only_traces(text) for name, text in pages.items()}
    if who == "ben":
        assert PRIVATE_REPLY_WORDS in pages[f"permalink {w.ben_post.pk}"]  # it answers him
        traces = {name: [t for t in found if t != PRIVATE_REPLY_WORDS] for name, found in traces.items()}
    assert not {name: what for name, what in traces.items() if what}
    # What they do see: the pseudonym, the same for both posts, in the space and the notices.
    assert pages["space"].count("Colleague 1") >= 2
    assert ANON_WORDS in pages["space"] and ANON_REPLY_WORDS in pages["space"]
    assert FOLLOW_UP_WORDS in pages["space"] and w.follow_up.anonymous  # its follow-up: anonymous too
    assert "Colleague 1" in pages["notifications"]
    assert "— Colleague 1" in pages["quote"]
    # Emails to them: the notices' words, never the name.
    emails = [message for message in mail.outbox if viewer.email in message.to]
    assert emails, "the colleague was emailed about the anonymous posts"
    for message in emails:
        bodies = [message.body, message.subject] + [alt[0] for alt in getattr(message, "alternatives", [])]
        assert not leaks("\n".join(bodies), w), message.subject
        traces = facilitator_only_traces("\n".join(bodies))
        assert traces in ([], [PRIVATE_REPLY_WORDS] if who == "ben" else []), message.subject


def test_the_profile_neither_lists_nor_counts_anonymous_posts_for_colleagues(client, world):
    w = world
    client.force_login(w.ben)
    profile = client.get(reverse("accounts:profile", args=["priya_s"])).content.decode()
    assert ANON_WORDS not in profile and ANON_REPLY_WORDS not in profile
    eli = client.get(reverse("accounts:profile", args=["eli_b"])).content.decode()
    assert SECRET_WORDS not in eli  # for the facilitators only
    assert PRIVATE_REPLY_WORDS in eli  # a private reply to Ben, under its author's name: his to read
    client.force_login(w.chloe)
    assert PRIVATE_REPLY_WORDS not in client.get(reverse("accounts:profile", args=["eli_b"])).content.decode()
    w.author.refresh_from_db()
    assert w.author.post_count == 0  # anonymous and facilitator-only posts are in no public count
    services.resync_counts()
    w.author.refresh_from_db()
    assert w.author.post_count == 0
    client.force_login(w.author)  # the author's own profile lists them
    own = client.get(reverse("accounts:profile", args=["priya_s"])).content.decode()
    assert ANON_WORDS in own


@pytest.mark.parametrize("who", ["cofacilitator", "facilitator", "moderator", "staff"])
def test_facilitators_moderators_and_staff_read_the_name_marked(client, world, who):
    w = world
    client.force_login(getattr(w, who))
    space = html.unescape(client.get(w.prompt.get_absolute_url()).content.decode())
    assert "Priya Sharma" in space
    assert "shown to colleagues as Colleague 1" in space
    thread = html.unescape(client.get(reverse("community:thread", args=[w.anon.pk])).content.decode())
    assert "Priya Sharma" in thread and "shown to colleagues as Colleague 1" in thread


def test_the_author_reads_you_posted_anonymously(client, world):
    w = world
    client.force_login(w.author)
    space = html.unescape(client.get(w.prompt.get_absolute_url()).content.decode())
    assert space.count("(posted anonymously: colleagues see “Colleague 1”)") == 3  # with the follow-up


def test_one_pseudonym_per_member_and_activity_and_another_elsewhere(world):
    w = world
    assert w.anon.pseudonym == w.anon_reply.pseudonym == 1
    second = services.create_reflection(prompt=w.prompt, author=w.chloe, body="Me too", anonymous=True)
    assert second.pseudonym == 2
    elsewhere = make_prompt(lesson=w.prompt.lesson, anonymous_posting=Prompt.AnonymousPosting.ALWAYS)
    there = services.create_reflection(prompt=elsewhere, author=w.chloe, body="Again")  # always: no choice
    assert there.anonymous and there.pseudonym == 1
    assert Pseudonym.objects.filter(user=w.chloe).count() == 2


def test_the_setting_decides_and_facilitators_post_as_themselves(world):
    w = world
    off = make_prompt(lesson=w.prompt.lesson)
    assert not services.create_reflection(prompt=off, author=w.ben, body="Named", anonymous=True).anonymous
    led = services.create_reflection(prompt=w.prompt, author=w.cofacilitator, body="As me", anonymous=True)
    assert not led.anonymous
    assert not services.create_reflection(prompt=w.prompt, author=w.ben, body="Named").anonymous


def test_the_composer_offers_the_checkbox_only_where_allowed(client, world):
    w = world
    client.force_login(w.ben)
    page = client.get(w.prompt.get_absolute_url()).content.decode()
    assert "Post anonymously to colleagues" in page
    assert "Facilitators and moderators still see who wrote it." in page
    response = client.post(
        reverse("community:reflection-create", args=[w.prompt.pk]),
        {"body": "Posted without my name", "anonymous": "on"},
    )
    assert response.status_code == 302
    posted = Reflection.objects.get(body="Posted without my name")
    assert posted.anonymous and posted.pseudonym == 2
    client.force_login(w.cofacilitator)
    assert "Post anonymously to colleagues" not in client.get(w.prompt.get_absolute_url()).content.decode()
    always = make_prompt(lesson=w.prompt.lesson, anonymous_posting=Prompt.AnonymousPosting.ALWAYS)
    client.force_login(w.ben)
    page = client.get(always.get_absolute_url()).content.decode()
    assert "your posts are anonymous to colleagues" in page and 'name="anonymous"' not in page


def test_sharing_a_private_reflection_anonymously(client, world):
    w = world
    private = services.create_reflection(
        prompt=w.prompt, author=w.chloe, body="Kept for now", is_private=True
    )
    client.force_login(w.chloe)
    client.post(reverse("community:reflection-share", args=[private.pk]), {"anonymous": "1"})
    private.refresh_from_db()
    assert not private.is_private and private.anonymous and private.pseudonym == 2
    client.force_login(w.ben)
    space = html.unescape(client.get(w.prompt.get_absolute_url()).content.decode())
    assert "Kept for now" in space and "Chloe" not in space.split("Kept for now")[0].rsplit("<article", 1)[-1]


def test_member_data_export_of_the_author_keeps_their_own_posts(client, world):
    """The author's own export holds their anonymous posts (their data), marked."""
    w = world
    client.force_login(w.author)
    data = json.loads(client.get(reverse("accounts:export-json")).content)
    assert ANON_WORDS in json.dumps(data)


@pytest.mark.parametrize("anonymous", [False, True])
def test_anonymous_posts_cost_a_colleague_no_query_more(client, settings, assert_exact_queries, anonymous):
    """The space page's exact count (tests/community/test_views.py: 13 signed in) holds when its
    posts are anonymous: whether the viewer may know an author is decided from what the page read
    (the viewer's standing in the course came with the lesson). When every post on it is
    anonymous to the viewer, the authors' query is not asked at all: 12."""
    settings.REFLECTIONS_PER_PAGE = 100
    course = make_course()
    prompt = make_prompt(lesson=make_lesson(course=course), anonymous_posting=Prompt.AnonymousPosting.ALLOWED)
    writers = [make_user() for _ in range(4)]
    viewer = make_user()
    enrol(*writers, viewer, course=course)
    for number, writer in enumerate(writers * 3):
        top = services.create_reflection(
            prompt=prompt, author=writer, body=f"Thought {number}", anonymous=anonymous
        )
        services.create_reflection(
            prompt=prompt, author=writers[0], parent=top, body="Reply", anonymous=anonymous
        )
    client.force_login(viewer)
    client.get(prompt.get_absolute_url())  # the first visit records it; the next is an ordinary one
    with assert_exact_queries(12 if anonymous else 13):
        page = client.get(prompt.get_absolute_url()).content.decode()
    assert (page.count("Colleague 1") > 0) is anonymous


def test_a_reply_in_ones_own_anonymous_conversation_starts_anonymous(client, world):
    """The reply form's box starts ticked under one's own anonymous reflection, also when
    answering a colleague's reply there (a named reply would tell who "Colleague 1" is)."""
    w = world
    client.force_login(w.author)
    ticked = 'name="reply-anonymous" id="id_reply-anonymous" checked'
    for post in (w.anon, w.ben_reply):  # one's own anonymous reflection; Ben's reply under it
        page = client.get(reverse("community:reflection-reply", args=[post.pk])).content.decode()
        assert ticked in page or re.search(r'<input[^>]*name="reply-anonymous"[^>]*checked', page), post
    page = client.get(reverse("community:reflection-reply", args=[w.ben_post.pk])).content.decode()
    assert not re.search(r'<input[^>]*name="reply-anonymous"[^>]*checked', page)  # Ben's own thread

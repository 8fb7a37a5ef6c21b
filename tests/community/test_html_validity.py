"""Every page state of a community space is valid HTML, by the Nu HTML Checker (vnu).

One test renders all the pages with Django's test client and validates them in a single vnu
run (see tests/html_validation.py: the JVM start dominates, so pages are batched).
"""

import re
from html import unescape
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from accounts import roles
from tests.factories import make_course, make_lesson, make_prompt, make_reflection, make_user
from tests.html_validation import nu_errors, require_java

pytestmark = pytest.mark.django_db


def build_community(*, learner, author, moderator) -> SimpleNamespace:
    """The data behind the pages: one lesson's space in all its states. ``learner`` views it;
    ``author`` is a colleague. Only this function knows the service APIs: adapt it (and nothing
    else) when they change."""
    from community import services

    try:
        from moderation.services import hide_reflection
    except ImportError:  # before moderation became its own app
        from community.moderation import hide_reflection

    course = make_course(title="Learning from mistakes", slug="learning-from-mistakes")
    lesson = make_lesson(course=course, number=1, title="Blameless reviews", slug="blameless-reviews")
    facilitator = make_user(role=roles.FACILITATOR, handle="fran", display_name="Fran Okafor")
    main = make_prompt(
        lesson=lesson, author=facilitator, is_pinned=True, body="Welcome.\n\n**Think** of a time…"
    )
    independent = make_prompt(
        lesson=lesson, author=facilitator, title="What did you notice first?", independent_reflection=True
    )
    locked = make_prompt(lesson=lesson, author=facilitator, title="An older question", is_locked=True)
    make_reflection(prompt=independent, author=author, body="Mine, before anyone else’s.")
    make_reflection(prompt=locked, author=author, body="Said before the lock.", replies=1)

    # Threads of the main prompt, oldest first, so all of these are on page 1.
    discussed = make_reflection(prompt=main, author=author, body="A *first* thought, with @amara.", likes=2)
    reply = make_reflection(parent=discussed, author=learner, body="> A first thought\n\nI agree.")
    make_reflection(parent=reply, author=author, body="Thanks — replying to your reply.")  # "in reply to"
    services.like_reflection(reflection=discussed, user=learner)  # liked by the viewer
    make_reflection(parent=discussed, author=learner, body="A third reply.")
    make_reflection(parent=discussed, author=author, body="A fourth reply, behind “Show all”.")  # issue 13
    edited = make_reflection(prompt=main, author=learner, body="A first draft.")
    services.edit_reflection(reflection=edited, body="A second draft, better.", editor=learner)
    hidden = make_reflection(prompt=main, author=learner, body="Something a moderator hid.")
    hide_reflection(reflection=hidden, moderator=moderator, reason="Please keep names of colleagues out.")
    removed = make_reflection(prompt=main, author=author, body="Words its author took back.")
    make_reflection(parent=removed, author=learner, body="A reply that keeps the thread.")
    services.delete_reflection(reflection=removed)
    for n in range(settings.REFLECTIONS_PER_PAGE):  # enough for a second page
        make_reflection(prompt=main, body=f"Reflection number {n}.", replies=n % 2)

    return SimpleNamespace(
        course=course, lesson=lesson, main=main, independent=independent, locked=locked, discussed=discussed,
        facilitator=facilitator,
    )  # fmt: skip


def render_pages(client, *, learner, author, moderator) -> dict[str, str]:
    """Every page state to validate, by name."""
    data = build_community(learner=learner, author=author, moderator=moderator)
    space = data.lesson.get_community_url()
    pages: dict[str, str] = {}

    def get(name: str, url: str, *, status: int = HTTPStatus.OK) -> None:
        response = client.get(url)
        assert response.status_code == status, f"{name}: GET {url} answered {response.status_code}"
        pages[name] = response.content.decode()

    with override_settings(COMMUNITY_PUBLIC_READING=True):
        get("space, anonymous", space)
    client.force_login(moderator)
    get("space, moderator", space)
    client.force_login(learner)
    get("space, learner, page 1", space)
    next_page = re.search(r'href="([^"]+)" rel="next"', pages["space, learner, page 1"]).group(1)
    get("space, learner, page 2 (keyset)", space + unescape(next_page))
    get("space, learner, last page", f"{space}?order=oldest&last=1")
    get("space, learner, old ?page=2 link", f"{space}?page=2")
    get("space, learner, most liked", f"{space}?order=liked")
    get("space, learner, mine", f"{space}?order=mine")
    get("locked prompt", data.locked.get_absolute_url())
    get("independent prompt, not yet answered", data.independent.get_absolute_url())
    get("lesson page", data.lesson.get_absolute_url())
    get("course page", data.course.get_absolute_url())
    get("reply page", reverse("community:reflection-reply", args=[data.discussed.pk]))
    get("thread page (all replies)", reverse("community:thread", args=[data.discussed.pk]))
    assert "Show all 4 replies" in pages["space, learner, page 1"]
    get("reply page, quoting", reverse("community:reflection-reply", args=[data.discussed.pk]) + "?quote=1")

    create = reverse("community:reflection-create", args=[data.main.pk])
    response = client.post(create, {"body": "Posted without htmx."}, follow=True)
    assert response.status_code == HTTPStatus.OK and response.redirect_chain, "posting should redirect"
    html = response.content.decode()
    assert "Your reflection is posted" in html, "the flash message should be on the page"
    pages["space after posting (flash message)"] = html

    # Enrolment: a member not enrolled (the Join box), invitations, the facilitators' upload page.
    from lessons.models import Enrolment
    from lessons.services import invitation_path

    newcomer = make_user(handle="newcomer")
    Enrolment.objects.filter(user=newcomer).delete()
    client.force_login(newcomer)
    get("space, not enrolled", space)
    get("course page, not enrolled", data.course.get_absolute_url())
    invitation = invitation_path(data.course.cohorts.get())
    get("invitation", invitation)
    get("invitation, bad link", invitation[:-3] + "xx/", status=HTTPStatus.NOT_FOUND)
    client.force_login(learner)
    get("invitation, already enrolled", invitation)
    client.force_login(data.facilitator)
    get("invite members", reverse("lessons:invite", args=[data.course.slug]))
    response = client.post(
        reverse("lessons:invite", args=[data.course.slug]),
        {"cohort": data.course.cohorts.get().pk, "addresses": "someone@example.org\nnonsense"},
    )
    assert response.status_code == HTTPStatus.OK
    pages["invite members, result"] = response.content.decode()

    # Facilitator insight (the facilitator is an admin user: they read every course's insight).
    insights = reverse("insights:activity", args=[data.main.pk])
    get("insights", insights)
    get("insights, sorted by words", f"{insights}?sort=words&dir=desc")
    nudge = reverse("insights:nudge", args=[data.main.pk])
    get("nudge form", nudge)
    response = client.post(
        nudge, {"message": "A *gentle* reminder.", "learners": [moderator.pk], "preview": "1"}
    )
    assert response.status_code == HTTPStatus.OK and "Preview" in response.content.decode()
    pages["nudge preview"] = response.content.decode()
    response = client.post(nudge, {"message": "", "learners": []})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    pages["nudge form with errors"] = response.content.decode()
    get("facilitator worklist", reverse("insights:worklist"))
    assert "Not yet reflected" in pages["insights"] and "<svg" in pages["insights"]
    assert "Join this course to add your reflection" in pages["space, not enrolled"]

    # Guard against validating the wrong thing: each rich state is really on the pages.
    learner_page = pages["space, learner, page 1"]
    for marker in (
        "in reply to",
        "post__edited",
        'aria-pressed="true"',
        "Hidden by a moderator",
        "removed by its author",
    ):
        assert marker in learner_page, f"space, learner, page 1 lacks {marker!r}"
    assert 'rel="next"' in learner_page and "activity-nav" in learner_page
    assert "add yours to read theirs" in pages["independent prompt, not yet answered"]
    assert "1 of 1 lesson reflected</label>" in pages["course page"]  # the learner's progress
    assert "✓</span> Reflected</span>" in pages["course page"]
    assert "You have reflected on this lesson." in pages["lesson page"]
    assert "This activity is closed" in pages["locked prompt"]
    return pages


# Validated alongside the pages: proof that vnu ran and reports what it finds.
KNOWN_VALID = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fine</title></head>'
    "<body><p>Fine.</p></body></html>"
)
KNOWN_INVALID = KNOWN_VALID.replace(
    "<p>Fine.</p>", "\n<span><form action=/x><button>Go</button></form></span>"
)


def test_community_pages_are_valid_html(request, client, user, other_user, moderator):
    require_java(request.config)
    pages = render_pages(client, learner=user, author=other_user, moderator=moderator)
    errors = nu_errors({**pages, "(known valid)": KNOWN_VALID, "(known invalid)": KNOWN_INVALID})
    assert errors.pop("(known valid)") == [], "vnu rejects a valid document: the harness is broken"
    known = errors.pop("(known invalid)")
    assert any(
        e.startswith("line 2: Element “form” not allowed as child of element “span”") for e in known
    ), f"vnu missed a known error, the harness is broken: {known}"
    invalid = {name: found for name, found in errors.items() if found}
    if invalid:
        report = "\n\n".join(
            f"{name}: {len(found)} error(s)\n" + "\n".join(f"  {error}" for error in found)
            for name, found in invalid.items()
        )
        pytest.fail(
            f"{len(invalid)} of {len(pages)} pages are not valid HTML (vnu):\n\n{report}", pytrace=False
        )


@pytest.mark.django_db(transaction=True)
def test_the_demo_lesson_spaces_are_valid_html(request, client):
    """Every lesson space of the demo (issue 21, item 20: Lesson 5's scaffolded activity had an
    ``aria-label`` on a plain ``div``), as each demo member sees them."""
    import io

    from django.core.management import call_command

    from accounts.models import User
    from community import services
    from community.models import Prompt
    from demo.members import DEMO_ACCOUNTS
    from lessons.models import Lesson

    require_java(request.config)
    call_command("load_demo", force=True, stdout=io.StringIO())
    # Lesson 5 is "reflect before reading": a member who has only a private reflection there sees
    # it under the gate (the state the Nu checker faulted).
    gated = Prompt.objects.get(independent_reflection=True, lesson__number=5)
    writer = next(
        user
        for user in User.objects.filter(
            email__in=[a["email"] for a in DEMO_ACCOUNTS if a["role"] == roles.LEARNER]
        )
        if not gated.reflections.filter(author=user).exists()
        and gated.lesson.course.enrolments.filter(user=user)
    )
    services.create_reflection(prompt=gated, author=writer, body="Only for me.", is_private=True)
    lessons = list(Lesson.objects.order_by("course_id", "number"))
    assert len(lessons) >= 5, "the demo should have at least five lessons"
    urls = {f"{lesson.course.slug} lesson {lesson.number}": lesson.get_community_url() for lesson in lessons}
    for prompt in Prompt.objects.select_related("lesson__course").order_by("pk"):  # each activity too
        urls[f"{prompt.lesson.course.slug} lesson {prompt.lesson.number}, activity {prompt.pk}"] = (
            prompt.get_absolute_url()
        )
    pages: dict[str, str] = {}
    for who in [account["email"] for account in DEMO_ACCOUNTS]:  # each member's own private posts too
        client.force_login(User.objects.get(email=who))
        for name, url in urls.items():
            response = client.get(url)
            if response.status_code == HTTPStatus.NOT_FOUND:  # a course this member is not in
                continue
            assert response.status_code == HTTPStatus.OK, f"{who}: {name} answered {response.status_code}"
            pages[f"{who}, {name}"] = response.content.decode()
    main_course = "professional-courage-and-influence"
    for number in range(1, 6):
        assert f"learner@example.com, {main_course} lesson {number}" in pages, sorted(pages)
    assert any("Your private reflections" in html for html in pages.values()), "no page shows the gated state"
    errors = {name: found for name, found in nu_errors(pages).items() if found}
    # The bundled vnu only warns ("Possible misuse of aria-label") where the W3C checker reports an
    # error: ARIA forbids naming a generic element (a div or span without a role).
    for name, html in pages.items():
        if misnamed := generic_elements_with_a_name(html):
            errors.setdefault(name, []).extend(misnamed)
    assert errors == {}, f"{len(errors)} of {len(pages)} demo spaces are not valid HTML (vnu): {errors}"


def generic_elements_with_a_name(html: str) -> list[str]:
    """``<div>``/``<span>`` elements without a role that carry ``aria-label``/``aria-labelledby``."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names = dict(attrs)
            named = "aria-label" in names or "aria-labelledby" in names
            if tag in {"div", "span"} and not names.get("role") and named:
                found.append(f"line {self.getpos()[0]}: aria-label on a plain <{tag}> ({names})")

    Finder().feed(html)
    return found


def test_a_named_plain_div_is_caught():
    """The check above can fail: a plain div with aria-label is reported, one with a role is not."""
    assert generic_elements_with_a_name('<div aria-label="x"></div>')
    assert not generic_elements_with_a_name(
        '<div role="region" aria-label="x"></div><nav aria-label="y"></nav>'
    )

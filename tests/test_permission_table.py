"""The permission table: every URL that changes something (and the sensitive moderation pages),
tried as every role, asserting the status code AND the effect on the data.

``TABLE`` below mirrors docs/permissions.md cell for cell; ``test_doc_matches_table`` parses the
Markdown table so that the two cannot drift apart. Each cell builds fresh data (see ``world``).
"""

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Suspension, User
from community import services
from community.models import Draft, Like, Reflection
from lessons import services as services_lessons
from lessons.models import Course, Enrolment
from moderation import services as moderation
from moderation.models import Flag
from tests.factories import PASSWORD, enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

DOC = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"

# Column keys, in the doc's order, and the headings the doc uses for them.
ROLES = {
    "anonymous": "Anonymous",
    "author": "Learner (author)",
    "learner": "Another learner",
    "suspended": "Suspended learner",
    "facilitator": "Facilitator",
    "moderator": "Moderator",
    "staff": "Staff",
}

ORIGINAL_BODY = "My ORIGINAL-WORDS about learning from mistakes."
AUTHOR_EDIT_BODY = "Words the author changed later."
NEW_BODY = "A NEW-BODY written in this request."
FLAG_NOTE = "FLAG-NOTE-MARKER"
SUSPENSION_REASON = "SUSPENSION-REASON-MARKER"
NEW_NAME = "Renamed Member"


# --- The world each cell starts from ------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def world():
    """A published course → lesson → activity, a reflection by the author (reported once by a
    flagger), a suspended learner, another learner with a suspension to lift, and one user per role."""
    course = make_course()
    lesson = make_lesson(course=course)
    prompt = make_prompt(lesson=lesson)
    author = make_user(handle="author", display_name="Alex Author")
    post = make_reflection(prompt=prompt, author=author, body=ORIGINAL_BODY)
    flagger = make_user(handle="flagger")
    moderator = make_user(role=roles.MODERATOR, handle="mod")
    moderation.report_reflection(reflection=post, reporter=flagger, reason="spam", note=FLAG_NOTE)
    suspended = make_user(handle="suspended")
    Suspension.objects.create(user=suspended, reason="Rude", ends_at=timezone.now() + timedelta(days=1))
    lift_target = make_user(handle="lifttarget")
    lift_suspension = moderation.suspend_member(
        member=lift_target,
        moderator=moderator,
        ends_at=timezone.now() + timedelta(days=1),
        reason=SUSPENSION_REASON,
    )
    users = {
        "anonymous": None,
        "author": author,
        "learner": make_user(handle="otherlearner"),
        "suspended": suspended,
        "facilitator": make_user(role=roles.FACILITATOR, handle="fac"),
        "moderator": moderator,
        "staff": make_user(role="", handle="staff", is_staff=True, is_superuser=True),
    }
    # The learners are enrolled in the course; "outsider" is a signed-in member who is not.
    enrol(author, flagger, suspended, lift_target, users["learner"], course=course)
    return SimpleNamespace(
        outsider=make_user(handle="outsider", email="outsider@example.com"),
        other_course=(other_course := make_course(title="Another course")),
        other_prompt=make_prompt(lesson=make_lesson(course=other_course)),
        course=course,
        lesson=lesson,
        prompt=prompt,
        post=post,
        flagger=flagger,
        lift_target=lift_target,
        lift_suspension=lift_suspension,
        users=users,
        **users,
    )


# --- Setup steps some rows need ----------------------------------------------------------------


def hide_post(w):
    moderation.hide_reflection(reflection=w.post, moderator=w.moderator, reason="Off topic")


def independent_reflection(w):
    w.prompt.independent_reflection = True
    w.prompt.save(update_fields=["independent_reflection"])


def unpublish_lesson(w):
    w.lesson.published = False
    w.lesson.save(update_fields=["published"])


def author_edits(w):
    services.edit_reflection(reflection=w.post, body=AUTHOR_EDIT_BODY, editor=w.author)


def invite_only(w):
    w.other_course.joining = Course.Joining.INVITE_ONLY
    w.other_course.save(update_fields=["joining"])


def everyone_likes(w):
    for user in w.users.values():
        if user is not None and user != w.author:
            services.like_reflection(reflection=w.post, user=user)


# --- Effects: did the request do its thing? (asserted equal to "the cell says it is allowed") ---


def post_now(w):
    return Reflection.objects.filter(pk=w.post.pk).first()


def created_reflection(w, actor, response):
    return Reflection.objects.filter(prompt=w.prompt, body=NEW_BODY, thread__isnull=True).exists()


def created_reply(w, actor, response):
    return Reflection.objects.filter(parent=w.post, body=NEW_BODY).exists()


def drafted(w, actor, response):
    """The actor's own draft holds the text (a draft is never anyone else's)."""
    drafts = Draft.objects.filter(fields__body=NEW_BODY)
    return drafts.exists() and (actor is not None and not drafts.exclude(user=actor).exists())


def body_changed(w, actor, response):
    return post_now(w).body == NEW_BODY


def post_removed(w, actor, response):
    post = post_now(w)
    return post is None or post.deleted_at is not None


def liked(w, actor, response):
    return Like.objects.filter(reflection=w.post, user=actor).exists() if actor else Like.objects.exists()


def unliked(w, actor, response):
    """The actor's like is gone, and the counter agrees with the rows."""
    post = post_now(w)
    assert post.like_count == Like.objects.filter(reflection=post).count()
    return (
        actor is not None
        and actor != w.author
        and not Like.objects.filter(reflection=post, user=actor).exists()
    )


def reported(w, actor, response):
    return Flag.objects.filter(reflection=w.post).exclude(reporter=w.flagger).exists()


def flag_dismissed(w, actor, response):
    return Flag.objects.get(reflection=w.post, reporter=w.flagger).status == Flag.Status.DISMISSED


def post_hidden(w, actor, response):
    return post_now(w).hidden_by_id is not None


def post_visible(w, actor, response):
    return post_now(w).hidden_at is None


def prompt_locked(w, actor, response):
    w.prompt.refresh_from_db()
    return w.prompt.is_locked


def author_suspended(w, actor, response):
    return Suspension.objects.filter(user=w.author).exists()


def suspension_lifted(w, actor, response):
    w.lift_suspension.refresh_from_db()
    return w.lift_suspension.lifted_at is not None


def profile_changed(w, actor, response):
    return User.objects.filter(display_name=NEW_NAME).exists()


def account_deleted(w, actor, response):
    return User.objects.filter(pk__in=[u.pk for u in w.users.values() if u], is_active=False).exists()


def preview_rendered(w, actor, response):
    return b"<strong>bold</strong>" in response.content


def image_stored(w, actor, response):
    return bool(response.json().get("image_code"))


def joined_other_course(w, actor, response):
    return Enrolment.objects.filter(course=w.other_course, **({"user": actor} if actor else {})).exists()


def outsider_enrolled(w, actor, response):
    return Enrolment.objects.filter(course=w.course, user=w.outsider).exists()


def invitation_url(w):
    return services_lessons.invitation_path(w.other_course.cohorts.get())


def nudged(w, actor, response):
    from insights.models import NudgeRecipient

    return NudgeRecipient.objects.filter(user=w.learner, prompt=w.prompt).exists()


def admin_form_shown(w, actor, response):
    return response.status_code == 200 and b'name="title"' in response.content


def shows(marker):
    def effect(w, actor, response):
        return marker.encode() in response.content

    effect.__name__ = f"shows_{marker}"
    return effect


# --- The table (mirrors docs/permissions.md) ----------------------------------------------------

L = "302 → login"
A = "302 → admin login"


def row(key, action, method, pattern, url, cells, effect, data=None, setup=None):
    assert len(cells) == len(ROLES), key
    return {
        "key": key,
        "action": action,
        "method": method,
        "pattern": pattern,
        "url": url,
        "data": data or {},
        "setup": setup,
        "effect": effect,
        "cells": dict(zip(ROLES, cells, strict=True)),
    }


def post_url(name):
    return lambda w: reverse(name if ":" in name else f"community:{name}", args=[w.post.pk])


# fmt: off
TABLE = [
    # Community: members' own actions
    row("create", "Post a reflection", "POST", "/activities/<id>/reflect/",
        lambda w: reverse("community:reflection-create", args=[w.prompt.pk]),
        [L, "302", "302", "403", "302", "302", "302"], created_reflection, {"body": NEW_BODY}),
    row("reply", "Reply", "POST", "/posts/<id>/reply/", post_url("reflection-reply"),
        [L, "302", "302", "403", "302", "302", "302"], created_reply, {"reply-body": NEW_BODY}),
    row("edit", "Edit a post (author's)", "POST", "/posts/<id>/edit/", post_url("reflection-edit"),
        [L, "302", "403", "403", "403", "403", "403"], body_changed, {"body": NEW_BODY}),
    row("delete", "Delete a post (author's)", "POST", "/posts/<id>/delete/", post_url("reflection-delete"),
        [L, "302", "403", "403", "403", "403", "403"], post_removed),
    row("like", "Like", "POST", "/posts/<id>/like/", post_url("reflection-like"),
        [L, "403", "302", "403", "302", "302", "302"], liked),
    row("unlike", "Take back a like", "POST", "/posts/<id>/unlike/", post_url("reflection-unlike"),
        [L, "403", "302", "403", "302", "302", "302"], unliked, setup=everyone_likes),
    row("history", "Earlier versions of one's own post", "GET", "/posts/<id>/history/",
        post_url("reflection-history"),
        [L, "200", "403", "403", "403", "403", "403"], shows(ORIGINAL_BODY), setup=author_edits),
    row("report", "Report", "POST", "/posts/<id>/report/", post_url("moderation:report"),
        [L, "403", "302", "403", "302", "302", "302"], reported, {"reason": "spam"}),
    row("create-not-enrolled", "Post a reflection in a course the viewer is not enrolled in", "POST",
        "/activities/<id>/reflect/", lambda w: reverse("community:reflection-create", args=[w.other_prompt.pk]),
        [L, "403", "403", "403", "302", "302", "302"],
        lambda w, actor, response: Reflection.objects.filter(prompt=w.other_prompt, body=NEW_BODY).exists(),
        {"body": NEW_BODY}),
    row("draft", "Save a draft of a reflection", "POST", "/activities/<id>/draft/",
        lambda w: reverse("community:reflection-draft", args=[w.prompt.pk]),
        [L, "302", "302", "403", "302", "302", "302"], drafted, {"body": NEW_BODY}),
    row("reply-draft", "Save a draft of a reply", "POST", "/posts/<id>/reply/draft/",
        post_url("reply-draft"),
        [L, "302", "302", "403", "302", "302", "302"], drafted, {"reply-body": NEW_BODY}),
    # The 404 rule: posts the viewer may not see do not exist for them
    row("like-hidden", "Like a hidden post", "POST", "/posts/<id>/like/", post_url("reflection-like"),
        [L, "403", "404", "404", "404", "403", "403"], liked, setup=hide_post),
    row("reply-independent", "Reply under independent reflection (viewer has not reflected)", "POST",
        "/posts/<id>/reply/", post_url("reflection-reply"),
        [L, "302", "404", "404", "302", "302", "302"], created_reply, {"reply-body": NEW_BODY},
        setup=independent_reflection),
    row("reply-unpublished", "Reply to a post in an unpublished lesson", "POST", "/posts/<id>/reply/",
        post_url("reflection-reply"),
        [L, "404", "404", "404", "302", "404", "302"], created_reply, {"reply-body": NEW_BODY},
        setup=unpublish_lesson),
    # Moderation
    row("admin-hidden", "Read a hidden post in the admin", "GET", "/admin/community/reflection/<id>/change/",
        lambda w: reverse("admin:community_reflection_change", args=[w.post.pk]),
        [A, A, A, A, "404", A, "200"], shows(ORIGINAL_BODY), setup=hide_post),
    row("queue", "Moderation queue", "GET", "/moderation/", lambda w: reverse("moderation:queue"),
        [L, "403", "403", "403", "403", "200", "200"], shows(FLAG_NOTE)),
    row("log", "Moderation log", "GET", "/moderation/log/", lambda w: reverse("moderation:log"),
        [L, "403", "403", "403", "403", "200", "200"], shows(SUSPENSION_REASON)),
    row("post-detail", "Moderation: a post and its reports", "GET", "/moderation/posts/<id>/",
        post_url("moderation:post"),
        [L, "403", "403", "403", "403", "200", "200"], shows(FLAG_NOTE)),
    row("history", "Moderation: a post's history", "GET", "/moderation/posts/<id>/history/",
        post_url("moderation:history"),
        [L, "403", "403", "403", "403", "200", "200"], shows("ORIGINAL-WORDS"), setup=author_edits),
    row("dismiss", "Dismiss reports", "POST", "/moderation/posts/<id>/dismiss/", post_url("moderation:dismiss"),
        [L, "403", "403", "403", "403", "302", "302"], flag_dismissed, {"reason": "Fine"}),
    row("hide", "Hide a post", "POST", "/moderation/posts/<id>/hide/", post_url("moderation:hide"),
        [L, "403", "403", "403", "403", "302", "302"], post_hidden, {"reason": "Off topic"}),
    row("restore", "Restore a hidden post", "POST", "/moderation/posts/<id>/restore/",
        post_url("moderation:restore"),
        [L, "403", "403", "403", "403", "302", "302"], post_visible, {"reason": ""}, setup=hide_post),
    row("mod-edit", "Moderator edit", "POST", "/moderation/posts/<id>/edit/", post_url("moderation:edit"),
        [L, "403", "403", "403", "403", "302", "302"], body_changed, {"body": NEW_BODY, "reason": "Tidy"}),
    row("mod-delete", "Moderator delete", "POST", "/moderation/posts/<id>/delete/",
        post_url("moderation:delete"),
        [L, "403", "403", "403", "403", "302", "302"], post_removed, {"reason": "Spam"}),
    row("lock", "Lock an activity", "POST", "/moderation/activities/<id>/lock/",
        lambda w: reverse("moderation:lock", args=[w.prompt.pk]),
        [L, "403", "403", "403", "403", "302", "302"], prompt_locked, {"locked": "1", "reason": "Closed"}),
    row("member", "Moderation: a member's suspensions", "GET", "/moderation/members/<handle>/",
        lambda w: reverse("moderation:member", args=[w.lift_target.handle]),
        [L, "403", "403", "403", "403", "200", "200"], shows(SUSPENSION_REASON)),
    row("suspend", "Suspend a member (the post's author)", "POST", "/moderation/members/<handle>/",
        lambda w: reverse("moderation:member", args=[w.author.handle]),
        [L, "403", "403", "403", "403", "302", "302"], author_suspended, {"days": "3", "reason": "Abuse"}),
    row("lift", "Lift a suspension", "POST", "/moderation/suspensions/<id>/lift/",
        lambda w: reverse("moderation:lift", args=[w.lift_suspension.pk]),
        [L, "403", "403", "403", "403", "302", "302"], suspension_lifted, {"reason": "Served"}),
    # Courses: joining and inviting (the world's course is open; "another course" has no members)
    row("join", "Join an open course", "POST", "/courses/<slug>/join/",
        lambda w: reverse("lessons:join", args=[w.other_course.slug]),
        [L, "302", "302", "302", "302", "302", "302"], joined_other_course),
    row("join-invite-only", "Join an invite-only course without an invitation", "POST",
        "/courses/<slug>/join/", lambda w: reverse("lessons:join", args=[w.other_course.slug]),
        [L, "404", "404", "404", "403", "403", "403"], joined_other_course, setup=invite_only),
    row("join-invitation", "Join an invite-only course through its invitation link", "POST",
        "/courses/<slug>/join/<token>/", invitation_url,
        [L, "302", "302", "302", "302", "302", "302"], joined_other_course, setup=invite_only),
    row("invite", "Invite members by email address", "POST", "/courses/<slug>/invite/",
        lambda w: reverse("lessons:invite", args=[w.course.slug]),
        [L, "404", "404", "404", "200", "404", "200"], outsider_enrolled,
        lambda w: {"cohort": w.course.cohorts.get().pk, "addresses": "outsider@example.com"}),
    # Facilitator insight (the learner column has not reflected yet)
    row("insights", "An activity's facilitator insight", "GET", "/activities/<id>/insights/",
        lambda w: reverse("insights:activity", args=[w.prompt.pk]),
        [L, "404", "404", "404", "200", "200", "200"], shows("Not yet reflected")),
    row("insights-csv", "Download the learners' table as CSV", "GET", "/activities/<id>/insights/learners.csv",
        lambda w: reverse("insights:csv", args=[w.prompt.pk]),
        [L, "404", "404", "404", "200", "200", "200"], shows("Learner,Handle,Cohort")),
    row("nudge", "Send a reminder to learners who have not reflected", "POST", "/activities/<id>/insights/nudge/",
        lambda w: reverse("insights:nudge", args=[w.prompt.pk]),
        [L, "404", "404", "404", "302", "302", "302"], nudged,
        lambda w: {"message": "Your colleagues would like to hear from you.", "learners": [w.learner.pk]}),
    row("worklist", "Facilitator worklist", "GET", "/facilitate/", lambda w: reverse("insights:worklist"),
        [L, "404", "404", "404", "200", "200", "200"], shows("Facilitator worklist")),
    # Accounts
    row("profile-view", "A member's profile", "GET", "/u/<handle>/",
        lambda w: reverse("accounts:profile", args=[w.author.handle]),
        [L, "200", "200", "200", "200", "200", "200"], shows("Alex Author")),
    row("profile", "Edit own profile", "POST", "/accounts/profile/", lambda w: reverse("accounts:profile-edit"),
        [L, "302", "302", "302", "302", "302", "302"], profile_changed,
        {"display_name": NEW_NAME, "bio": "Hello.", "time_zone": "Europe/London"}),
    row("account-delete", "Delete own account", "POST", "/accounts/delete/", lambda w: reverse("accounts:delete"),
        [L, "302", "302", "302", "302", "302", "302"], account_deleted,
        {"posts": "keep", "password": PASSWORD, "confirm": "on"}),
    # Editor endpoints and the admin
    row("preview", "Markdown preview", "POST", "/markdownx/markdownify/",
        lambda w: reverse("markdown-preview"),
        ["403", "200", "200", "200", "200", "200", "200"], preview_rendered, {"content": "**bold**"}),
    row("upload", "Image upload (switched off)", "POST", "/markdownx/upload/",
        lambda w: reverse("markdown-upload"),
        ["403", "403", "403", "403", "403", "403", "403"], image_stored, {"image": ""}),
    row("admin-prompt-add", "Admin: add a prompt", "GET", "/admin/community/prompt/add/",
        lambda w: reverse("admin:community_prompt_add"),
        [A, A, A, A, "200", A, "200"], admin_form_shown),
    # Probes and benchmarks (config/views.py): no data, nothing to change
    row("readyz", "Readiness probe", "GET", "/readyz", lambda w: reverse("readyz"),
        ["200", "200", "200", "200", "200", "200", "200"], shows('"migrations": "ok"')),
    row("bench-trivial", "Benchmark's trivial view (off unless `BENCH_TRIVIAL_VIEW`)", "GET", "/bench/trivial",
        lambda w: reverse("bench-trivial"),
        ["404", "404", "404", "404", "404", "404", "404"], shows("ok ")),
]
# fmt: on


def allowed(cell: str) -> bool:
    """A plain 200 or 302 means the action went through; anything else (403, 404, a redirect to a
    sign-in page) means it must have had no effect."""
    return cell in {"200", "302"}


def cells():
    for r in TABLE:
        for role, cell in r["cells"].items():
            yield pytest.param(r, role, cell, id=f"{r['key']}-{role}")


@pytest.mark.parametrize(("r", "role", "cell"), list(cells()))
def test_permission_cell(client, world, r, role, cell):
    if r["setup"]:
        r["setup"](world)
    actor = world.users[role]
    if actor is not None:
        client.force_login(actor)
    url = r["url"](world)
    data = r["data"](world) if callable(r["data"]) else r["data"]
    response = client.post(url, data) if r["method"] == "POST" else client.get(url)

    expected_status = int(cell.split()[0])
    assert response.status_code == expected_status, (
        f"{r['method']} {url} as {role}: expected {cell}, got {response.status_code} "
        f"{response.get('Location', '')}"
    )
    if cell == L:
        assert response.url == f"{reverse('account_login')}?next={url}"
    elif cell == A:
        assert response.url == f"{reverse('admin:login')}?next={url}"
    elif cell == "302":
        assert not response.url.startswith((reverse("account_login"), reverse("admin:login")))

    if actor is not None:
        actor.refresh_from_db()
    assert r["effect"](world, actor, response) is allowed(cell), (
        f"{r['method']} {url} as {role}: the data effect ({r['effect'].__name__}) "
        f"should {'' if allowed(cell) else 'not '}have happened"
    )


# --- The doc must say exactly what the table says -----------------------------------------------


def parse_doc_table(text: str) -> tuple[list[str], list[list[str]]]:
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    split = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
    header, separator, *body = split
    assert all(re.fullmatch(r":?-{3,}:?", c) for c in separator), "the second table line is the separator"
    return header, body


def test_doc_matches_table():
    header, body = parse_doc_table(DOC.read_text(encoding="utf-8"))
    assert header == ["Action", "Request", *ROLES.values()]
    documented = [(a, req.strip("`"), *cs) for a, req, *cs in body]
    expected = [(r["action"], f"{r['method']} {r['pattern']}", *r["cells"].values()) for r in TABLE]
    assert documented == expected


def test_table_covers_every_changing_url():
    """Every URL that changes something (listed by hand from the urls.py files) has a row."""
    tried = {r["pattern"] for r in TABLE}
    for pattern in [
        "/activities/<id>/reflect/",
        "/activities/<id>/draft/",
        "/posts/<id>/reply/",
        "/posts/<id>/reply/draft/",
        "/posts/<id>/edit/",
        "/posts/<id>/delete/",
        "/posts/<id>/like/",
        "/posts/<id>/unlike/",
        "/posts/<id>/report/",
        "/moderation/posts/<id>/dismiss/",
        "/moderation/posts/<id>/hide/",
        "/moderation/posts/<id>/restore/",
        "/moderation/posts/<id>/edit/",
        "/moderation/posts/<id>/delete/",
        "/moderation/activities/<id>/lock/",
        "/moderation/members/<handle>/",
        "/moderation/suspensions/<id>/lift/",
        "/accounts/profile/",
        "/accounts/delete/",
        "/courses/<slug>/join/",
        "/courses/<slug>/join/<token>/",
        "/courses/<slug>/invite/",
        "/markdownx/markdownify/",
        "/markdownx/upload/",
    ]:
        assert pattern in tried

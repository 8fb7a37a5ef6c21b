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
from journal.models import LogExport
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
REASON = "REASON-MARKER"
NEW_REASON = "NEW-REASON"


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


def hide_conversation(w):
    moderation.hide_reflection(
        reflection=w.post, moderator=w.moderator, reason="Off topic", with_replies=True
    )


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


def everyone_says_why(w):
    everyone_likes(w)
    for like in Like.objects.filter(reflection=w.post):
        services.set_like_reason(like=like, reason=REASON)


def private_post(w):
    w.private = services.create_reflection(
        prompt=w.prompt, author=w.author, body="Mine alone", is_private=True
    )


FOR_FACILITATORS_BODY = "For the facilitator only, these words"
PRIVATE_REPLY_BODY = "Just between the two of us"


def facilitator_only_post(w):
    w.for_facilitators = services.create_reflection(
        prompt=w.prompt, author=w.author, body=FOR_FACILITATORS_BODY, for_facilitators=True
    )


def private_reply(w):
    services.create_reflection(
        prompt=w.prompt, author=w.learner, body=PRIVATE_REPLY_BODY, parent=w.post, for_facilitators=True
    )


def highlight_post(w):
    services.highlight_reflection(reflection=w.post, by=w.facilitator)


def flagger_says_why(w):
    """The flagger likes the post and says why (only the author, and the flagger, read it)."""
    w.reason_like = services.set_like_reason(
        like=services.like_reflection(reflection=w.post, user=w.flagger), reason=REASON
    )


def reason_reported(w):
    flagger_says_why(w)
    moderation.report_like_reason(like=w.reason_like, reporter=w.author, reason="harassment")


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


def shared(w, actor, response):
    w.private.refresh_from_db()
    return not w.private.is_private


def shared_with_facilitators(w, actor, response):
    w.private.refresh_from_db()
    return not w.private.is_private and w.private.for_facilitators


def created_private_reply(w, actor, response):
    return Reflection.objects.filter(
        parent=w.post, body=NEW_BODY, audience=Reflection.Audience.FACILITATORS, private_to=w.author
    ).exists()


def shows_private_reply_to_its_readers(w, actor, response):
    """The post's author, the replier, facilitators, moderators and staff read the private reply
    in the thread; anyone else reads the thread without it."""
    if actor is None:
        return False
    readers = {w.author, w.learner, w.facilitator, w.moderator, w.staff}
    return (PRIVATE_REPLY_BODY.encode() in response.content) is (actor in readers)


def allows_anonymity(w):
    w.prompt.anonymous_posting = "allowed"
    w.prompt.save(update_fields=["anonymous_posting"])


def anonymous_post(w):
    allows_anonymity(w)
    w.anonymous = services.create_reflection(
        prompt=w.prompt, author=w.author, body=ANONYMOUS_BODY, anonymous=True
    )


ANONYMOUS_BODY = "Written without my name, these words"


def posted_anonymously_if_a_learner(w, actor, response):
    """The post exists; anonymous to colleagues for learners, under their name for facilitators,
    moderators and staff (they post as themselves)."""
    post = Reflection.objects.filter(author=actor, body=NEW_BODY).first() if actor else None
    return post is not None and post.anonymous is (actor in {w.author, w.learner})


def names_the_anonymous_author_to_those_who_know(w, actor, response):
    """The author, facilitators, moderators and staff read the name (marked "shown to colleagues
    as Colleague 1"); other learners read "Colleague 1" and nothing of the author."""
    if actor is None:
        return False
    page = response.content.decode()
    knows = actor in {w.author, w.facilitator, w.moderator, w.staff}
    named = w.author.display_name in page or f"/u/{w.author.handle}/" in page
    return ANONYMOUS_BODY in page and named is knows and "Colleague 1" in page


def highlighted(w, actor, response):
    return post_now(w).highlighted_at is not None


def unhighlighted(w, actor, response):
    return post_now(w).highlighted_at is None


def reason_given(w, actor, response):
    return Like.objects.filter(reflection=w.post, user=actor, reason=NEW_REASON).exists() if actor else False


def reason_removed(w, actor, response):
    like = Like.objects.filter(reflection=w.post, user=actor).first() if actor else None
    return like is not None and like.reason == ""


def reason_flagged(w, actor, response):
    return Flag.objects.filter(like=w.reason_like).exists()


def reported_reason_removed(w, actor, response):
    w.reason_like.refresh_from_db()
    return w.reason_like.reason == ""


def reason_flag_dismissed(w, actor, response):
    return Flag.objects.get(like=w.reason_like).status == Flag.Status.DISMISSED


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


def own_log_only(w, actor, response):
    """A learning-log page or download holds the actor's own posts and nobody else's: the
    author's post only for the author."""
    if actor is None:
        return False
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return (ORIGINAL_BODY.encode() in content) is (actor == w.author) and response.status_code == 200


def author_pdf(w):
    """The author asked for a PDF of their log (built at once: JOBS_INLINE, committed)."""
    from journal.queries import LogFilters
    from journal.services import build_log_export, request_log_pdf

    w.export = request_log_pdf(user=w.author, filters=LogFilters())
    build_log_export(export_id=w.export.pk)


def pdf_requested(w, actor, response):
    return LogExport.objects.filter(**({"user": actor} if actor else {})).exists()


def pdf_downloaded(w, actor, response):
    return response.status_code == 200 and response.content.startswith(b"%PDF")


def shows_placeholder_to_others(w, actor, response):
    """Those the rule lets read the hidden post (its author, moderators) do; the others see its
    placeholder."""
    if actor is not None and Reflection.objects.visible_to(actor).filter(pk=w.post.pk).exists():
        return ORIGINAL_BODY.encode() in response.content
    return (
        b"hidden while moderators review it" in response.content
        and ORIGINAL_BODY.encode() not in response.content
    )


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
    # Issue 12: private reflections, likes that say why, the facilitator's highlight
    row("share", "Share one's private reflection with the course", "POST", "/posts/<id>/share/",
        lambda w: reverse("community:reflection-share", args=[w.private.pk]),
        [L, "302", "404", "404", "404", "404", "404"], shared, setup=private_post),
    # Issue 23: for the facilitator only, private replies
    row("share-facilitators", "Share one's private reflection with the facilitator only", "POST",
        "/posts/<id>/share/", lambda w: reverse("community:reflection-share", args=[w.private.pk]),
        [L, "302", "404", "404", "404", "404", "404"], shared_with_facilitators, {"with": "facilitators"},
        setup=private_post),
    row("reply-privately", "Reply privately", "POST", "/posts/<id>/reply/", post_url("reflection-reply"),
        [L, "302", "302", "403", "302", "302", "302"], created_private_reply,
        {"reply-body": NEW_BODY, "for_facilitators": "1"}),
    row("thread-for-facilitators", "A reflection shared with the facilitator only", "GET", "/posts/<id>/thread/",
        lambda w: reverse("community:thread", args=[w.for_facilitators.pk]),
        [L, "200", "404", "404", "200", "200", "200"], shows(FOR_FACILITATORS_BODY), setup=facilitator_only_post),
    row("thread-private-reply", "A thread with a private reply to the author's post", "GET", "/posts/<id>/thread/",
        post_url("thread"),
        [L, "200", "200", "200", "200", "200", "200"], shows_private_reply_to_its_readers, setup=private_reply),
    row("post-anonymously", "Post anonymously to colleagues (where the activity allows it)", "POST",
        "/activities/<id>/reflect/", lambda w: reverse("community:reflection-create", args=[w.prompt.pk]),
        [L, "302", "302", "403", "302", "302", "302"], posted_anonymously_if_a_learner,
        {"body": NEW_BODY, "anonymous": "on"}, setup=allows_anonymity),
    row("thread-anonymous", "A thread of an anonymous reflection", "GET", "/posts/<id>/thread/",
        lambda w: reverse("community:thread", args=[w.anonymous.pk]),
        [L, "200", "200", "200", "200", "200", "200"], names_the_anonymous_author_to_those_who_know,
        setup=anonymous_post),
    row("highlight", "Highlight a reflection", "POST", "/posts/<id>/highlight/", post_url("reflection-highlight"),
        [L, "403", "403", "403", "302", "302", "302"], highlighted),
    row("unhighlight", "Remove a highlight", "POST", "/posts/<id>/unhighlight/",
        post_url("reflection-unhighlight"),
        [L, "403", "403", "403", "302", "302", "302"], unhighlighted, setup=highlight_post),
    row("like-reason", "Say why one liked a post", "POST", "/posts/<id>/like/reason/", post_url("like-reason"),
        [L, "403", "302", "403", "302", "302", "302"], reason_given, {"reason": NEW_REASON}, setup=everyone_likes),
    row("like-reason-remove", "Take back one's reason for a like", "POST", "/posts/<id>/like/reason/remove/",
        post_url("like-reason-remove"),
        [L, "403", "302", "403", "302", "302", "302"], reason_removed, setup=everyone_says_why),
    row("report-reason", "Report a reason given for liking one's post", "POST", "/likes/<id>/report/",
        lambda w: reverse("moderation:report-reason", args=[w.reason_like.pk]),
        [L, "302", "403", "403", "403", "403", "403"], reason_flagged, {"reason": "harassment"},
        setup=flagger_says_why),
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
    row("thread", "A thread with all its replies", "GET", "/posts/<id>/thread/", post_url("thread"),
        [L, "200", "200", "200", "200", "200", "200"], shows(ORIGINAL_BODY)),
    row("thread-hidden", "A hidden post's thread (a placeholder with its replies)", "GET", "/posts/<id>/thread/",
        post_url("thread"),
        [L, "200", "200", "200", "200", "200", "200"], shows_placeholder_to_others, setup=hide_post),
    row("thread-hidden-whole", "A conversation hidden whole", "GET", "/posts/<id>/thread/", post_url("thread"),
        [L, "200", "404", "404", "404", "200", "200"], shows(ORIGINAL_BODY), setup=hide_conversation),
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
    row("reason-remove", "Remove a reported reason", "POST", "/moderation/likes/<id>/remove-reason/",
        lambda w: reverse("moderation:reason-remove", args=[w.reason_like.pk]),
        [L, "403", "403", "403", "403", "302", "302"], reported_reason_removed, {"reason": "Unkind"},
        setup=reason_reported),
    row("reason-dismiss", "Dismiss reports on a reason", "POST", "/moderation/likes/<id>/dismiss/",
        lambda w: reverse("moderation:reason-dismiss", args=[w.reason_like.pk]),
        [L, "403", "403", "403", "403", "302", "302"], reason_flag_dismissed, setup=reason_reported),
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
    # The learning log: each member's own posts only
    row("log", "My learning log", "GET", "/me/learning-log/", lambda w: reverse("journal:learning-log"),
        [L, "200", "200", "200", "200", "200", "200"], own_log_only),
    row("log-markdown", "My learning log as Markdown", "GET", "/me/learning-log/export.md",
        lambda w: reverse("journal:export-markdown"),
        [L, "200", "200", "200", "200", "200", "200"], own_log_only),
    row("log-csv", "My learning log as CSV", "GET", "/me/learning-log/export.csv",
        lambda w: reverse("journal:export-csv"),
        [L, "200", "200", "200", "200", "200", "200"], own_log_only),
    row("log-pdf", "Ask for my learning log as PDF", "POST", "/me/learning-log/pdf/",
        lambda w: reverse("journal:export-pdf"),
        [L, "302", "302", "302", "302", "302", "302"], pdf_requested),
    row("log-pdf-page", "The author's learning-log PDF: its page", "GET", "/me/learning-log/pdf/<id>/",
        lambda w: reverse("journal:pdf", args=[w.export.pk]),
        [L, "200", "404", "404", "404", "404", "404"], shows("Your PDF is ready"), setup=author_pdf),
    row("log-pdf-download", "The author's learning-log PDF: the file", "GET",
        "/me/learning-log/pdf/<id>/download/", lambda w: reverse("journal:pdf-download", args=[w.export.pk]),
        [L, "200", "404", "404", "404", "404", "404"], pdf_downloaded, setup=author_pdf),
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
        "/posts/<id>/share/",
        "/posts/<id>/highlight/",
        "/posts/<id>/unhighlight/",
        "/posts/<id>/like/reason/",
        "/posts/<id>/like/reason/remove/",
        "/likes/<id>/report/",
        "/moderation/likes/<id>/remove-reason/",
        "/moderation/likes/<id>/dismiss/",
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
        "/me/learning-log/pdf/",
        "/markdownx/markdownify/",
        "/markdownx/upload/",
    ]:
        assert pattern in tried

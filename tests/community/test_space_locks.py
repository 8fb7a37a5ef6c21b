"""Every service that writes in a space takes the space's version first (``lock_space``,
``core.versions``): one lock order, so two writes in one space queue instead of deadlocking, and
the space's version moves with the write.

Each public function of the services modules that write in spaces is called here, its SQL
captured: before its first write to (or row lock on) a space's tables, the space's version must
have been taken. A new service is either added to ``CALLS`` (and so checked) or to
``NOT_IN_A_SPACE`` with the reason: the test fails until it is one or the other.
"""

import inspect
import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from community import services
from moderation import services as moderation
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db

SPACE_TABLES = (
    "community_reflection",
    "community_like",
    "community_prompt",
    "community_revision",
    "community_flag",
)
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?|FROM\s+"?(\w+)"?.*\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b',
    re.I | re.S,
)
_LOCK = re.compile(r"INSERT INTO core_version \(name, version\) VALUES \('space:(\d+)'", re.I)

# Functions of the services modules that write nothing in a space, and why.
NOT_IN_A_SPACE = {
    services.render_post: "reads members' handles; writes nothing",
    services.in_reflection_count: "a predicate",
    services.in_post_count: "a predicate",
    services.shared_with_course: "a predicate",
    services.pseudonym_in: "called inside services checked here, after their lock",
    services.adjust_post_count: "a member's counter, called inside services checked here",
    services.adjust_reflection_count: "called inside services checked here, after their lock",
    services.lock_space: "the lock itself",
    services.locked_like: "the lock helper for a like (checked through the like services)",
    services.create_prompt: "a new activity: no space exists yet to queue on",
    services.save_draft: "a member's own draft (their user scope), not the space's rows",
    services.discard_draft: "a member's own draft",
    services.body_version: "a digest of a post's text",
    services.resync_counts: "a maintenance recount of every counter, run alone",
    services.revision_changes: "reads a post's history",
    services.record_visit: "a member's own visit (never shown to others)",
    moderation.hide_threshold: "a setting",
    moderation.log_action: "the audit log, inside services checked here",
    moderation.suspend_member: "a member's standing (their user scope)",
    moderation.lift_suspension: "a member's standing (their user scope)",
}


@pytest.fixture
def w():
    prompt = make_prompt()
    author, reader = make_user(display_name="Asha Author"), make_user(display_name="Ravi Reader")
    moderator = make_user(role=roles.MODERATOR)
    post = make_reflection(prompt=prompt, author=author, body="Original words")
    like = services.like_reflection(reflection=post, user=reader)
    services.set_like_reason(like=like, reason="It helped")
    private = services.create_reflection(prompt=prompt, author=author, body="Mine alone", is_private=True)
    return dict(prompt=prompt, author=author, reader=reader, moderator=moderator, post=post, like=like,
                private=private)  # fmt: skip


def _fresh_post(w, **kwargs):
    return make_reflection(prompt=w["prompt"], author=w["author"], body="Another thought", **kwargs)


# Each service in a space, called on the world (a fresh post where it consumes one).
CALLS = {
    services.update_prompt: lambda w: services.update_prompt(prompt=w["prompt"], title="Retitled"),
    services.create_reflection: lambda w: services.create_reflection(
        prompt=w["prompt"], author=w["reader"], body="A reply", parent=w["post"], submission_key=uuid.uuid4()
    ),
    services.edit_reflection: lambda w: services.edit_reflection(
        reflection=w["post"], body="Changed words", editor=w["author"]
    ),
    services.delete_reflection: lambda w: services.delete_reflection(reflection=_fresh_post(w)),
    services.like_reflection: lambda w: services.like_reflection(reflection=_fresh_post(w), user=w["reader"]),
    services.unlike_reflection: lambda w: services.unlike_reflection(reflection=w["post"], user=w["reader"]),
    services.share_reflection: lambda w: services.share_reflection(reflection=w["private"]),
    services.highlight_reflection: lambda w: services.highlight_reflection(
        reflection=w["post"], by=w["moderator"]
    ),
    services.unhighlight_reflection: lambda w: services.unhighlight_reflection(
        reflection=services.highlight_reflection(reflection=_fresh_post(w), by=w["moderator"]),
        by=w["moderator"],
    ),
    services.set_like_reason: lambda w: services.set_like_reason(like=w["like"], reason="Still helps"),
    services.remove_like_reason: lambda w: services.remove_like_reason(like=w["like"]),
    services.delete_prompts: lambda w: services.delete_prompts(prompts=[w["prompt"]]),
    moderation.report_reflection: lambda w: moderation.report_reflection(
        reflection=w["post"], reporter=w["reader"], reason="spam"
    ),
    moderation.dismiss_reports: lambda w: moderation.dismiss_reports(
        reflection=w["post"], moderator=w["moderator"]
    ),
    moderation.hide_reflection: lambda w: moderation.hide_reflection(
        reflection=w["post"], moderator=w["moderator"], reason="Off topic"
    ),
    moderation.hide_replies: lambda w: moderation.hide_replies(
        reflection=moderation.hide_reflection(
            reflection=_fresh_post(w), moderator=w["moderator"], reason="r"
        ),
        moderator=w["moderator"],
        hidden=True,
    ),
    moderation.restore_reflection: lambda w: moderation.restore_reflection(
        reflection=moderation.hide_reflection(
            reflection=_fresh_post(w), moderator=w["moderator"], reason="r"
        ),
        moderator=w["moderator"],
    ),
    moderation.moderate_edit: lambda w: moderation.moderate_edit(
        reflection=w["post"], moderator=w["moderator"], body="Edited by a moderator", reason="Names"
    ),
    moderation.delete_permanently: lambda w: moderation.delete_permanently(
        reflection=_fresh_post(w), moderator=w["moderator"], reason="Gone"
    ),
    moderation.set_prompt_lock: lambda w: moderation.set_prompt_lock(
        prompt=w["prompt"], moderator=w["moderator"], locked=True
    ),
    moderation.report_like_reason: lambda w: moderation.report_like_reason(
        like=w["like"], reporter=w["author"], reason="rude"
    ),
    moderation.remove_reported_reason: lambda w: moderation.remove_reported_reason(
        like=w["like"], moderator=w["moderator"]
    ),
    moderation.dismiss_reason_reports: lambda w: moderation.dismiss_reason_reports(
        like=w["like"], moderator=w["moderator"]
    ),
}

# Services that only move a space's past for the demo (``backdate_space``) are checked too when
# they exist; their call needs times.
if hasattr(services, "backdate_space"):
    CALLS[services.backdate_space] = lambda w: services.backdate_space(
        prompt=w["prompt"], created_at=timezone.now() - timedelta(days=3)
    )


def public_services() -> list:
    found = []
    for module in (services, moderation):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found.append(function)
    return found


def first_unlocked_write(statements: list[str]) -> str | None:
    """The first statement that writes to, or locks a row of, a space's tables before any space's
    version was taken; None when every such statement came after one."""
    for sql in statements:
        if _LOCK.search(sql):
            return None
        match = _WRITE.search(sql)
        if match and (match.group(1) or match.group(2)) in SPACE_TABLES:
            return sql
    return None


def test_every_service_is_either_checked_or_said_to_write_outside_spaces():
    unclassified = [
        f"{f.__module__}.{f.__name__}"
        for f in public_services()
        if f not in CALLS and f not in NOT_IN_A_SPACE
    ]
    assert not unclassified, f"add these to CALLS (or NOT_IN_A_SPACE, with why): {unclassified}"


@pytest.mark.parametrize("service", list(CALLS), ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_each_service_in_a_space_takes_the_spaces_version_first(w, service):
    with CaptureQueriesContext(connection) as captured:
        CALLS[service](w)
    statements = [query["sql"] for query in captured.captured_queries]
    assert any(_WRITE.search(sql) for sql in statements), "the call wrote nothing: a wrong recipe?"
    unlocked = first_unlocked_write(statements)
    assert unlocked is None, f"{service.__name__} wrote in the space before lock_space: {unlocked[:200]}"


def test_the_check_catches_a_write_before_the_lock():
    write = 'UPDATE "community_reflection" SET "like_count" = 1 WHERE "id" = 3'
    lock = "INSERT INTO core_version (name, version) VALUES ('space:4', nextval('core_version_seq'))"
    row_lock = 'SELECT "community_like"."id" FROM "community_like" WHERE "id" = 2 FOR NO KEY UPDATE'
    assert first_unlocked_write([write, lock]) == write
    assert first_unlocked_write([row_lock, lock]) == row_lock
    assert first_unlocked_write([lock, write]) is None
    assert first_unlocked_write(['SELECT 1 FROM "community_reflection"', lock, write]) is None

"""Writes to the community space. Each runs in one transaction and keeps the counters exact."""

import difflib
import hashlib
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from community import permissions, signals
from community.models import ActivityVisit, Draft, Like, Prompt, Pseudonym, Reflection, Revision
from core import versions
from core.markdown import mentioned_handles, render_inline_markdown, render_markdown

User = get_user_model()


def render_post(text: str) -> str:
    """Markdown → stored HTML, with @mentions of existing members linked."""
    handles = mentioned_handles(text)
    known = (
        set(User.objects.filter(handle__in=handles, is_active=True).values_list("handle", flat=True))
        if handles
        else set()
    )
    return render_markdown(text, mentions=known)


def adjust_post_count(user_id: int, delta: int) -> None:
    User.objects.filter(pk=user_id).update(post_count=F("post_count") + delta)


def in_reflection_count(reflection: Reflection) -> bool:
    """Whether ``reflection`` is one of its prompt's stored ``reflection_count``: a live, shared,
    shown top-level reflection (what every member of the course may read; docs/decisions.md)."""
    return (
        reflection.thread_id is None
        and shared_with_course(reflection)
        and reflection.hidden_at is None
        and reflection.deleted_at is None
    )


def shared_with_course(reflection: Reflection) -> bool:
    """Whether ``reflection`` is shared with the whole course (not private, not for the
    facilitators only, not a private reply): what ``reflection_count`` counts."""
    return not reflection.is_private and reflection.audience == Reflection.Audience.COURSE


def in_post_count(reflection: Reflection) -> bool:
    """Whether ``reflection`` is in its author's public ``post_count``: shared with the course
    under their name (an anonymous post counted there would tell colleagues who wrote it)."""
    return shared_with_course(reflection) and not reflection.anonymous


# What ``reflection_count`` counts (``shared_with_course``), and ``post_count`` (``in_post_count``).
SHARED_WITH_COURSE = Q(is_private=False, audience=Reflection.Audience.COURSE)
IN_POST_COUNT = SHARED_WITH_COURSE & Q(anonymous=False)


def adjust_reflection_count(reflection: Reflection, *, was_counted: bool) -> None:
    """Keep ``Prompt.reflection_count`` after a change to ``reflection`` (which was or was not
    counted before it), in the caller's transaction."""
    delta = int(in_reflection_count(reflection)) - int(was_counted)
    if delta:
        Prompt.objects.filter(pk=reflection.prompt_id).update(reflection_count=F("reflection_count") + delta)


def lock_space(prompt_id: int) -> None:
    """Take the space's version (``core.versions``: ``space:<prompt id>``) first, before any row of
    the space: every write to a space takes it here, at its start, so two writes in one space wait
    for each other in one order instead of deadlocking (a post, its thread, the activity's stored
    count and the author's post count are then taken in whatever order each service needs).
    ``tests/community/test_space_locks.py`` checks that every such service does."""
    versions.lock(versions.space_scope(prompt_id))


# What a facilitator sets on a prompt (is_locked is a moderation action: moderation.services).
PROMPT_FIELDS = (
    "lesson", "title", "body", "is_pinned", "pin_position", "independent_reflection",
    "scaffold", "custom_sections", "suggested_words", "anonymous_posting",
)  # fmt: skip


@transaction.atomic
def create_prompt(*, lesson, author, title: str, body: str, **options) -> Prompt:
    prompt = Prompt.objects.create(
        lesson=lesson, author=author, title=title, body=body, body_html=render_post(body), **options
    )
    adjust_post_count(author.pk, +1)
    signals.prompt_created.send(sender=Prompt, prompt=prompt)
    return prompt


@transaction.atomic
def update_prompt(*, prompt: Prompt, **fields) -> Prompt:
    """Change a prompt's text or settings (``PROMPT_FIELDS``); its HTML is rendered again."""
    unknown = set(fields) - set(PROMPT_FIELDS)
    if unknown:
        raise ValueError(f"update_prompt does not change {sorted(unknown)}")
    lock_space(prompt.pk)
    prompt = Prompt.objects.select_for_update().get(pk=prompt.pk)
    for name, value in fields.items():
        setattr(prompt, name, value)
    prompt.body_html = render_post(prompt.body)
    prompt.save()
    return prompt


def create_reflection(
    *,
    prompt: Prompt,
    author,
    body: str,
    parent: Reflection | None = None,
    submission_key: uuid.UUID | None = None,
    is_private: bool = False,
    for_facilitators: bool = False,
    content_note: str = "",
    anonymous: bool = False,
    extras: dict | None = None,
    follows_up: Reflection | None = None,
) -> Reflection:
    """Post a reflection, or a reply when ``parent`` is given.

    ``submission_key`` comes from the form: a double-click sends the same key and words twice,
    and the second request gets the first request's reflection back instead of a duplicate. The
    same key with other words (two tabs showing one page the browser kept) is a new post.

    ``is_private``: "Save privately". Only its author sees it until ``share_reflection``; it tells
    no one (no ``reflection_posted``) and is not in the author's public ``post_count``. A private
    post is a top-level reflection: none is a reply, and none takes replies.

    ``for_facilitators``: "Share with the facilitator only" (a reflection) or "Reply privately"
    (a reply, then read by the author of ``parent`` too: ``private_to``). Only the course's
    facilitators, moderators and staff read it besides (the read rule); it counts as reflected
    (it opens independent reflection's gate for its author) but is in no public count. A reply
    in a facilitator-only thread, or to a private reply, is private too: to the thread's author,
    else to the author of the post it answers.

    ``content_note``: a few words others read first ("mentions bereavement", issue 23).

    ``anonymous``: "Post anonymously to colleagues", where the activity allows it (always, where
    it asks for it: ``permissions.posts_anonymously``). Colleagues read "Colleague 4", the author's
    pseudonym in this activity (``Pseudonym``); it is in no public ``post_count``.
    ``extras``: the values of the composer's registered extra fields (``composer_fields``), sent
    with ``signals.reflection_composed`` in the post's transaction (private posts too).
    ``follows_up``: a top-level reflection of ``author``'s own: this post is its follow-up (issue
    25), a reply to it with its sharing (private, facilitator-only or the course), so the read
    rule gives it exactly the original's readers; ``is_private`` and ``for_facilitators`` are
    taken from the original.
    """
    content_note = content_note.strip()
    # --- follow-through: a follow-up is shared exactly as the reflection it follows up
    if follows_up is not None:
        if follows_up.author_id != author.pk or follows_up.thread_id is not None:
            raise ValueError("A follow-up answers one's own top-level reflection.")
        parent, is_private = follows_up, follows_up.is_private
        for_facilitators = follows_up.for_facilitators
    # --- end follow-through
    if is_private and parent is not None and follows_up is None:
        raise ValueError("A reply cannot be private.")
    if parent is not None and parent.is_private and follows_up is None:
        raise ValueError("A private reflection takes no replies until it is shared.")
    if submission_key is not None:
        existing = Reflection.objects.filter(submission_key=submission_key, author=author).first()
        if existing is not None and existing.body == body:
            return existing
        if existing is not None:  # one page (kept by the browser) posted from two tabs, other words
            return create_reflection(
                prompt=prompt, author=author, body=body, parent=parent, is_private=is_private,
                for_facilitators=for_facilitators, submission_key=uuid.uuid5(submission_key, body),
                content_note=content_note, anonymous=anonymous, extras=extras, follows_up=follows_up,
            )  # fmt: skip
    anonymous = permissions.posts_anonymously(author, prompt, chosen=anonymous)
    if follows_up is not None and follows_up.anonymous:  # the same name to colleagues as the original
        anonymous = True
    audience, private_to_id = Reflection.Audience.COURSE, None
    if parent is not None:
        thread = parent.thread or parent
        if thread.for_facilitators and thread.author_id != author.pk:
            for_facilitators, private_to_id = True, thread.author_id
        elif for_facilitators or parent.for_facilitators:
            for_facilitators, private_to_id = True, parent.author_id
    if for_facilitators:
        audience = Reflection.Audience.FACILITATORS
    if follows_up is not None:  # the original's readers exactly: no private_to of its own
        audience, private_to_id = follows_up.audience, follows_up.private_to_id
    body_html = render_post(body)  # before the space's lock: others wait while it is held
    try:
        with transaction.atomic():
            lock_space(prompt.pk)
            pseudonym = pseudonym_in(prompt.pk, author.pk) if anonymous else None
            reflection = Reflection.objects.create(
                prompt=prompt,
                author=author,
                parent=parent,
                thread=(parent.thread or parent) if parent else None,
                body=body,
                body_html=body_html,
                content_note=content_note,
                submission_key=submission_key,
                is_private=is_private,
                audience=audience,
                private_to_id=private_to_id,
                anonymous=anonymous,
                pseudonym=pseudonym,
                follows_up=follows_up,
            )
            if reflection.thread_id:
                Reflection.objects.filter(pk=reflection.thread_id).update(reply_count=F("reply_count") + 1)
            adjust_reflection_count(reflection, was_counted=False)
            if in_post_count(reflection):
                adjust_post_count(author.pk, +1)
            # Posted: no draft. After the author's row (post_count): their stamp follows their row,
            # as when a moderator suspends them (core.versions).
            Draft.objects.filter(user=author, prompt=prompt, parent=parent).delete()
            if not is_private:
                signals.reflection_posted.send(sender=Reflection, reflection=reflection)
            if extras:
                signals.reflection_composed.send(sender=Reflection, reflection=reflection, extras=extras)
    except IntegrityError:
        if submission_key is None:
            raise
        existing = Reflection.objects.filter(submission_key=submission_key, author=author).first()
        if existing is not None and existing.body == body:
            return existing
        return create_reflection(
            prompt=prompt, author=author, body=body, parent=parent, is_private=is_private,
            for_facilitators=for_facilitators, submission_key=uuid.uuid5(submission_key, body),
            content_note=content_note, anonymous=anonymous, extras=extras, follows_up=follows_up,
        )  # fmt: skip
    return reflection


def pseudonym_in(prompt_id: int, user_id: int) -> int:
    """The member's pseudonym number in the activity ("Colleague 4"), given on their first
    anonymous post there and kept (numbers are never reused). Under the space's lock."""
    number = (
        Pseudonym.objects.filter(prompt_id=prompt_id, user_id=user_id)
        .values_list("number", flat=True)
        .first()
    )
    if number is None:
        number = (Pseudonym.objects.filter(prompt_id=prompt_id).aggregate(top=Max("number"))["top"] or 0) + 1
        Pseudonym.objects.create(prompt_id=prompt_id, user_id=user_id, number=number)
    return number


@transaction.atomic
def save_draft(
    *, user, prompt: Prompt, parent: Reflection | None = None, fields: dict,
    submission_key: uuid.UUID | None = None,
) -> Draft | None:  # fmt: skip
    """Keep what ``user`` has typed in a composer (one draft per member, activity and post replied
    to; one upsert). Nothing typed: the draft goes. An autosave that arrives after the text was
    posted (``submission_key`` already used) keeps nothing."""
    if not str(fields.get("body") or "").strip():
        discard_draft(user=user, prompt=prompt, parent=parent)
        return None
    if submission_key and Reflection.objects.filter(author=user, submission_key=submission_key).exists():
        return None
    (draft,) = Draft.objects.bulk_create(
        [Draft(user=user, prompt=prompt, parent=parent, fields=fields)],
        update_conflicts=True,
        unique_fields=["user", "prompt", "parent"],
        update_fields=["fields", "updated_at"],
    )
    return draft


def discard_draft(*, user, prompt: Prompt, parent: Reflection | None = None) -> None:
    Draft.objects.filter(user=user, prompt=prompt, parent=parent).delete()


def body_version(body: str) -> str:
    """A short fingerprint of a post's text: the edit form carries the one it started from."""
    return hashlib.sha256(body.encode()).hexdigest()[:32]


class EditConflict(Exception):
    """The post changed (another tab, a moderator) since the editor opened it: ``current`` is the
    post as saved now."""

    def __init__(self, current: Reflection):
        super().__init__("The post was changed since this edit started.")
        self.current = current


@transaction.atomic
def edit_reflection(
    *, reflection: Reflection, body: str, editor, expected_version: str | None = None,
    content_note: str | None = None,
) -> Reflection:  # fmt: skip
    """Change a post's text, keeping the previous text as a Revision (who, when, what it said).

    ``expected_version``: ``body_version`` of the text the editor started from; if the saved text
    is no longer that one, nothing changes and ``EditConflict`` is raised (unless the new text is
    the saved text already). None: no check.
    ``content_note``: the note wanted now ("" removes it); None leaves it as it is (a moderator's
    edit). A note alone changes no text: no revision, not marked edited.
    """
    body_html = render_post(body)  # before the space's lock: others wait while it is held
    reflection = _locked_post(reflection)
    if content_note is not None and content_note.strip() != reflection.content_note:
        reflection.content_note = content_note.strip()
        reflection.save(update_fields=["content_note"])
    if body == reflection.body:
        return reflection
    if expected_version is not None and expected_version != body_version(reflection.body):
        raise EditConflict(reflection)
    Revision.objects.create(reflection=reflection, editor=editor, previous_body=reflection.body)
    reflection.body = body
    reflection.body_html = body_html
    reflection.edited_at = timezone.now()
    reflection.save(update_fields=["body", "body_html", "edited_at"])
    return reflection


@transaction.atomic
def delete_reflection(*, reflection: Reflection, by=None) -> Reflection | None:
    """Remove a post's words: by its author, or permanently by a moderator.

    With live replies the post becomes a placeholder ("removed by its author" / "by a
    moderator") so the conversation still reads; without, the row goes. Returns the
    placeholder, or None when the row is gone. Earlier revisions go with the words.
    ``by`` defaults to the author.
    """
    reflection = _locked_post(reflection)
    if reflection.is_deleted:
        return reflection
    if in_reflection_count(reflection):
        Prompt.objects.filter(pk=reflection.prompt_id).update(reflection_count=F("reflection_count") - 1)
    if in_post_count(reflection):  # a private or facilitator-only post was never counted
        adjust_post_count(reflection.author_id, -1)
    if reflection.thread_id:
        Reflection.objects.filter(pk=reflection.thread_id).update(reply_count=F("reply_count") - 1)
    has_replies = Reflection.objects.live().filter(Q(parent=reflection) | Q(thread=reflection)).exists()
    if not has_replies:
        reflection.delete()
        return None
    reflection.revisions.all().delete()
    reflection.likes.all().delete()
    reflection.deleted_at = timezone.now()
    reflection.deleted_by_id = by.pk if by is not None else reflection.author_id
    reflection.body = ""
    reflection.body_html = ""
    reflection.like_count = 0
    reflection.save(update_fields=["deleted_at", "deleted_by", "body", "body_html", "like_count"])
    return reflection


def _lock_post(reflection: Reflection) -> None:
    """Take the post's row lock, after its space's (``lock_space``): likes and unlikes of one post
    run one at a time."""
    lock_space(reflection.prompt_id)
    Reflection.objects.select_for_update().filter(pk=reflection.pk).values_list("pk").first()


def _locked_post(reflection: Reflection) -> Reflection:
    """The post read again under its row lock, after its space's (``lock_space``)."""
    lock_space(reflection.prompt_id)
    return Reflection.objects.select_for_update().get(pk=reflection.pk)


def locked_like(like: Like) -> Like:
    """The like read again under its row lock, after its post's space's (``lock_space``)."""
    lock_space(Reflection.objects.filter(pk=like.reflection_id).values_list("prompt_id", flat=True).get())
    return Like.objects.select_for_update().get(pk=like.pk)


@transaction.atomic
def like_reflection(*, reflection: Reflection, user) -> Like:
    """Idempotent: liking twice returns the existing Like and leaves the counter alone."""
    _lock_post(reflection)
    like, created = Like.objects.get_or_create(reflection=reflection, user=user)
    if created:
        Reflection.objects.filter(pk=reflection.pk).update(like_count=F("like_count") + 1)
        signals.reflection_liked.send(sender=Reflection, reflection=reflection, user=user)
    return like


@transaction.atomic
def unlike_reflection(*, reflection: Reflection, user) -> None:
    """Idempotent: taking back a like that is not there changes nothing."""
    _lock_post(reflection)
    had_reason = Like.objects.filter(reflection=reflection, user=user).exclude(reason="").exists()
    deleted, _ = Like.objects.filter(reflection=reflection, user=user).delete()
    if deleted:
        Reflection.objects.filter(pk=reflection.pk).update(like_count=F("like_count") - deleted)
    if had_reason:  # its reason goes with it, from the author's notice too
        signals.like_reason_changed.send(sender=Like, reflection_id=reflection.pk, user_id=user.pk)


@transaction.atomic
def share_reflection(
    *, reflection: Reflection, for_facilitators: bool = False, anonymous: bool = False
) -> Reflection:
    """ "Share with the course": a private reflection becomes an ordinary one.
    ``for_facilitators``: "Share with the facilitator only" (the course's facilitators read it,
    no public count grows; it still tells those of its readers who follow the activity).
    ``anonymous``: shared anonymously to colleagues, where the activity allows it.

    Idempotent (sharing a shared post changes nothing). It keeps its date and its history
    (``created_at``, edits); ``shared_at`` becomes now, which is what makes it "new since your last
    visit" for others (``ReflectionQuerySet.new_for``); followers of the activity are told
    (``reflection_posted``); the author's post count grows (unless it is anonymous).
    The caller checks ``permissions.can_share`` (the author only).
    """
    reflection = _locked_post(reflection)
    if not reflection.is_private or reflection.is_deleted:
        return reflection
    reflection.is_private = False
    if for_facilitators:
        reflection.audience = Reflection.Audience.FACILITATORS
    reflection.shared_at = timezone.now()
    prompt = Prompt.objects.select_related("lesson").get(pk=reflection.prompt_id)
    if permissions.posts_anonymously(reflection.author, prompt, chosen=anonymous or reflection.anonymous):
        reflection.anonymous = True
        reflection.pseudonym = pseudonym_in(reflection.prompt_id, reflection.author_id)
    reflection.save(update_fields=["is_private", "audience", "shared_at", "anonymous", "pseudonym"])
    adjust_reflection_count(reflection, was_counted=False)
    if in_post_count(reflection):
        adjust_post_count(reflection.author_id, +1)
    # Follow-through: its follow-ups (private with it) are shared with it, to the same readers.
    follow_ups = Reflection.objects.filter(follows_up=reflection, is_private=True).live()
    shared = follow_ups.update(is_private=False, audience=reflection.audience)
    if shared and in_post_count(reflection):
        adjust_post_count(reflection.author_id, +shared)
    signals.reflection_posted.send(sender=Reflection, reflection=reflection)
    return reflection


@transaction.atomic
def highlight_reflection(*, reflection: Reflection, by) -> Reflection:
    """Mark a reflection "Highlighted by the facilitator" and tell its author (the signal).
    Idempotent: highlighting again keeps the first mark and tells no one twice."""
    reflection = _locked_post(reflection)
    if reflection.highlighted_at is not None:
        return reflection
    reflection.highlighted_at = timezone.now()
    reflection.highlighted_by = by
    reflection.save(update_fields=["highlighted_at", "highlighted_by"])
    signals.reflection_highlighted.send(sender=Reflection, reflection=reflection, by=by)
    return reflection


@transaction.atomic
def unhighlight_reflection(*, reflection: Reflection, by) -> Reflection:
    """Take the mark away (idempotent; the author's earlier notice stays as it was)."""
    reflection = _locked_post(reflection)
    if reflection.highlighted_at is None:
        return reflection
    reflection.highlighted_at = None
    reflection.highlighted_by = None
    reflection.save(update_fields=["highlighted_at", "highlighted_by"])
    return reflection


LIKE_REASON_MAX_LENGTH = 140


@transaction.atomic
def set_like_reason(*, like: Like, reason: str) -> Like:
    """Say (or change) why one liked a post: at most 140 characters of one line, rendered through
    ``core.markdown.render_inline_markdown`` (emphasis, code and links only). An empty reason takes
    it back (``remove_like_reason``). The post's author hears of it (``like_reason_changed``)."""
    reason = " ".join(reason.split())
    if not reason:
        return remove_like_reason(like=like)
    if len(reason) > LIKE_REASON_MAX_LENGTH:
        raise ValueError(f"A reason is at most {LIKE_REASON_MAX_LENGTH} characters.")
    like = locked_like(like)
    if reason == like.reason:
        return like
    like.reason = reason
    like.reason_html = render_inline_markdown(reason)
    like.reason_updated_at = timezone.now()
    like.save(update_fields=["reason", "reason_html", "reason_updated_at"])
    signals.like_reason_changed.send(sender=Like, reflection_id=like.reflection_id, user_id=like.user_id)
    return like


@transaction.atomic
def remove_like_reason(*, like: Like) -> Like:
    """Take a reason back: by its writer, or by a moderator (``moderation.services``). The like stays."""
    like = locked_like(like)
    if not like.reason:
        return like
    like.reason = like.reason_html = ""
    like.reason_updated_at = timezone.now()
    like.save(update_fields=["reason", "reason_html", "reason_updated_at"])
    signals.like_reason_changed.send(sender=Like, reflection_id=like.reflection_id, user_id=like.user_id)
    return like


def _count(queryset, field: str):
    """``COUNT(*)`` of ``queryset`` rows whose ``field`` is the outer row, 0 when there are none."""
    counted = queryset.filter(**{field: OuterRef("pk")}).values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


@transaction.atomic
def resync_counts() -> None:
    """Recount every denormalised counter from the rows themselves (after bulk admin work)."""
    Reflection.objects.update(like_count=_count(Like.objects.all(), "reflection"))
    Reflection.objects.update(reply_count=_count(Reflection.objects.live(), "thread"))
    User.objects.update(
        post_count=_count(Reflection.objects.live().filter(IN_POST_COUNT), "author")
        + _count(Prompt.objects.all(), "author")
    )
    counted = Reflection.objects.live().top_level().filter(SHARED_WITH_COURSE, hidden_at__isnull=True)
    Prompt.objects.update(reflection_count=_count(counted, "prompt"))


def revision_changes(reflection: Reflection) -> list[dict]:
    """Each edit of ``reflection``, oldest first: the revision and its line diff as (op, text)
    pairs, op being "-" (removed), "+" (added) or " " (kept)."""
    revisions = list(reflection.revisions.select_related("editor"))
    versions = [revision.previous_body for revision in revisions] + [reflection.body]
    changes = []
    for index, revision in enumerate(revisions):
        diff = difflib.ndiff(versions[index].splitlines(), versions[index + 1].splitlines())
        lines = [(line[:1], line[2:]) for line in diff if not line.startswith("?")]
        changes.append({"revision": revision, "lines": lines})
    return changes


def record_visit(*, user, prompt: Prompt) -> None:
    """Remember that ``user`` opened ``prompt``'s space now (one upsert; posts after it are new)."""
    if not user.is_authenticated:
        return
    ActivityVisit.objects.bulk_create(
        [ActivityVisit(user=user, prompt=prompt, visited_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "prompt"],
        update_fields=["visited_at"],
    )
    signals.activity_viewed.send(sender=Prompt, user=user, prompt_id=prompt.pk)  # learning records


# --- Deleting activities; a space's past ----------------------------------------------------------


def _recount_post_counts(user_ids: Iterable[int]) -> None:
    """Recount these members' post counts from their rows, as ``resync_counts`` does for everyone."""
    User.objects.filter(pk__in=list(user_ids)).update(
        post_count=_count(Reflection.objects.live().filter(IN_POST_COUNT), "author")
        + _count(Prompt.objects.all(), "author")
    )


@transaction.atomic
def delete_prompts(*, prompts: Iterable[Prompt]) -> int:
    """Delete activities with everything in their spaces (posts, likes, reports, drafts, visits,
    notices) and recount only what that changes: the post counts of the members who wrote the
    activities or posted in them. Other members and other activities keep theirs untouched (the
    admin's delete, and a lesson's, come here rather than to ``resync_counts``). Returns how many
    activities went.

    Each space first (``lock_space``, in id order), then the members' rows (in id order, before
    the delete moves their versions), then the rows themselves."""
    ids = sorted({prompt.pk for prompt in prompts})
    for prompt_id in ids:
        lock_space(prompt_id)
    members = set(Prompt.objects.filter(pk__in=ids).values_list("author_id", flat=True))
    members |= set(Reflection.objects.filter(prompt_id__in=ids).values_list("author_id", flat=True))
    locked = User.objects.select_for_update().filter(pk__in=members).order_by("pk")
    list(locked.values_list("pk", flat=True))
    deleted = Prompt.objects.filter(pk__in=ids).delete()[1].get(Prompt._meta.label, 0)
    _recount_post_counts(sorted(members))
    return deleted


@transaction.atomic
def backdate_space(
    *,
    prompt: Prompt,
    created_at: datetime,
    updated_at: datetime | None = None,
    posted_at: Mapping[int, datetime] | None = None,
    liked_at: Mapping[int, datetime] | None = None,
    visited_at: Mapping[int, datetime] | None = None,
) -> None:
    """Move a space's times into the past: the activity's, its posts' (by post id), its likes' (by
    like id) and its members' last visits (by member id; the visits already recorded). For a space
    loaded with a history (the demo). Only times change, so every counter stays as the services
    left it; rows of other spaces are never touched."""
    lock_space(prompt.pk)
    Prompt.objects.filter(pk=prompt.pk).update(created_at=created_at, updated_at=updated_at or created_at)
    for pk, when in (posted_at or {}).items():
        Reflection.objects.filter(pk=pk, prompt=prompt).update(created_at=when)
    for pk, when in (liked_at or {}).items():
        Like.objects.filter(pk=pk, reflection__prompt=prompt).update(created_at=when)
    for user_id, when in (visited_at or {}).items():
        ActivityVisit.objects.filter(prompt=prompt, user_id=user_id).update(visited_at=when)

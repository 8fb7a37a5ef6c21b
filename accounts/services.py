"""A member's own data: the export of everything they wrote, and deleting their account."""

from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community.models import Like, Prompt, Reflection
from community.services import delete_reflection, unlike_reflection
from moderation.models import Flag

FORMER_MEMBER_NAME = "Former member"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- Export -------------------------------------------------------------------------------------


def export_data(user: User) -> dict[str, Any]:
    """Everything ``user`` wrote, as plain JSON-ready data.

    A constant four queries however much they wrote: their reflections and replies (with prompt,
    lesson, course and the author of the post they answered), their prompts, their likes, their
    reports. The profile comes from ``user`` itself.
    """
    reflections = (
        Reflection.objects.filter(author=user)
        .select_related("prompt__lesson__course", "parent__author")
        .order_by("created_at", "id")
    )
    prompts = Prompt.objects.filter(author=user).select_related("lesson__course").order_by("created_at", "id")
    likes = (
        Like.objects.filter(user=user).order_by("created_at", "id").values_list("reflection_id", "created_at")
    )
    flags = Flag.objects.filter(reporter=user).order_by("created_at", "id")

    return {
        "format": "reflect-member-data",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "handle": user.handle,
            "display_name": user.display_name,
            "bio": user.bio,
            "time_zone": user.time_zone,
            "date_joined": _iso(user.date_joined),
        },
        "reflections": [
            {
                "id": post.pk,
                "kind": "reply" if post.is_reply else "reflection",
                "prompt": {"id": post.prompt_id, "title": post.prompt.title},
                "lesson": post.prompt.lesson.title,
                "course": post.prompt.lesson.course.title,
                "parent_id": post.parent_id,
                "thread_id": post.thread_id,
                "in_reply_to": (
                    {"id": post.parent_id, "author": post.parent.author.display_name}
                    if post.parent_id
                    else None
                ),
                "body": post.body,
                "created_at": _iso(post.created_at),
                "edited_at": _iso(post.edited_at),
                "deleted_at": _iso(post.deleted_at),
                "hidden_at": _iso(post.hidden_at),
                "like_count": post.like_count,
            }
            for post in reflections
        ],
        "prompts": [
            {
                "id": prompt.pk,
                "title": prompt.title,
                "lesson": prompt.lesson.title,
                "course": prompt.lesson.course.title,
                "body": prompt.body,
                "created_at": _iso(prompt.created_at),
                "updated_at": _iso(prompt.updated_at),
            }
            for prompt in prompts
        ],
        "likes": [{"post_id": post_id, "created_at": _iso(created_at)} for post_id, created_at in likes],
        "reports": [
            {
                "post_id": flag.reflection_id,
                "reason": flag.reason,
                "reason_label": flag.get_reason_display(),
                "note": flag.note,
                "status": flag.status,
                "created_at": _iso(flag.created_at),
            }
            for flag in flags
        ],
    }


def export_markdown(data: dict[str, Any]) -> str:
    """The same data as ``export_data`` returns, as a readable Markdown document."""
    profile = data["profile"]
    lines = [
        f"# Your data from Reflect: @{profile['handle']}",
        "",
        f"Exported {data['exported_at']}. Times are in UTC.",
        "",
        "## Profile",
        "",
        f"- Email: {profile['email']}",
        f"- Handle: @{profile['handle']}",
        f"- Display name: {profile['display_name']}",
        f"- Time zone: {profile['time_zone']}",
        f"- Joined: {profile['date_joined']}",
        f"- Bio: {profile['bio'] or '(none)'}",
        "",
        f"## Reflections and replies ({len(data['reflections'])})",
        "",
    ]
    if not data["reflections"]:
        lines += ["You have not posted anything yet.", ""]
    for post in data["reflections"]:
        kind = "Reply" if post["kind"] == "reply" else "Reflection"
        lines += [
            f"### {kind} {post['id']}: {post['prompt']['title']}",
            "",
            f"- Course: {post['course']}",
            f"- Lesson: {post['lesson']}",
            f"- Posted: {post['created_at']}",
        ]
        if post["in_reply_to"]:
            reply_to = post["in_reply_to"]
            lines.append(
                f"- In reply to post {reply_to['id']} by {reply_to['author']} (thread {post['thread_id']})"
            )
        if post["edited_at"]:
            lines.append(f"- Edited: {post['edited_at']}")
        if post["hidden_at"]:
            lines.append(f"- Hidden by a moderator: {post['hidden_at']}")
        if post["deleted_at"]:
            lines.append(f"- Deleted: {post['deleted_at']}")
        lines.append("")
        lines += [post["body"].strip() or "_(no text)_", "", "---", ""]
    if data["prompts"]:
        lines += [f"## Activities you wrote ({len(data['prompts'])})", ""]
        for prompt in data["prompts"]:
            lines += [
                f"### Activity {prompt['id']}: {prompt['title']}",
                "",
                f"- Course: {prompt['course']}",
                f"- Lesson: {prompt['lesson']}",
                f"- Created: {prompt['created_at']}",
                "",
                prompt["body"].strip() or "_(no text)_",
                "",
                "---",
                "",
            ]
    lines += [f"## Likes ({len(data['likes'])})", ""]
    lines += [f"- Post {like['post_id']}, liked {like['created_at']}" for like in data["likes"]] or ["None."]
    lines += ["", f"## Reports you made ({len(data['reports'])})", ""]
    for report in data["reports"]:
        note = f": {report['note']}" if report["note"] else ""
        lines.append(f"- Post {report['post_id']}, {report['reason_label']}{note} ({report['created_at']})")
    if not data["reports"]:
        lines.append("None.")
    return "\n".join(lines).rstrip() + "\n"


# --- Deleting an account --------------------------------------------------------------------------


def _former_handle(user: User) -> str:
    handle = f"former_{user.pk}"
    if User.objects.filter(handle__iexact=handle).exclude(pk=user.pk).exists():
        # Someone signed up with this handle; never fail a deletion because of it.
        handle = f"former_{user.pk}_x"[:30]
    return handle


@transaction.atomic
def delete_account(*, user: User, remove_posts: bool) -> None:
    """Delete a member's account.

    The user row stays (posts reference it with PROTECT) but is anonymised: "Former member", a
    handle and email no one can use, no password, no roles, inactive. Their likes are taken back
    with exact counts. With ``remove_posts`` every reflection and reply they wrote is deleted the
    way the author's own delete does it: a "removed by its author" placeholder stays where others
    replied, otherwise the post is gone.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if remove_posts:
        # Newest first, so that their own replies go before the posts they answer and a post of
        # theirs answered only by themselves is removed rather than left as a placeholder.
        for post in Reflection.objects.filter(author=user).live().order_by("-created_at", "-id"):
            delete_reflection(reflection=post)
    for post in Reflection.objects.filter(likes__user=user).only("pk"):
        unlike_reflection(reflection=post, user=user)

    EmailAddress.objects.filter(user=user).delete()
    user.display_name = FORMER_MEMBER_NAME
    user.handle = _former_handle(user)
    user.email = f"former-{user.pk}@invalid.example"
    user.bio = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    # Only these fields: post_count was kept by the deletions above and this copy of it is stale.
    user.save(
        update_fields=[
            "display_name",
            "handle",
            "email",
            "bio",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()

"""The community app's part of a member's own data (see ``accounts.member_data``): their
reflections, replies, prompts and likes in the download, what happens to them when the member
deletes their account, and the post counts the export and delete pages show.
Registered by ``CommunityConfig.ready``."""

from datetime import datetime
from typing import Any

from django.db.models import Count, Q

from accounts import member_data
from community.models import Draft, Like, Prompt, Reflection
from community.services import delete_reflection, unlike_reflection


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export(user) -> dict[str, Any]:
    """A constant four queries however much they wrote: their reflections and replies (with
    prompt, lesson, course and the author of the post they answered), their prompts, their likes,
    their unposted drafts."""
    reflections = (
        Reflection.objects.filter(author=user)
        .select_related("prompt__lesson__course", "parent__author")
        .order_by("created_at", "id")
        .with_bylines_for(user)  # the post they answered: "Colleague 4" if its author was anonymous
    )
    prompts = Prompt.objects.filter(author=user).select_related("lesson__course").order_by("created_at", "id")
    likes = (
        Like.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("reflection_id", "created_at", "reason")
    )
    drafts = (
        Draft.objects.filter(user=user).select_related("prompt__lesson__course").order_by("updated_at", "id")
    )
    return {
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
                "content_note": post.content_note,
                "anonymous_to_colleagues": post.pseudonym_label or None,
                "created_at": _iso(post.created_at),
                "edited_at": _iso(post.edited_at),
                "deleted_at": _iso(post.deleted_at),
                "hidden_at": _iso(post.hidden_at),
                "private": post.is_private,
                "shared_at": _iso(post.shared_at),
                "highlighted_at": _iso(post.highlighted_at),
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
        "likes": [
            {"post_id": post_id, "created_at": _iso(created_at), "reason": reason}
            for post_id, created_at, reason in likes
        ],
        "drafts": [
            {
                "prompt": {"id": draft.prompt_id, "title": draft.prompt.title},
                "lesson": draft.prompt.lesson.title,
                "course": draft.prompt.lesson.course.title,
                "reply_to_post_id": draft.parent_id,
                "body": str(draft.fields.get("body") or ""),
                "updated_at": _iso(draft.updated_at),
            }
            for draft in drafts
        ],
    }


def markdown(data: dict[str, Any]) -> list[str]:
    lines = [f"## Reflections and replies ({len(data['reflections'])})", ""]
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
        if post["content_note"]:
            lines.append(f"- Content note: {post['content_note']}")
        if post["private"]:
            lines.append("- Private: only you can see it (not shared with the course)")
        if post["shared_at"]:
            lines.append(f"- Shared with the course: {post['shared_at']} (saved privately first)")
        if post["highlighted_at"]:
            lines.append(f"- Highlighted by the facilitator: {post['highlighted_at']}")
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
    lines += [
        f"- Post {like['post_id']}, liked {like['created_at']}"
        + (f". What helped you: {like['reason']}" if like.get("reason") else "")
        for like in data["likes"]
    ] or ["None."]
    drafts = data.get("drafts", [])
    if drafts:
        lines += ["", f"## Drafts not posted ({len(drafts)})", ""]
        for draft in drafts:
            where = (
                f"reply to post {draft['reply_to_post_id']}" if draft["reply_to_post_id"] else "reflection"
            )
            lines += [
                f"### Draft {where}: {draft['prompt']['title']}",
                "",
                f"- Course: {draft['course']}",
                f"- Lesson: {draft['lesson']}",
                f"- Last saved: {draft['updated_at']}",
                "",
                draft["body"].strip() or "_(no text)_",
                "",
                "---",
                "",
            ]
    return [*lines, ""]


def describe(counts: dict[str, int]) -> list[tuple[str, str]]:
    return [
        (
            "Your reflections and replies",
            f" ({counts.get('posts', 0)} now), each with its activity, lesson and course, whether it is a "
            "reply and to whom, its text as you wrote it (Markdown), whether it is private, and when it "
            "was posted, shared, highlighted, edited, deleted or hidden.",
        ),
        ("Activities you wrote", ", if you are a facilitator."),
        ("Your likes:", " which posts you liked, when, and what you said helped you."),
        ("Your drafts:", " what you had typed in a composer and not yet posted, and when it was saved."),
    ]


def delete_account_content(user, remove_posts: bool) -> None:
    """Take back the member's likes with exact counts and delete their drafts; with
    ``remove_posts`` delete every post they wrote as the author's own delete does (a placeholder
    stays only where others replied)."""
    Draft.objects.filter(user=user).delete()
    if remove_posts:
        # Newest first, so that their own replies go before the posts they answer and a post of
        # theirs answered only by themselves is removed rather than left as a placeholder.
        for post in Reflection.objects.filter(author=user).live().order_by("-created_at", "-id"):
            delete_reflection(reflection=post)
    for post in Reflection.objects.filter(likes__user=user).only("pk"):
        unlike_reflection(reflection=post, user=user)


def own_post_counts(user) -> dict[str, int]:
    """How many live posts the member has, and how many of them others replied to (one query)."""
    return (
        Reflection.objects.filter(author=user)
        .live()
        .aggregate(
            posts=Count("pk"),
            answered=Count(
                "pk",
                filter=Q(pk__in=Reflection.objects.live().exclude(author=user).values("parent_id"))
                | Q(pk__in=Reflection.objects.live().exclude(author=user).values("thread_id")),
            ),
        )
    )


def register() -> None:
    member_data.register_export_part(
        member_data.ExportPart(
            name="community",
            sections=("reflections", "prompts", "likes", "drafts"),
            export=export,
            markdown=markdown,
            describe=describe,
        )
    )
    member_data.register_deletion_handler("community", delete_account_content)
    member_data.register_summary_counts("community", own_post_counts)

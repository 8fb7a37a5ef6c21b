"""The community app's part of a member's own data (see ``accounts.member_data``): their
reflections, replies, prompts and likes in the download, what happens to them when the member
deletes their account, and the post counts the export and delete pages show.
Registered by ``CommunityConfig.ready``."""

from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext

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
    lines = [
        "## " + gettext("Reflections and replies (%(count)s)") % {"count": len(data["reflections"])},
        "",
    ]
    if not data["reflections"]:
        lines += [gettext("You have not posted anything yet."), ""]
    for post in data["reflections"]:
        values = {"id": post["id"], "title": post["prompt"]["title"]}
        if post["kind"] == "reply":
            heading = gettext("Reply %(id)s: %(title)s") % values
        else:
            heading = gettext("Reflection %(id)s: %(title)s") % values
        lines += [
            f"### {heading}",
            "",
            "- " + gettext("Course: %(course)s") % {"course": post["course"]},
            "- " + gettext("Lesson: %(lesson)s") % {"lesson": post["lesson"]},
            "- " + gettext("Posted: %(moment)s") % {"moment": post["created_at"]},
        ]
        if post["in_reply_to"]:
            reply_to = post["in_reply_to"]
            lines.append(
                "- "
                + gettext("In reply to post %(id)s by %(author)s (thread %(thread)s)")
                % {"id": reply_to["id"], "author": reply_to["author"], "thread": post["thread_id"]}
            )
        if post["edited_at"]:
            lines.append("- " + gettext("Edited: %(moment)s") % {"moment": post["edited_at"]})
        if post["content_note"]:
            lines.append("- " + gettext("Content note: %(note)s") % {"note": post["content_note"]})
        if post["private"]:
            lines.append("- " + gettext("Private: only you can see it (not shared with the course)"))
        if post["shared_at"]:
            lines.append(
                "- "
                + gettext("Shared with the course: %(moment)s (saved privately first)")
                % {"moment": post["shared_at"]}
            )
        if post["highlighted_at"]:
            lines.append(
                "- "
                + gettext("Highlighted by the facilitator: %(moment)s") % {"moment": post["highlighted_at"]}
            )
        if post["hidden_at"]:
            lines.append("- " + gettext("Hidden by a moderator: %(moment)s") % {"moment": post["hidden_at"]})
        if post["deleted_at"]:
            lines.append("- " + gettext("Deleted: %(moment)s") % {"moment": post["deleted_at"]})
        lines.append("")
        lines += [post["body"].strip() or _no_text(), "", "---", ""]
    if data["prompts"]:
        lines += ["## " + gettext("Activities you wrote (%(count)s)") % {"count": len(data["prompts"])}, ""]
        for prompt in data["prompts"]:
            lines += [
                "### "
                + gettext("Activity %(id)s: %(title)s") % {"id": prompt["id"], "title": prompt["title"]},
                "",
                "- " + gettext("Course: %(course)s") % {"course": prompt["course"]},
                "- " + gettext("Lesson: %(lesson)s") % {"lesson": prompt["lesson"]},
                "- " + gettext("Created: %(moment)s") % {"moment": prompt["created_at"]},
                "",
                prompt["body"].strip() or _no_text(),
                "",
                "---",
                "",
            ]
    lines += ["## " + gettext("Likes (%(count)s)") % {"count": len(data["likes"])}, ""]
    lines += [_like_line(like) for like in data["likes"]] or [gettext("None.")]
    drafts = data.get("drafts", [])
    if drafts:
        lines += ["", "## " + gettext("Drafts not posted (%(count)s)") % {"count": len(drafts)}, ""]
        for draft in drafts:
            values = {"id": draft["reply_to_post_id"], "title": draft["prompt"]["title"]}
            if draft["reply_to_post_id"]:
                heading = gettext("Draft reply to post %(id)s: %(title)s") % values
            else:
                heading = gettext("Draft reflection: %(title)s") % values
            lines += [
                f"### {heading}",
                "",
                "- " + gettext("Course: %(course)s") % {"course": draft["course"]},
                "- " + gettext("Lesson: %(lesson)s") % {"lesson": draft["lesson"]},
                "- " + gettext("Last saved: %(moment)s") % {"moment": draft["updated_at"]},
                "",
                draft["body"].strip() or _no_text(),
                "",
                "---",
                "",
            ]
    return [*lines, ""]


def _no_text() -> str:
    # Translators: Markdown italics (the underscores) for a post without text in a download.
    return gettext("_(no text)_")


def _like_line(like: dict) -> str:
    values = {"id": like["post_id"], "moment": like["created_at"], "reason": like.get("reason")}
    if like.get("reason"):
        return "- " + gettext("Post %(id)s, liked %(moment)s. What helped you: %(reason)s") % values
    return "- " + gettext("Post %(id)s, liked %(moment)s") % values


def describe(counts: dict[str, int]) -> list[tuple[str, str]]:
    # Translators: each pair is a bold term and the rest of its line, as in "Your likes: which posts…".
    return [
        (
            gettext("Your reflections and replies"),
            gettext(
                " (%(count)s now), each with its activity, lesson and course, whether it is a "
                "reply and to whom, its text as you wrote it (Markdown), whether it is private, and when it "
                "was posted, shared, highlighted, edited, deleted or hidden."
            )
            % {"count": counts.get("posts", 0)},
        ),
        (gettext("Activities you wrote"), gettext(", if you are a facilitator.")),
        (gettext("Your likes:"), gettext(" which posts you liked, when, and what you said helped you.")),
        (
            gettext("Your drafts:"),
            gettext(" what you had typed in a composer and not yet posted, and when it was saved."),
        ),
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

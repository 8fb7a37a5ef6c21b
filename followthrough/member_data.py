"""Follow-through's part of a member's own data (see ``accounts.member_data``): their "Come back to
this" plans. Deleting the account deletes them and the reader counts of their posts (nobody is
reminded or counted for a former member). Registered by ``FollowthroughConfig.ready``."""

from typing import Any

from django.utils.translation import gettext as _

from accounts import member_data
from followthrough.models import Plan, ReadCount


def export(user) -> dict[str, Any]:
    """One query."""
    plans = Plan.objects.filter(user=user).order_by("created_at", "id")
    return {
        "follow_up_plans": [
            {
                "post_id": plan.reflection_id,
                "due_on": plan.due_on.isoformat(),
                "reminded_at": plan.reminded_at.isoformat() if plan.reminded_at else None,
                "followed_up_at": plan.followed_up_at.isoformat() if plan.followed_up_at else None,
            }
            for plan in plans
        ]
    }


def markdown(data: dict[str, Any]) -> list[str]:
    # Translators: a heading of the Markdown data download; the count is in brackets.
    heading = _("Reflections you chose to come back to (%(count)s)") % {"count": len(data["follow_up_plans"])}
    lines = [f"## {heading}", ""]
    for plan in data["follow_up_plans"]:
        values = {"post": plan["post_id"], "date": plan["due_on"]}
        if plan["followed_up_at"]:
            lines.append("- " + _("Post %(post)s, on %(date)s, followed up") % values)
        else:
            lines.append("- " + _("Post %(post)s, on %(date)s") % values)
    if not data["follow_up_plans"]:
        lines.append(_("None."))
    return [*lines, ""]


def describe(counts: dict[str, int]) -> list[tuple[str, str]]:
    return [
        (
            _("Come back to this"),
            # Translators: follows the bold "Come back to this" in the list of what the download holds.
            _(": the reflections you chose to come back to, the day, and whether you did."),
        )
    ]


def delete(user, remove_posts: bool) -> None:
    Plan.objects.filter(user=user).delete()
    ReadCount.objects.filter(author=user).delete()


def register() -> None:
    member_data.register_export_part(
        member_data.ExportPart(
            name="followthrough",
            sections=("follow_up_plans",),
            export=export,
            markdown=markdown,
            describe=describe,
        )
    )
    member_data.register_deletion_handler("followthrough", delete)

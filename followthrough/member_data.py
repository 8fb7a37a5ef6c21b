"""Follow-through's part of a member's own data (see ``accounts.member_data``): their "Come back to
this" plans. Deleting the account deletes them and the reader counts of their posts (nobody is
reminded or counted for a former member). Registered by ``FollowthroughConfig.ready``."""

from typing import Any

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
    lines = [f"## Reflections you chose to come back to ({len(data['follow_up_plans'])})", ""]
    for plan in data["follow_up_plans"]:
        done = ", followed up" if plan["followed_up_at"] else ""
        lines.append(f"- Post {plan['post_id']}, on {plan['due_on']}{done}")
    if not data["follow_up_plans"]:
        lines.append("None.")
    return [*lines, ""]


def describe(counts: dict[str, int]) -> list[tuple[str, str]]:
    return [
        ("Come back to this", ": the reflections you chose to come back to, the day, and whether you did.")
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

"""The moderation app's part of a member's own data (see ``accounts.member_data``): the reports
they made. Reports stay when the account is deleted (moderators' decisions refer to them; the
reporter is then "Former member"), so there is no deletion handler.
Registered by ``ModerationConfig.ready``."""

from typing import Any

from accounts import member_data
from moderation.models import Flag


def export(user) -> dict[str, Any]:
    """One query."""
    flags = Flag.objects.filter(reporter=user).order_by("created_at", "id")
    return {
        "reports": [
            {
                "post_id": flag.reflection_id,
                "reason": flag.reason,
                "reason_label": flag.get_reason_display(),
                "note": flag.note,
                "status": flag.status,
                "created_at": flag.created_at.isoformat(),
            }
            for flag in flags
        ]
    }


def markdown(data: dict[str, Any]) -> list[str]:
    lines = [f"## Reports you made ({len(data['reports'])})", ""]
    for report in data["reports"]:
        note = f": {report['note']}" if report["note"] else ""
        lines.append(f"- Post {report['post_id']}, {report['reason_label']}{note} ({report['created_at']})")
    if not data["reports"]:
        lines.append("None.")
    return [*lines, ""]


def describe(counts: dict[str, int]) -> list[tuple[str, str]]:
    return [("Your reports", " to moderators: the post, the reason, your note and when you sent it.")]


def register() -> None:
    member_data.register_export_part(
        member_data.ExportPart(
            name="moderation", sections=("reports",), export=export, markdown=markdown, describe=describe
        )
    )

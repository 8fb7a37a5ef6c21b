"""The moderation app's part of a member's own data (see ``accounts.member_data``): the reports
they made. Reports stay when the account is deleted (moderators' decisions refer to them; the
reporter is then "Former member"), so there is no deletion handler.
Registered by ``ModerationConfig.ready``."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    count = len(data["reports"])
    # Translators: a heading of the Markdown data download.
    lines = [
        "## "
        + ngettext("Reports you made (%(count)s)", "Reports you made (%(count)s)", count) % {"count": count},
        "",
    ]
    for report in data["reports"]:
        values = {
            "post": report["post_id"], "reason": report["reason_label"], "note": report["note"],
            "date": report["created_at"],
        }  # fmt: skip
        if report["note"]:
            lines.append("- " + _("Post %(post)s, %(reason)s: %(note)s (%(date)s)") % values)
        else:
            lines.append("- " + _("Post %(post)s, %(reason)s (%(date)s)") % values)
    if not data["reports"]:
        lines.append(_("None."))
    return [*lines, ""]


def describe(counts: dict[str, int]) -> list[tuple[str, str]]:
    # Translators: the data download page's list item, in two parts: a bold lead ("Your reports"),
    # then the rest of the sentence, which starts with a space.
    return [(_("Your reports"), _(" to moderators: the post, the reason, your note and when you sent it."))]


def register() -> None:
    member_data.register_export_part(
        member_data.ExportPart(
            name="moderation", sections=("reports",), export=export, markdown=markdown, describe=describe
        )
    )

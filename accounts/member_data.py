"""What other apps keep about a member, for the pages about a member's own data.

accounts owns the member but not their content: reflections, likes and reports live in apps that
depend on accounts, never the other way round. So each content app registers here, from its
``AppConfig.ready``, what it holds about a member:

- an **export part**: the sections it adds to the data download (``export``: user → {section: JSON-ready
  data}), how those sections read in the Markdown download, and how the export page describes them;
- an **account deletion handler**: what it does with its rows when the member deletes their account
  (called inside ``delete_account``'s transaction, before the user row is anonymised);
- **summary counts**: a few numbers the export and delete pages show ("12 posts now");
- a **download** of the member's own records in another form, offered on the learning log beside
  its exports (the learning records' xAPI statements).

Everything runs in registration order, which is ``INSTALLED_APPS`` order because Django calls
``ready()`` in that order: the download's sections come out in the order the apps are listed, and
an app's deletion handler runs before those of the apps that build on it. A name registered again
replaces the earlier entry in place (so a re-run ``ready()`` never doubles anything up).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User

Sections = dict[str, Any]
Counts = dict[str, int]


@dataclass(frozen=True)
class ExportPart:
    """One app's share of the data download.

    ``sections`` names the top-level keys ``export`` returns, in the order they appear in the JSON;
    no two parts may claim the same key. ``markdown`` gets those sections (as exported, or read
    back from a JSON download) and returns the lines of its part of the Markdown document, ending
    with a blank line. ``describe`` gets the summary counts and returns the export page's list
    items as (bold lead, rest of the sentence) pairs.
    """

    name: str
    sections: tuple[str, ...]
    export: Callable[["User"], Sections]
    markdown: Callable[[Sections], list[str]]
    describe: Callable[[Counts], list[tuple[str, str]]] = lambda counts: []  # noqa: E731


DeletionHandler = Callable[["User", bool], None]  # (user, remove_posts); the caller holds the user's row lock
SummaryCounts = Callable[["User"], Counts]

_export_parts: dict[str, ExportPart] = {}
_deletion_handlers: dict[str, DeletionHandler] = {}
_summary_counts: dict[str, SummaryCounts] = {}


def register_export_part(part: ExportPart) -> None:
    for other in _export_parts.values():
        clash = set(part.sections) & set(other.sections)
        if other.name != part.name and clash:
            raise ValueError(f"Export part {part.name!r} claims {sorted(clash)}, already {other.name!r}'s")
    _export_parts[part.name] = part


def register_deletion_handler(name: str, handler: DeletionHandler) -> None:
    _deletion_handlers[name] = handler


def register_summary_counts(name: str, counts: SummaryCounts) -> None:
    _summary_counts[name] = counts


def export_parts() -> list[ExportPart]:
    return list(_export_parts.values())


def deletion_handlers() -> list[DeletionHandler]:
    return list(_deletion_handlers.values())


def summary_counts(user: "User") -> Counts:
    """Every registered app's counts for ``user``, merged into one dict for the templates."""
    counts: Counts = {}
    for count in _summary_counts.values():
        counts.update(count(user))
    return counts


@dataclass(frozen=True)
class Download:
    """A download of the member's own records that another app serves (``url_name``, no arguments:
    the view reads the signed-in member), offered where a member downloads their words. Shown
    while ``offered()`` says so (e.g. only when learning records are switched on)."""

    name: str
    label: str
    url_name: str
    offered: Callable[[], bool] = lambda: True


_downloads: dict[str, Download] = {}


def register_download(download: Download) -> None:
    _downloads[download.name] = download


def downloads() -> list[Download]:
    """The registered downloads on offer now, in registration order."""
    return [download for download in _downloads.values() if download.offered()]

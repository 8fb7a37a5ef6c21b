"""The prompt library's figures on the facilitator worklist (``/facilitate/``, insights' page), a
section registered with ``community.worklist_sections``."""

from dataclasses import dataclass

from django.urls import reverse

from facilitation.permissions import can_keep_a_library
from facilitation.queries import LibraryEntry, library_figures


@dataclass
class LibrarySection:
    entries: list[LibraryEntry]
    library_url: str
    template: str = "facilitation/_library_section.html"


def library_section(*, user) -> LibrarySection | None:
    """Shown to those who keep a library and have something in it (one query when empty)."""
    if not can_keep_a_library(user):
        return None
    entries = library_figures(user)
    if not entries:
        return None
    return LibrarySection(entries=entries, library_url=reverse("facilitation:library"))

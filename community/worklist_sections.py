"""Sections that apps add to the facilitator's worklist (``/facilitate/``, insights): insights reads
them here and an app beside it (facilitation: the prompt library) registers one, so neither leaf
imports the other. A section is a function ``(user) -> object with .template, or None``."""

WORKLIST_SECTIONS: list = []


def register_worklist_section(section) -> None:
    if section not in WORKLIST_SECTIONS:
        WORKLIST_SECTIONS.append(section)


def worklist_sections(*, user) -> list:
    """The registered sections that have something to show ``user``, in registration order."""
    return [shown for section in WORKLIST_SECTIONS if (shown := section(user=user))]

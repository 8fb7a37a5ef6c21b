"""Sections that apps add to an activity's Insights page: insights reads them here, and an app
beside it (lti: the learning platform's gradebook) registers one, so neither leaf imports the
other. A section is a function ``(prompt, learners, viewer) -> object with .template, or None``, where
``learners`` are the page's rows (``user_id``, ``name``, ``handle``, ``cohort``) and ``viewer`` the
member reading the page (a section reading posts asks ``visible_to(viewer)``; issue 25)."""

INSIGHT_SECTIONS: list = []


def register_insight_section(section) -> None:
    if section not in INSIGHT_SECTIONS:
        INSIGHT_SECTIONS.append(section)


def insight_sections(*, prompt, learners, viewer=None) -> list:
    """The registered sections that have something to show for ``prompt``, in registration order."""
    return [
        shown
        for section in INSIGHT_SECTIONS
        if (shown := section(prompt=prompt, learners=learners, viewer=viewer))
    ]

"""The name a reflection's author goes by where facilitation shows it (the offer's notice, a quote
in a summary, the summary's list of quotable posts): one place, through ``community.bylines``
(an anonymous post is named as the viewer may know it: "Colleague 4")."""

from community import bylines


def shown_author_name(reflection, *, viewer) -> str:
    """The author's name as ``viewer`` (the member the words are for) may know it. Posts read
    through ``visible_to`` are masked for their reader already; the offer's post is read by id in
    the worker and named here for the offered colleague."""
    return bylines.shown_name(viewer, reflection)


def knows_author(reflection, *, viewer) -> bool:
    """Whether ``viewer`` may know who wrote ``reflection``: only then may the page's ETag list the
    author's version (a masked author's scope would name them)."""
    return bylines.knows_author(viewer, reflection)

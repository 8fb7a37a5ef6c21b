"""The name a reflection's author goes by where facilitation shows it (the offer's notice, a quote
in a summary, the summary's list of quotable posts): one place, so how authors are named changes
here only.

ANONYMITY HOOK (issue 25 × "anonymous to colleagues", issue 23, on main while this was written):
with ``community.bylines`` present (after the merge) an anonymous post is named as the viewer may
know it ("Colleague 4"); before it, no post is anonymous. Once merged, the ``ImportError`` branch
can go."""

try:
    from community import bylines
except ImportError:  # this branch, before the merge with anonymous posting
    bylines = None


def shown_author_name(reflection, *, viewer) -> str:
    """The author's name as ``viewer`` (the member the words are for) may know it. Posts read
    through ``visible_to`` are masked for their reader already; the offer's post is read by id in
    the worker and named here for the offered colleague."""
    if bylines is not None:
        return bylines.shown_name(viewer, reflection)
    if getattr(reflection, "anonymous", False):
        return "A colleague"
    return reflection.author.display_name


def knows_author(reflection, *, viewer) -> bool:
    """Whether ``viewer`` may know who wrote ``reflection``: only then may the page's ETag list the
    author's version (a masked author's scope would name them)."""
    if bylines is not None:
        return bylines.knows_author(viewer, reflection)
    return not getattr(reflection, "anonymous", False)

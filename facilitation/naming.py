"""The name a reflection's author goes by where facilitation shows it (the offer's notice, a quote
in a summary, the summary's list of quotable posts): one function, so a change to how authors are
named is one line."""


def shown_author_name(reflection, *, viewer=None) -> str:
    """The author's name as ``viewer`` (the member the words are for) may know it."""
    # --- ANONYMITY HOOK (issue 25 × "anonymous to colleagues", on main since this branch began) ---
    # At the merge, with ``Reflection.anonymous`` and ``community.bylines``, this becomes:
    #     from community.bylines import shown_name
    #     return shown_name(viewer, reflection) if viewer is not None else reflection.pseudonym_label
    # (posts read through ``visible_to`` are masked already; the offer's post is read by id in the
    # worker and named for the offered colleague, who may not know the author). Until then an
    # anonymous post (none exist on this branch) is "A colleague", never its author's name.
    if getattr(reflection, "anonymous", False):
        return "A colleague"
    # --- end hook ----------------------------------------------------------------------------------
    return reflection.author.display_name


def knows_author(reflection, *, viewer) -> bool:
    """Whether ``viewer`` may know who wrote ``reflection`` (then the page's ETag may list the
    author's version; a masked author's must not appear, not even as a scope)."""
    # --- ANONYMITY HOOK: at the merge, ``return community.bylines.knows_author(viewer, reflection)``.
    return not getattr(reflection, "anonymous", False)

"""The name a reflection's author goes by where facilitation shows it (the offer's notice, a quote
in a summary): one function, so a change to how authors are named is one line."""


def shown_author_name(reflection) -> str:
    # --- ANONYMITY HOOK (issue 25 × "anonymous to colleagues", the lead's branch) -----------------
    # When ``Reflection`` gains its ``anonymous`` flag, return the post's pseudonym here (the
    # function that feature names authors with). Until then an anonymous post (none exist on this
    # branch) is "A colleague", never its author's name.
    if getattr(reflection, "anonymous", False):
        return "A colleague"
    # --- end hook ----------------------------------------------------------------------------------
    return reflection.author.display_name

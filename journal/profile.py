"""A link to the learning log on the member's own profile (an ``accounts.profile_sections``
section): no query, and nothing for anyone else's profile."""


def log_section(viewer, member, request) -> dict | None:
    if not viewer.is_authenticated or viewer.pk != member.pk:
        return None
    return {"template": "journal/_profile_log.html", "context": {}}

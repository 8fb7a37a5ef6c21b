"""Who may do what in a community space. Views turn a False into PermissionDenied (or a 404
where even the post's existence should not be revealed). Each reads the viewer's facts from their
``Viewer`` (``lessons.viewers.viewer_of``), worked out once per request."""

from community.models import Prompt, Reflection
from community.querysets import reads_reflections_in
from lessons.viewers import viewer_of


def can_participate(user) -> bool:
    """Signed in, active and not suspended: may post, reply, like and report."""
    return viewer_of(user).participates


def takes_part_in(user, prompt: Prompt) -> bool:
    """Enrolled in the activity's course (or facilitating it, moderating, staff)."""
    return viewer_of(user).takes_part(prompt.lesson.course_id)


def can_post(user, prompt: Prompt) -> bool:
    return can_participate(user) and not prompt.is_locked and takes_part_in(user, prompt)


def can_reply(user, reflection: Reflection) -> bool:
    """Not to a private reflection (its author shares it first: private posts have no replies)."""
    return (
        can_post(user, reflection.prompt)
        and not reflection.is_deleted
        and not reflection.is_hidden
        and not reflection.is_private
    )


def can_like(user, reflection: Reflection) -> bool:
    return (
        can_participate(user)
        and reflection.author_id != user.pk
        and not reflection.is_deleted
        and not reflection.is_hidden
        and not reflection.is_private
        and takes_part_in(user, reflection.prompt)
    )


def can_give_like_reason(user, reflection: Reflection) -> bool:
    """Say (or change, or take back) why one liked a post: whoever may like it. The view checks
    that the like exists."""
    return can_like(user, reflection)


def can_report_like_reason(user, like) -> bool:
    """Only the post's author reads a like's reason (besides its writer), so the author reports it."""
    return (
        can_participate(user)
        and like.reflection.author_id == user.pk
        and like.user_id != user.pk
        and bool(like.reason)
    )


def can_report(user, reflection: Reflection) -> bool:
    return (
        can_participate(user)
        and reflection.author_id != user.pk
        and not reflection.is_deleted
        and not reflection.is_private
    )


def can_share(user, reflection: Reflection) -> bool:
    """Share one's private reflection with the course: posting it, so the posting rules apply
    (not while suspended, not in a locked activity, only while taking part in the course)."""
    return (
        reflection.is_private
        and reflection.author_id == user.pk
        and not reflection.is_deleted
        and can_post(user, reflection.prompt)
    )


def offers_anonymity(user, prompt: Prompt) -> str:
    """What the composer says about anonymity to ``user`` in ``prompt``: "allowed" (the checkbox
    "Post anonymously to colleagues"), "always" (every post of theirs is), or "" (nothing: the
    activity has it off, or the member posts as themselves: facilitators, moderators, staff)."""
    setting = prompt.anonymous_posting
    if setting == Prompt.AnonymousPosting.OFF or not user.is_authenticated:
        return ""
    viewer = viewer_of(user)
    if viewer.sees_everything or viewer.moderates or viewer.facilitates(prompt.lesson.course_id):
        return ""
    return setting


def posts_anonymously(user, prompt: Prompt, *, chosen: bool) -> bool:
    """Whether a post by ``user`` in ``prompt`` is anonymous to colleagues: the activity's setting
    and the member's choice (``offers_anonymity``)."""
    offered = offers_anonymity(user, prompt)
    return offered == Prompt.AnonymousPosting.ALWAYS or (
        offered == Prompt.AnonymousPosting.ALLOWED and chosen
    )


def can_highlight(user, reflection: Reflection) -> bool:
    """Mark (or unmark) a shared reflection "Highlighted by the facilitator": the facilitators of
    the course's cohorts, members in the Facilitator role, moderators and staff."""
    if not can_participate(user) or reflection.is_reply or reflection.is_private:
        return False
    if reflection.is_deleted or reflection.is_hidden:
        return False
    viewer = viewer_of(user)
    return (
        viewer.sees_everything or viewer.moderates or viewer.facilitates(reflection.prompt.lesson.course_id)
    )


def can_edit(user, reflection: Reflection) -> bool:
    return can_participate(user) and reflection.author_id == user.pk and not reflection.is_deleted


def can_delete(user, reflection: Reflection) -> bool:
    """Authors may always remove their own words, even while suspended."""
    return user.is_authenticated and reflection.author_id == user.pk and not reflection.is_deleted


def can_read_reflections(user, prompt: Prompt) -> bool:
    """Independent reflection: learners read others' reflections once they have posted their own.
    Asked of the read rule itself (``community.querysets.reads_reflections_in``)."""
    return reads_reflections_in(user, prompt)

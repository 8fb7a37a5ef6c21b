"""Who wrote a post, as the viewer may know it (issue 23: anonymous to colleagues).

A post written "anonymously to colleagues" keeps its real author (``author_id``: permissions,
counts, notices to the author and moderation work as for any post), but a viewer who may not know
who wrote it reads it with a stand-in author, ``Colleague``: "Colleague 4", no handle, no profile
link, no post count, no role. Who knows the name: the author ("You (posted anonymously)"), the
facilitators of one of the course's cohorts, and members who see everything (facilitators,
moderators, staff), who read "shown to colleagues as Colleague 4".

The swap is made where posts are read: ``ReflectionQuerySet.visible_to`` hands out querysets that
mask what they fetch (``querysets.ReflectionQuerySet._fetch_all``), so a page, a fragment, a search
result, a notice or an export that reads through the one read rule never holds the name; reads
that load posts another way call ``mask`` themselves. A masked post has ``pseudonymous = True``,
and its ``author`` is the stand-in: templates show ``post.author.display_name`` as they always did.
Templates must not print ``author_id`` (it stays real, for the viewer's own-post checks).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from lessons.viewers import viewer_of


@dataclass(frozen=True)
class Colleague:
    """The author of an anonymous post as colleagues see it: a name and nothing to follow."""

    number: int
    pk = None
    id = None
    handle = ""
    email = ""
    post_count = None
    role = ""
    role_names = frozenset()
    is_active = True
    is_pseudonym = True

    @property
    def display_name(self) -> str:
        # Translators: the name an anonymous author has for colleagues in one activity.
        return gettext("Colleague %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return ""

    def __str__(self) -> str:
        return self.display_name


def _course_of(post) -> int | None:
    """The post's course id when the rows read with it hold it (no query), else None."""
    prompt = post._state.fields_cache.get("prompt")
    if prompt is None:
        return None
    lesson = prompt._state.fields_cache.get("lesson")
    return lesson.course_id if lesson is not None else None


def knows_author(user, post, *, course_id: int | None = None) -> bool:
    """Whether ``user`` may know who wrote ``post``: every post but an anonymous one; an anonymous
    one, its author, the course's facilitators, and facilitators, moderators and staff."""
    if not post.anonymous:
        return True
    if not user.is_authenticated:
        return False
    if post.author_id == user.pk:
        return True
    viewer = viewer_of(user)
    if viewer.sees_everything or viewer.moderates:
        return True
    if course_id is None:
        course_id = _course_of(post)
    if course_id is None:
        from community.models import Prompt

        course_id = (
            Prompt.objects.filter(pk=post.prompt_id).values_list("lesson__course_id", flat=True).first()
        )
    return course_id is not None and viewer.facilitates(course_id)


def mask_post(post, user, *, course_id: int | None = None) -> None:
    """Give ``post`` (and the post it answers, and its thread, when read with it) the stand-in
    author if ``user`` may not know who wrote it. Idempotent."""
    for each in (post, post._state.fields_cache.get("parent"), post._state.fields_cache.get("thread")):
        if each is None or getattr(each, "pseudonymous", False):
            continue
        if "anonymous" not in each.__dict__:  # read without it (``only``/``defer``)
            if "author" not in each._state.fields_cache:
                # Nor with its author: nothing of them to show. (A read that shows authors
                # reads ``anonymous`` with them; the leak-hunting test walks every page.)
                continue
            each.refresh_from_db(fields=["anonymous", "pseudonym"])
        if not each.anonymous:
            continue
        if knows_author(user, each, course_id=course_id):
            each.pseudonymous = False
            continue
        each.pseudonymous = True
        # The relation's cache, not ``each.author = …`` (which would set ``author_id`` to the
        # stand-in's None): the row keeps its real author for permissions and services.
        each._state.fields_cache["author"] = Colleague(each.pseudonym or 0)


def mask(posts: Iterable, user, *, course_id: int | None = None) -> None:
    """``mask_post`` each of ``posts``."""
    for post in posts:
        mask_post(post, user, course_id=course_id)


def pseudonymous(post) -> bool:
    """Whether ``post`` was masked for the viewer it was read for."""
    return getattr(post, "pseudonymous", False)


def shown_name(user, post) -> str:
    """The author's name as ``user`` may read it: "Colleague 4" or their display name."""
    if pseudonymous(post) or not knows_author(user, post):
        return post.pseudonym_label or gettext("A colleague")
    return post.author.display_name

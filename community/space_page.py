"""The community space page and the thread page, built once in Python: prompts, threads, replies,
counts, the composer, and for each post the actions the viewer may take (``post_actions``). Views
and htmx fragments take their context from here; templates only read it.

The page runs a fixed number of queries whatever the space's size.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.models import User, role_names_column
from accounts.roles import sees_everything
from community import bylines, keyset, permissions, scaffolds, services
from community.composer_fields import composer_fields
from community.forms import ReflectionForm, initial_from_draft
from community.models import Draft, Prompt, Reflection
from community.post_actions import PageViewer, PostUrls, annotate_posts, load_likes, viewer_for
from community.querysets import THREAD_ORDERS, arrived_after
from core import compiled, versions
from core.conditional import Shown
from core.ratelimits import TOO_MANY_REQUESTS, is_rate_limited
from lessons.models import Lesson
from lessons.viewers import viewer_of

NEW_COUNT_SHOWN = 99  # "99+ new since your last visit"


# Translators: the orders of an activity's posts ("Sort by: Oldest").
SORTS = {
    "oldest": pgettext_lazy("sort order", "Oldest"),
    "newest": pgettext_lazy("sort order", "Newest"),
    "liked": pgettext_lazy("sort order", "Most liked"),
    "highlighted": pgettext_lazy("sort order", "Highlighted"),
    "mine": pgettext_lazy("sort order", "Mine"),
}


def stored_count_applies(user, prompt: Prompt, course) -> bool:
    """Whether ``prompt.reflection_count`` (live, shared, shown top-level reflections) is what
    ``user`` may count there, give or take the viewer's own private or hidden posts (and, for a
    moderator, the hidden ones; ``uncounted_visible``): true unless the course's learners see only
    their cohort or the activity is independent reflection, for a viewer who does not see
    everything. There a stored number would tell them about posts they may not read."""
    if sees_everything(user):
        return True
    return course.learners_see == course.LearnersSee.COURSE and not prompt.independent_reflection


def uncounted_visible(user, prompt: Prompt) -> tuple[int, int]:
    """The top-level posts of ``prompt`` that ``user`` sees but ``reflection_count`` leaves out:
    (the live ones they may read: their own private or hidden ones, a moderator's hidden ones,
    the facilitator-only ones they may read;
    and all the page lists, with the placeholders of removed posts that still have replies and of
    hidden reflections whose replies stay), in one query on a small partial index
    (``reflection_uncounted``)."""
    extra = (
        Q(is_private=True) | ~Q(audience="course") | Q(hidden_at__isnull=False) | Q(deleted_at__isnull=False)
    )
    readable = Q(deleted_at__isnull=True)
    if not viewer_of(user).moderates:  # a placeholder is no reflection the viewer reads
        readable &= Q(hidden_at__isnull=True) | Q(author_id=user.pk if user.is_authenticated else None)
    rows = compiled.run(
        ("uncounted", *Reflection.objects.rule_key(user, within=prompt, placeholders=True)),
        lambda: (
            Reflection.objects.visible_to(user, within=prompt, placeholders=True)
            .top_level()
            .filter(extra)
            .order_by()
            .values("prompt_id")
            .annotate(live=Count("pk", filter=readable), shown=Count("pk"))
        ),
        {},
    )
    return (rows[0]["live"], rows[0]["shown"]) if rows else (0, 0)


def prompt_counts(user, prompts: list[Prompt], course) -> None:
    """Set ``prompt.shown_count`` on each: its stored ``reflection_count`` where that applies to
    the viewer (``stored_count_applies``), else its live top-level reflections that ``user`` may
    see (``ReflectionQuerySet.counted``), those in one query (none when every count is stored)."""
    exact = [prompt for prompt in prompts if not stored_count_applies(user, prompt, course)]
    counts = {}
    if exact:
        counts = Reflection.objects.visible_to(user).counted().filter(prompt__in=exact).count_by_prompt()
    for prompt in prompts:
        prompt.count_is_stored = prompt not in exact
        prompt.shown_count = prompt.reflection_count if prompt.count_is_stored else counts.get(prompt.pk, 0)


def colleagues_reflected(user, prompt: Prompt) -> int:
    """Under independent reflection, how many other members have reflected (people, not posts:
    the gate shows no text and no post count): the distinct authors of the live, shared, shown
    reflections the viewer will read once they have posted (``visible_to(as_if_answered=True)``),
    so never a colleague of another cohort, or one the viewer would not read anyway."""
    others = (
        Reflection.objects.visible_to(user, as_if_answered=True)
        .counted()
        .filter(prompt=prompt, hidden_at__isnull=True, is_private=False)
    )
    if user.is_authenticated:
        others = others.exclude(author_id=user.pk)
    return others.values("author_id").distinct().count()


# Apps to the right of community add to the space page through these, so community never imports
# them: each is called with the built SpacePage (notifications adds its Follow controls).
PAGE_EXTENSIONS: list = []


def register_page_extension(extension):
    """Register ``extension(space: SpacePage) -> None``; it may set attributes on the prompt and
    the threads, in a fixed number of queries."""
    if extension not in PAGE_EXTENSIONS:
        PAGE_EXTENSIONS.append(extension)
    return extension


# --- Prompt flags (issue 25, facilitation) ---------------------------------------------------------
# Apps to the right of community annotate each prompt of the page with a flag read in the prompts'
# own query (``build_space``), so a page extension asks nothing when its flag is false (facilitation:
# "has a summary"). Each is ``(name, expression(user))``; the expression must read only tables
# whose writes move the prompt's ``space:`` version (``core.versions``).
PROMPT_FLAGS: dict = {}


def register_prompt_flag(name: str, expression) -> None:
    PROMPT_FLAGS[name] = expression


def _registered_flags(user) -> dict:
    return {name: expression(user) for name, expression in PROMPT_FLAGS.items()}


# --- end prompt flags ------------------------------------------------------------------------------
# A reflection just posted and answered in place (htmx: the composer's new thread) gets what the
# page extensions would add to it on the page: ``extension(user, post) -> None`` (followthrough:
# the author's "Come back to this" under it).
NEW_POST_EXTENSIONS: list = []


def register_new_post_extension(extension):
    if extension not in NEW_POST_EXTENSIONS:
        NEW_POST_EXTENSIONS.append(extension)
    return extension


def extend_new_post(user, post: Reflection) -> Reflection:
    for extension in NEW_POST_EXTENSIONS:
        extension(user, post)
    return post


@dataclass
class SpacePage:
    lesson: Lesson
    prompts: list[Prompt]
    prompt: Prompt | None
    viewer: PageViewer
    order: str = "oldest"
    can_read: bool = True
    can_post: bool = False
    post_blocked_reason: str = ""
    threads: list[Reflection] = field(default_factory=list)
    pages: keyset.PageLinks = field(default_factory=keyset.PageLinks)
    colleague_count: int = 0
    new_count: int = 0  # posts since the viewer's last visit ("what's new"), at most NEW_COUNT_SHOWN
    new_more: bool = False  # …and there are more ("99+ new")
    first_new_url: str = ""
    # Behind independent reflection's gate: the viewer's own private reflections (only theirs).
    private_threads: list[Reflection] = field(default_factory=list)
    # Versions (``core.versions`` scopes) that what page extensions add depends on.
    extension_scopes: set[str] = field(default_factory=set)

    def posts(self) -> list[Reflection]:
        """Every post the page shows, threads and their replies (and the viewer's private ones)."""
        posts = list(self.private_threads)
        for thread in self.threads:
            posts.append(thread)
            posts.extend(thread.replies_shown)
        return posts

    def shown(self, *, records_visit: bool) -> Shown:
        """What this page shows, for its ``ETag`` (``core.conditional``): the spaces of the
        lesson's activities, the course, every member named on it (the activities' and posts'
        authors, the authors of answered posts, those whose like reasons the viewer reads). Not
        the author of an anonymous post the viewer may not know: the page shows nothing of them,
        and the tag lists its scopes' names (``u<id>``)."""
        members = {prompt.author_id for prompt in self.prompts}
        for post in self.posts():
            if not bylines.pseudonymous(post):
                members.add(post.author_id)
            if post.parent_id and not bylines.pseudonymous(post.parent):
                members.add(post.parent.author_id)
        for likes in self.viewer.reasons_received.values():
            members.update(like.user_id for like in likes)
        scopes = {versions.space_scope(prompt.pk) for prompt in self.prompts}
        scopes |= {versions.course_scope(self.lesson.course_id), *map(versions.user_scope, members)}
        scopes |= self.extension_scopes
        user = self.viewer.user
        changes_at = user.standing_changes_at if user.is_authenticated else None
        return Shown(
            scopes=scopes,
            visit=self.prompt.pk if records_visit and self.prompt is not None and self.can_read else None,
            until=changes_at.timestamp() if changes_at else None,
            # "New" markers go once seen: such a page is built each time.
            kept=not self.new_count and not any(getattr(p, "viewer_has_new", False) for p in self.prompts),
        )

    def context(self, **extra) -> dict:
        prompt = self.prompt
        context = {
            "course": self.lesson.course,
            "lesson": self.lesson,
            "prompts": self.prompts,
            "prompt": prompt,
            "viewer": self.viewer,
            "sorts": {
                key: label
                for key, label in SORTS.items()
                if key != "mine" or self.viewer.user.is_authenticated
            },
            "order": self.order,
            "can_read": self.can_read,
            "can_post": self.can_post,
            "post_blocked_reason": self.post_blocked_reason,
            "threads": self.threads,
            "pages": self.pages,
            "colleague_count": self.colleague_count,
            "new_count": self.new_count,
            "new_more": self.new_more,
            "first_new_url": self.first_new_url,
            "private_threads": self.private_threads,
        }
        if prompt is not None and self.can_post and "form" not in extra:
            # The member's draft, if they left one here: read only when the prompt's flag says so.
            has_draft = getattr(prompt, "viewer_has_draft", True)  # read with the prompt
            context["draft"] = draft_for(self.viewer.user, prompt) if has_draft else None
            context["form"] = composer_form(prompt, draft=context["draft"], user=self.viewer.user)
        context.update(extra)
        return context


def composer_form(prompt: Prompt, data=None, *, draft: Draft | None = None, user=None) -> ReflectionForm:
    """The activity's composer: its scaffold's sections and suggested length, and what it offers
    ``user`` about anonymity; bound to ``data`` (a post, a preview, a draft being saved), or
    holding ``draft``'s text."""
    initial = initial_from_draft(scaffolds.sections_for(prompt), draft.fields) if draft else {}
    return ReflectionForm(
        data, label=_("Your reflection"), sections=scaffolds.sections_for(prompt), aim=prompt.suggested_words,
        scaffold_name=scaffolds.scaffold_name(prompt), initial=initial,
        anonymity=permissions.offers_anonymity(user, prompt) if user is not None else "",
        extras=composer_fields(prompt),
    )  # fmt: skip


def composer_preview(request, form: ReflectionForm) -> tuple[dict, int]:
    """The composer's one preview (the Preview button's, with or without JavaScript), as (extra
    context, status): the text rendered and its words, within the preview's limits (length, rate),
    the text kept either way. Also the moderator's edit page's."""
    if is_rate_limited(request, "preview"):
        return {"rate_limited": True}, TOO_MANY_REQUESTS
    text = form.text()
    if len(text) > settings.REFLECTION_MAX_LENGTH:
        form.is_valid()  # shows the "too long" message, text kept
        return {}, 400
    return {"preview_html": services.render_post(text), "preview_words": form.words()}, 200


def draft_for(user, prompt: Prompt, parent: Reflection | None = None) -> Draft | None:
    """The viewer's own draft in this composer (a draft is only ever read by its author)."""
    if not user.is_authenticated:
        return None
    return Draft.objects.filter(user=user, prompt=prompt, parent=parent).first()


def post_blocked_reason(user, prompt: Prompt) -> str:
    """Why the viewer can't post here, in words for the page ("" when they can)."""
    if prompt.is_locked:
        return "locked"
    if not user.is_authenticated:
        return "anonymous"
    if not permissions.can_participate(user):
        return "suspended"
    if not permissions.takes_part_in(user, prompt):
        return "not_enrolled"
    return ""


def build_space(user, lesson: Lesson, *, prompt_id: int | None = None, order: str = "oldest",
                query=None) -> SpacePage:  # fmt: skip
    """The space page of ``lesson``, showing activity ``prompt_id`` (default: the first), at the
    page ``query`` (the request's GET: a keyset cursor, see ``community.keyset``) asks for."""
    prompts = Prompt.objects.filter(lesson=lesson).in_space_order().select_related("author")
    prompts = list(
        prompts.annotate(
            author_role_names=role_names_column("author_id"), **_viewer_flags(user), **_registered_flags(user)
        )
    )
    for item in prompts:
        item.lesson = lesson  # their URLs need no query
        item.author.role_name_list = item.author_role_names
    prompt_counts(user, prompts, lesson.course)
    viewer = viewer_for(user)
    if not prompts:
        return SpacePage(lesson=lesson, prompts=prompts, prompt=None, viewer=viewer)
    prompt = prompts[0] if prompt_id is None else next((p for p in prompts if p.pk == prompt_id), None)
    if prompt is None:
        raise Http404(_("No such activity in this space."))
    if order not in SORTS or (order == "mine" and not user.is_authenticated):
        order = "oldest"
    space = SpacePage(
        lesson=lesson,
        prompts=prompts,
        prompt=prompt,
        viewer=viewer,
        order=order,
        can_read=permissions.can_read_reflections(user, prompt),
        can_post=permissions.can_post(user, prompt),
        post_blocked_reason=post_blocked_reason(user, prompt),
    )
    if not space.can_read:
        space.colleague_count = colleagues_reflected(user, prompt)
        if user.is_authenticated:  # a private reflection does not open the gate; its author sees it
            space.private_threads = list(
                Reflection.objects.visible_to(user)
                .filter(prompt=prompt, author_id=user.pk, is_private=True)
                .live()
                .for_display()
                .order_by("created_at", "id")
            )
            annotate_posts(space.private_threads, viewer, prompt)
        return _extended(space)
    visible = Reflection.objects.visible_to(user, within=prompt)
    # "N new since your last visit", counted up to NEW_COUNT_SHOWN ("99+ new"): a member back after
    # a month in a busy space costs what everyone else does.
    new_ids = []
    if getattr(prompt, "viewer_has_new", False):  # none at all, the common case: no read rule
        new_ids = list(
            _new_posts(user, visible, prompt)
            .order_by("created_at", "id")
            .values_list("pk", flat=True)[: NEW_COUNT_SHOWN + 1]
        )
    space.new_count, space.new_more = min(len(new_ids), NEW_COUNT_SHOWN), len(new_ids) > NEW_COUNT_SHOWN
    if new_ids:
        space.first_new_url = PostUrls()("permalink", new_ids[0])
    position = keyset.read_position(query or {}, THREAD_ORDERS[order])
    space.threads, space.pages, uncounted = read_threads(
        user, visible, prompt, order=order, position=position
    )
    if uncounted is not None:  # the viewer's exact count: stored, plus what it leaves out
        prompt.shown_count += uncounted[0]
    replies = [reply for thread in space.threads for reply in thread.replies_shown]
    attach_authors(space.threads + replies)
    load_likes(viewer, space.threads + replies)
    annotate_posts(space.threads + replies, viewer, prompt)
    if space.new_count:
        new_since = _last_visit(user, prompt)
        for post in space.threads + replies:
            arrived = post.shared_at or post.created_at
            post.is_new = new_since is not None and post.author_id != user.pk and arrived > new_since
    return _extended(space)


def read_threads(
    user, visible, prompt: Prompt, *, order: str, position: keyset.Position
) -> tuple[list[Reflection], keyset.PageLinks, tuple[int, int] | None]:
    """The threads of one page of ``prompt`` that ``user`` sees (``visible``: their
    ``visible_to``), with their first replies (no authors: ``attach_authors``), the page's links,
    and the top-level posts the stored count leaves out that the viewer sees ((live, shown):
    ``uncounted_visible``; None when the count is not stored). Three queries."""
    total = None  # the threads this viewer sees, when known without a COUNT over the space
    uncounted = None
    if prompt.count_is_stored:  # the viewer's exact numbers: stored, plus what the count leaves out
        uncounted = uncounted_visible(user, prompt)
        if order in ("oldest", "newest", "liked"):
            total = prompt.shown_count + uncounted[1]
    per_page = settings.REFLECTIONS_PER_PAGE
    listed = Reflection.objects.visible_to(user, within=prompt, placeholders=True)
    threads = listed.threads_for(prompt, order=order, user=user).for_page()
    key = (*Reflection.objects.rule_key(user, within=prompt, placeholders=True), order, per_page)
    threads, pages = keyset.read_page(
        threads, order_name=order, order=THREAD_ORDERS[order], per_page=per_page, position=position,
        total=total, first_rows=lambda: compiled.run(
            ("threads", *key), lambda: threads[: per_page + 1], {}, per_request=_bylines_for(user, prompt)
        ),
    )  # fmt: skip
    first_replies(visible, threads, key=key, user=user, prompt=prompt)
    return threads, pages, uncounted


def _bylines_for(user, prompt: Prompt):
    """For ``compiled.run``: a compiled read masks authors for this request's viewer."""
    return lambda queryset: queryset.with_bylines_for(user, prompt.lesson.course_id)


# Only what a post's markup and actions show of its author.
AUTHOR_FIELDS = ("id", "handle", "display_name", "post_count", "is_staff", "is_superuser")


def attach_authors(posts: list[Reflection]) -> None:
    """Each post's author, and the author of the post it answers, with their roles, in one query
    (``for_page`` reads posts without them)."""
    if not posts:
        return
    # An anonymous post the viewer may not know keeps its stand-in (community.bylines): its
    # author is neither read nor attached.
    named = [post for post in posts if not bylines.pseudonymous(post)]
    answered = [post.parent for post in posts if post.parent_id and not bylines.pseudonymous(post.parent)]
    wanted = {post.author_id for post in named} | {parent.author_id for parent in answered}
    if not wanted:
        return
    authors = {
        author.pk: author
        for author in User.objects.filter(pk__in=wanted)
        .only(*AUTHOR_FIELDS)
        .annotate(role_name_list=role_names_column())
    }
    for post in named + answered:
        post.author = authors[post.author_id]


def first_replies(
    visible, threads: list[Reflection], *, key: tuple | None = None, user=None, prompt: Prompt | None = None
) -> list[Reflection]:
    """The first ``REPLIES_SHOWN_PER_THREAD`` replies the viewer may see in each of ``threads``,
    in one query, and on each thread ``replies_shown``, ``reply_total`` (the replies the viewer may
    see, counted in the same query by a window over the thread) and ``thread_url`` ("Show all N
    replies"). However lively a thread is, the page holds a few of its replies."""
    shown = settings.REPLIES_SHOWN_PER_THREAD
    in_thread = {"partition_by": [F("thread_id")]}

    def build(thread_ids):
        return (
            visible.filter(thread__in=thread_ids)
            .for_page()
            .annotate(
                position=Window(RowNumber(), order_by=[F("created_at").asc(), F("id").asc()], **in_thread),
                thread_total=Window(Count("pk"), **in_thread),
            )
            .filter(position__lte=shown)
            .order_by("created_at", "id")
        )

    thread_ids = [thread.pk for thread in threads]
    if key is None or not thread_ids:
        replies = list(build(thread_ids))
    else:
        replies = compiled.run(
            ("first_replies", *key, shown), build, {"thread_ids": thread_ids},
            per_request=_bylines_for(user, prompt) if user is not None else None,
        )  # fmt: skip
    by_thread: dict[int, list[Reflection]] = {}
    for reply in replies:
        by_thread.setdefault(reply.thread_id, []).append(reply)
    urls = PostUrls()
    for thread in threads:
        thread.replies_shown = by_thread.get(thread.pk, [])
        thread.reply_total = thread.replies_shown[0].thread_total if thread.replies_shown else 0
        thread.thread_url = urls("thread", thread.pk)
    return replies


def build_thread(user, post: Reflection) -> SpacePage:
    """The thread page: ``post`` (a top-level reflection the viewer may see, with its prompt and
    lesson loaded) with every reply the viewer may see, in a fixed number of queries (the posts in
    one, their authors with their roles in another)."""
    prompt = post.prompt
    viewer = viewer_for(user)
    space = SpacePage(
        lesson=prompt.lesson, prompts=[prompt], prompt=prompt, viewer=viewer,
        can_read=True, can_post=permissions.can_post(user, prompt),
        post_blocked_reason=post_blocked_reason(user, prompt),
    )  # fmt: skip
    posts = list(
        Reflection.objects.visible_to(user, within=prompt, placeholders=True)
        .filter(Q(pk=post.pk) | Q(thread_id=post.pk))
        .for_page()
        .order_by(F("thread_id").asc(nulls_first=True), "created_at", "id")
    )
    if not posts or posts[0].pk != post.pk:  # hidden or removed since it was read
        raise Http404(_("No such post."))
    post, replies = posts[0], posts[1:]
    attach_authors(posts)
    post.replies_shown = replies
    post.reply_total = len(replies)
    space.threads = [post]
    load_likes(viewer, [post, *replies])
    annotate_posts([post, *replies], viewer, prompt)
    return _extended(space)


def _viewer_flags(user) -> dict:
    """Read with each prompt, so the page asks no more: whether anyone else has posted since the
    viewer's last visit (then ``_new_posts`` counts what they may read), whether they left a draft
    there."""
    from community.models import ActivityVisit

    if not user.is_authenticated:
        return {}
    last_visit = ActivityVisit.objects.filter(user_id=user.pk, prompt_id=OuterRef(OuterRef("pk")))
    since = (
        Reflection.objects.filter(prompt_id=OuterRef("pk"), deleted_at__isnull=True)
        .filter(arrived_after(Subquery(last_visit.values("visited_at")[:1])))
        .exclude(author_id=user.pk)
    )
    drafts = Draft.objects.filter(user_id=user.pk, prompt_id=OuterRef("pk"), parent__isnull=True)
    return {
        "viewer_has_new": Exists(since),
        "viewer_has_draft": Exists(drafts),
    }


def _extended(space: "SpacePage") -> "SpacePage":
    for extension in PAGE_EXTENSIONS:
        extension(space)
    return space


def _new_posts(user, visible, prompt: Prompt):
    """``ReflectionQuerySet.new_for`` for one prompt, with the last visit as an uncorrelated
    subquery: PostgreSQL reads it once (an InitPlan) and scans only the posts after it (index
    ``reflection_prompt_since``), instead of looking the visit up again for every post of the
    space. ``visible`` is the viewer's ``visible_to``; ``build_space`` asks only when the prompt's
    ``viewer_has_new`` flag (``_viewer_flags``, no read rule) says that anyone else has posted since."""
    from community.models import ActivityVisit

    if not user.is_authenticated:
        return visible.none()
    last_visit = ActivityVisit.objects.filter(user_id=user.pk, prompt_id=prompt.pk).values("visited_at")[:1]
    return (
        visible.filter(prompt=prompt)
        .live()
        .exclude(author_id=user.pk)
        .filter(arrived_after(Subquery(last_visit)))
    )


def _last_visit(user, prompt: Prompt):
    from community.models import ActivityVisit

    return (
        ActivityVisit.objects.filter(user_id=user.pk, prompt=prompt)
        .values_list("visited_at", flat=True)
        .first()
    )

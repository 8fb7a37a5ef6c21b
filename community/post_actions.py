"""What a viewer may do with each post of a page, worked out once in Python: ``PostActions``
(the buttons and their addresses), the viewer's likes and reasons read for the page in one query.
Templates only read them (no permission logic in templates)."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from community import permissions
from community.models import Like, Prompt, Reflection
from lessons.viewers import Viewer as LessonsViewer
from lessons.viewers import viewer_of

# Links that apps to the right add to each post ("Report", the moderator's page, a like reason's
# report: moderation registers them), so community names none of their URLs.
POST_LINKS: dict[str, str] = {}


def register_post_links(**url_names: str) -> None:
    """Register links of each post by action name: ``report=``, ``moderate=``, ``report_reason=``."""
    POST_LINKS.update(url_names)


class PostUrls:
    """Per-post URLs without a ``reverse()`` per post: each pattern is reversed once."""

    _PLACEHOLDER = 987654321
    _OWN = {
        "like": "community:reflection-like",
        "unlike": "community:reflection-unlike",
        "likes": "community:reflection-likes",
        "reply": "community:reflection-reply",
        "edit": "community:reflection-edit",
        "delete": "community:reflection-delete",
        "history": "community:reflection-history",
        "permalink": "community:post",
        "share": "community:reflection-share",
        "highlight": "community:reflection-highlight",
        "unhighlight": "community:reflection-unhighlight",
        "reason": "community:like-reason",
        "reason_remove": "community:like-reason-remove",
        "thread": "community:thread",
    }

    def __init__(self):
        self._patterns = {
            name: reverse(view, args=[self._PLACEHOLDER])
            for name, view in {**self._OWN, **POST_LINKS}.items()
        }

    def __call__(self, name: str, post_id: int) -> str | None:
        """The address of action ``name`` on post ``post_id``; None for a link no app registered."""
        pattern = self._patterns.get(name)
        return pattern.replace(str(self._PLACEHOLDER), str(post_id)) if pattern else None


@dataclass
class PostActions:
    """What the viewer may do with one post. An action they may not take is None/False."""

    like_url: str | None = None  # shown as the Like button (POST)
    unlike_url: str | None = None  # shown as the pressed Like button (POST)
    liked: bool = False
    likes_url: str | None = None  # "N likes: see who liked this"
    reply_url: str | None = None
    quote_url: str | None = None
    edit_url: str | None = None
    delete_url: str | None = None
    history_url: str | None = None  # the author's own edit history
    report_url: str | None = None
    moderate_url: str | None = None
    own: bool = False  # the viewer wrote it ("only you and the moderators can see it")
    # A hidden reflection the viewer may not read, listed for its replies: no author, no text,
    # no action ("This reflection is hidden while moderators review it").
    placeholder: bool = False
    share_url: str | None = None  # "Share with the course" (the author's private reflection)
    share_anonymity: str = ""  # "allowed": also "Share anonymously with the course" (issue 23)
    highlight_url: str | None = None  # "Highlight" (facilitators, moderators, staff)
    unhighlight_url: str | None = None  # "Remove highlight"
    # Likes that say why: the viewer's own reason (when they liked it), and its form's addresses.
    my_reason: str = ""
    my_reason_html: str = ""
    reason_url: str | None = None  # the "What helped you?" form (GET) and its save (POST)
    reason_remove_url: str | None = None
    # The reasons others gave, for the post's author only: [(Like with .user, report URL or None)].
    reasons: list = field(default_factory=list)

    @property
    def can_like(self) -> bool:
        return self.like_url is not None or self.unlike_url is not None

    @property
    def can_highlight(self) -> bool:
        return self.highlight_url is not None or self.unhighlight_url is not None

    @property
    def can_share(self) -> bool:
        return self.share_url is not None


@dataclass
class PageViewer:
    """The viewer on one page: their facts (``lessons.viewers.Viewer``, worked out once per
    request) and what the page read about them (their likes and reasons)."""

    facts: LessonsViewer
    liked_ids: set[int] = field(default_factory=set)
    # {post id: the viewer's reason}, and {post id: [Like]} of reasons on the viewer's own posts.
    my_reasons: dict[int, tuple[str, str]] = field(default_factory=dict)
    reasons_received: dict[int, list] = field(default_factory=dict)

    @property
    def user(self):
        return self.facts.user

    @property
    def participates(self) -> bool:
        return self.facts.participates

    @property
    def moderates(self) -> bool:
        return self.facts.moderates


def viewer_for(user) -> PageViewer:
    return PageViewer(facts=viewer_of(user))


def post_actions(post: Reflection, viewer: PageViewer, urls: PostUrls | None = None) -> PostActions:
    """The actions ``viewer`` may take on ``post`` (whose ``prompt`` is loaded)."""
    urls = urls or PostUrls()
    user = viewer.user
    actions = PostActions(own=user.is_authenticated and post.author_id == user.pk)
    if post.is_deleted:
        return actions
    if post.is_hidden and not actions.own and not viewer.moderates:
        actions.placeholder = True
        return actions
    if post.like_count:
        actions.likes_url = urls("likes", post.pk)
    if viewer.participates and permissions.can_like(user, post):
        actions.liked = post.pk in viewer.liked_ids
        if actions.liked:
            actions.unlike_url = urls("unlike", post.pk)
            actions.reason_url = urls("reason", post.pk)
            actions.my_reason, actions.my_reason_html = viewer.my_reasons.get(post.pk, ("", ""))
            if actions.my_reason:
                actions.reason_remove_url = urls("reason_remove", post.pk)
        else:
            actions.like_url = urls("like", post.pk)
    if actions.own:
        actions.reasons = [
            (like, urls("report_reason", like.pk) if permissions.can_report_like_reason(user, like) else None)
            for like in viewer.reasons_received.get(post.pk, [])
        ]
    if permissions.can_share(user, post):
        actions.share_url = urls("share", post.pk)
        actions.share_anonymity = permissions.offers_anonymity(user, post.prompt)
    if permissions.can_highlight(user, post):
        if post.highlighted_at is None:
            actions.highlight_url = urls("highlight", post.pk)
        else:
            actions.unhighlight_url = urls("unhighlight", post.pk)
    if permissions.can_reply(user, post):
        actions.reply_url = urls("reply", post.pk)
        actions.quote_url = f"{actions.reply_url}?quote=1"
    if permissions.can_edit(user, post):
        actions.edit_url = urls("edit", post.pk)
    if permissions.can_delete(user, post):
        actions.delete_url = urls("delete", post.pk)
    if post.edited_at and post.author_id == user.pk:
        actions.history_url = urls("history", post.pk)
    if permissions.can_report(user, post):
        actions.report_url = urls("report", post.pk)
    if viewer.moderates:
        actions.moderate_url = urls("moderate", post.pk)
    return actions


def annotate_posts(posts: list[Reflection], viewer: PageViewer, prompt: Prompt) -> None:
    """Attach ``post.actions`` to each post (and the shared prompt, so no query per post)."""
    urls = PostUrls()
    for post in posts:
        post.prompt = prompt
        post.actions = post_actions(post, viewer, urls)


def load_likes(viewer: PageViewer, posts: list[Reflection]) -> None:
    """In one query: which of ``posts`` the viewer liked (and their reasons), and the reasons
    others gave on the viewer's own posts among them (only an author reads those)."""
    user = viewer.user
    if not user.is_authenticated or not posts:
        return
    own_ids = [post.pk for post in posts if post.author_id == user.pk and post.like_count]
    wanted = Q(user_id=user.pk)
    if own_ids:
        wanted |= Q(reflection_id__in=own_ids) & ~Q(reason="")
    likes = (
        Like.objects.filter(wanted, reflection_id__in=[post.pk for post in posts])
        .select_related("user")
        .only(
            "pk",
            "reflection_id",
            "user_id",
            "reason",
            "reason_html",
            "created_at",
            "user__handle",
            "user__display_name",
        )  # fmt: skip
        .order_by("created_at", "pk")
    )
    by_id = {post.pk: post for post in posts}
    for like in likes:
        like.reflection = by_id[like.reflection_id]  # no query per like for its post
        if like.user_id == user.pk:
            viewer.liked_ids.add(like.reflection_id)
            viewer.my_reasons[like.reflection_id] = (like.reason, like.reason_html)
        else:
            viewer.reasons_received.setdefault(like.reflection_id, []).append(like)


def single_post(user, post: Reflection, *, liked: bool | None = None) -> Reflection:
    """One post with its ``actions``, for an htmx fragment (a new reflection or reply, a Like
    button after a click). ``post.prompt`` must be loaded."""
    viewer = viewer_for(user)
    if liked is None or liked:
        load_likes(viewer, [post])
    if liked:
        viewer.liked_ids.add(post.pk)
    elif liked is False:
        viewer.liked_ids.discard(post.pk)
    post.actions = post_actions(post, viewer)
    if not hasattr(post, "replies_shown"):
        post.replies_shown = []
    return post

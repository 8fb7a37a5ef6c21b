"""One rule for who sees what: every read path agrees with ``Reflection.objects.visible_to``.

One world of posts (built once for the module) covers the rule's clauses and their crossings: a
course whose learners see the whole course and one whose learners see their own cohort (two
cohorts), each with an open activity and one with independent reflection, and in them private,
hidden (a placeholder with its replies, and a conversation hidden whole), deleted (a placeholder
with replies) and shared-later
posts, posts by a suspended member, a cohort's facilitator and staff, and a draft lesson.

Every kind of viewer reads it through every read path: the space pages (and the gate's count), the
thread pages, the permalink with "who liked", the reply and report pages, search, the authors'
profiles, the notices list, the member's exports, facilitator insight, the moderation queue and
the counts. Each must show exactly the posts the rule gives that viewer, or a subset the test
names:

- the space page behind a closed gate shows only the viewer's own private reflections, and counts
  the people whose reflections posting will show (``visible_to(as_if_answered=True)``);
- a space page shows no reply whose thread the viewer cannot see;
- search, profiles, the learning log and insight leave out deleted placeholders (no words);
- the learning log holds the viewer's own posts only; the own-data download holds everything the
  member wrote, also what the rule no longer shows them (their right of access, decision 26);
- insight is only for those who may open it, and counts its roster's posts.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Suspension, User
from community import bylines, services
from community.models import Like, Prompt, Reflection
from community.querysets import reads_reflections_in
from community.space_page import colleagues_reflected
from lessons.models import Course
from moderation import services as moderation
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]

WORD = "quokka"  # in every post's text, so one search finds them all

VIEWERS = [
    "anonymous",
    "author",
    "learner",
    "other_cohort",
    "learner_not_reflected",
    "suspended",
    "cohort_facilitator",
    "facilitator",
    "moderator",
    "staff",
]
# (viewer, COMMUNITY_PUBLIC_READING): the setting changes nothing for members who are signed in.
CASES = [(name, False) for name in VIEWERS] + [("anonymous", True)]
CASE_IDS = [f"{name}{'-public' if public else ''}" for name, public in CASES]
with_each_viewer = pytest.mark.parametrize(("name", "public_reading"), CASES, ids=CASE_IDS)

POST = re.compile(r'<article class="post[^"]*" id="post-(\d+)"')
GATE_COUNT = re.compile(r"(\d+) colleagues? ha(?:s|ve) reflected — add yours to read theirs")
SEARCH_HIT = re.compile(r'<a href="/posts/(\d+)/">(?:Reply|Reflection) by ')
PROFILE_ITEM = re.compile(r'<li class="profile-activity__item" id="activity-\d+" data-post-id="(\d+)"')
NOTICE = re.compile(r'href="/notifications/(\d+)/"')
EXPORT_LINK = re.compile(r"/posts/(\d+)/")


@dataclass
class World:
    users: dict
    open_prompt: Prompt
    independent: Prompt
    draft_prompt: Prompt
    posts: dict
    cohort_prompt: Prompt | None = None  # these two from extend_world
    cohort_independent: Prompt | None = None
    notices: dict = field(default_factory=dict)  # notice id: post id

    @property
    def activities(self) -> list[Prompt]:
        every = (self.open_prompt, self.independent, self.draft_prompt, self.cohort_prompt,
                 self.cohort_independent)  # fmt: skip
        return [prompt for prompt in every if prompt is not None]

    @property
    def ids(self) -> set[int]:
        return {post.pk for post in self.posts.values()}

    def post(self, pk: int) -> Reflection:
        if not hasattr(self, "_by_pk"):
            self._by_pk = {post.pk: post for post in self.posts.values()}
        return self._by_pk[pk]

    def answers_to(self, post: Reflection, among: set[int]) -> set[int]:
        """The replies among ``among`` that answer ``post``: in its thread (a reflection), or
        directly (a reply), as the learning log counts "replies received"."""
        if post.thread_id is None:
            return {pk for pk in among if self.post(pk).thread_id == post.pk}
        return {pk for pk in among if self.post(pk).parent_id == post.pk}


def _say(prompt=None, author=None, body="", **kwargs) -> Reflection:
    return make_reflection(prompt=prompt, author=author, body=f"{body} {WORD}", **kwargs)


def _private(prompt, author, body: str) -> Reflection:
    return services.create_reflection(prompt=prompt, author=author, body=f"{body} {WORD}", is_private=True)


def build_world() -> World:
    users = {
        "author": make_user(handle="author", display_name="Ada Author"),
        "learner": make_user(handle="learner", display_name="Lee Learner"),
        "other_cohort": make_user(handle="other", display_name="Oli Other"),
        "learner_not_reflected": make_user(handle="newbie", display_name="Nia New"),
        "suspended": make_user(handle="paused", display_name="Pat Paused"),
        # A learner-role member who facilitates the cohort course's Spring cohort: leads that course.
        "cohort_facilitator": make_user(handle="cofac", display_name="Cy Cofac"),
        "facilitator": make_user(role=roles.FACILITATOR, handle="fac", display_name="Fay Facilitator"),
        "moderator": make_user(role=roles.MODERATOR, handle="mod", display_name="Max Moderator"),
        "staff": make_user(role="", handle="staffer", display_name="Sam Staff", is_staff=True),
    }
    author, learner, other = users["author"], users["learner"], users["other_cohort"]
    newbie, paused = users["learner_not_reflected"], users["suspended"]
    mod, fac = users["moderator"], users["facilitator"]
    Suspension.objects.create(user=paused, reason="Cooling off", ends_at=timezone.now() + timedelta(days=1))

    # A course whose learners see the whole course (everyone enrolled in its one cohort).
    lesson = make_lesson()
    enrol(author, learner, other, newbie, paused, course=lesson.course)
    open_prompt = make_prompt(lesson=lesson, author=fac, title="Open activity")
    independent = make_prompt(lesson=lesson, author=fac, title="Think first", independent_reflection=True)
    draft_prompt = make_prompt(lesson=make_lesson(published=False), author=fac, title="Draft activity")

    posts = {}
    # The whole course, open activity.
    posts["open"] = _say(open_prompt, author, "open words", likes=1)
    posts["open_reply"] = _say(parent=posts["open"], author=learner, body="a reply")
    posts["hidden"] = _say(open_prompt, author, "hidden words", likes=1)
    posts["hidden_reply"] = _say(parent=posts["hidden"], author=learner, body="reply to hidden")
    moderation.hide_reflection(reflection=posts["hidden"], moderator=mod, reason="Private details")
    posts["hidden_whole"] = _say(open_prompt, learner, "whole conversation hidden")
    posts["hidden_whole_reply"] = _say(parent=posts["hidden_whole"], author=author, body="in the hidden one")
    moderation.hide_reflection(
        reflection=posts["hidden_whole"], moderator=mod, reason="Abuse", with_replies=True
    )
    posts["hidden_own_reply"] = _say(parent=posts["open"], author=author, body="my hidden reply")
    moderation.hide_reflection(reflection=posts["hidden_own_reply"], moderator=mod, reason="r")
    removed = _say(open_prompt, learner, "soon removed")
    posts["removed_reply"] = _say(parent=removed, author=author, body="answer to removed")
    posts["removed"] = services.delete_reflection(reflection=removed)  # a placeholder stays
    posts["paused_open"] = _say(open_prompt, paused, "before the suspension")
    # Private first, shared by choice: the author's own eyes only, until shared.
    posts["private"] = _private(open_prompt, author, "private words")
    posts["shared"] = services.share_reflection(reflection=_private(open_prompt, learner, "shared later"))
    # The whole course, independent reflection.
    posts["independent"] = _say(independent, author, "independent words")
    posts["independent_learner"] = _say(independent, learner, "learner's own")
    posts["independent_reply"] = _say(parent=posts["independent"], author=learner, body="ind reply")
    posts["private_gated"] = _private(independent, newbie, "kept to myself")
    posts["draft"] = _say(draft_prompt, author, "draft words")
    for post in posts.values():
        post.refresh_from_db()
    return World(users=users, open_prompt=open_prompt, independent=independent, draft_prompt=draft_prompt,
                 posts=posts)  # fmt: skip


def extend_world(world: World) -> None:
    """What this module reads beyond ``build_world`` (which tests/search/test_visibility.py reuses
    as it is): a course whose learners see their own cohort, reports, and a notice about every post
    for every member."""
    users, posts = world.users, world.posts
    author, learner, other = users["author"], users["learner"], users["other_cohort"]
    newbie, paused, cofac = users["learner_not_reflected"], users["suspended"], users["cohort_facilitator"]
    mod, fac, staff = users["moderator"], users["facilitator"], users["staff"]
    # Spring (with the cohort facilitator) and Autumn.
    course = make_course(learners_see=Course.LearnersSee.COHORT)
    spring = course.cohorts.get()
    autumn = course.cohorts.create(name="Autumn")
    enrol(author, learner, newbie, paused, course=course, cohort=spring)
    enrol(other, course=course, cohort=autumn)
    spring.facilitators.add(cofac)
    cohort_lesson = make_lesson(course=course)
    cohort_prompt = make_prompt(lesson=cohort_lesson, author=fac, title="Cohort talk")
    cohort_independent = make_prompt(
        lesson=cohort_lesson, author=fac, title="Cohort think first", independent_reflection=True
    )
    world.cohort_prompt, world.cohort_independent = cohort_prompt, cohort_independent
    # Their own cohort, open activity.
    posts["c_author"] = _say(cohort_prompt, author, "spring words")
    posts["c_other"] = _say(cohort_prompt, other, "autumn words")
    posts["c_reply_across"] = _say(parent=posts["c_other"], author=learner, body="spring answers autumn")
    posts["c_reply_back"] = _say(parent=posts["c_author"], author=other, body="autumn answers spring")
    posts["c_hidden"] = _say(cohort_prompt, learner, "hidden in spring")
    posts["c_hidden_reply"] = _say(parent=posts["c_hidden"], author=author, body="answer to hidden")
    moderation.hide_reflection(reflection=posts["c_hidden"], moderator=mod, reason="Off topic")
    posts["c_private"] = _private(cohort_prompt, other, "autumn keeps it")
    c_removed = _say(cohort_prompt, learner, "spring removed")
    posts["c_removed_reply"] = _say(parent=c_removed, author=other, body="autumn to the removed")
    posts["c_removed"] = services.delete_reflection(reflection=c_removed)
    posts["c_paused"] = _say(cohort_prompt, paused, "suspended in spring")
    posts["c_cofac"] = _say(cohort_prompt, cofac, "the cohort's facilitator")
    # Their own cohort, independent reflection: the author has only a private reflection there.
    posts["ci_other"] = _say(cohort_independent, other, "autumn thinks")
    posts["ci_learner"] = _say(cohort_independent, learner, "spring thinks")
    posts["ci_reply"] = _say(parent=posts["ci_learner"], author=other, body="autumn answers")
    posts["ci_cofac"] = _say(cohort_independent, cofac, "the facilitator thinks")
    posts["ci_private"] = _private(cohort_independent, author, "not yet shared")
    posts["ci_staff_hidden"] = _say(cohort_independent, staff, "staff, hidden")
    moderation.hide_reflection(reflection=posts["ci_staff_hidden"], moderator=mod, reason="Wrong place")
    ci_removed = _say(cohort_independent, fac, "the facilitator's removed")
    posts["ci_removed_reply"] = _say(parent=ci_removed, author=learner, body="to the removed one")
    posts["ci_removed"] = services.delete_reflection(reflection=ci_removed)
    # For the facilitator only (issue 23): a reflection shared with the course's facilitators, the
    # cohort facilitator's answer in its thread, a private reply; and one in the whole-course
    # course, where the cohort facilitator leads nothing.
    posts["c_for_fac"] = services.create_reflection(
        prompt=cohort_prompt, author=author, body=f"for the facilitator {WORD}", for_facilitators=True
    )
    posts["c_for_fac_answer"] = services.create_reflection(
        prompt=cohort_prompt, author=cofac, body=f"the facilitator answers {WORD}", parent=posts["c_for_fac"]
    )
    posts["c_private_reply"] = services.create_reflection(
        prompt=cohort_prompt, author=learner, body=f"just between us {WORD}", parent=posts["c_author"],
        for_facilitators=True,
    )  # fmt: skip
    posts["for_fac_open"] = services.create_reflection(
        prompt=world.open_prompt, author=learner, body=f"only the facilitators {WORD}", for_facilitators=True
    )
    # Anonymous to colleagues (issue 23): who reads them is unchanged; profiles list them only to
    # those who know who wrote them (community.bylines).
    type(cohort_prompt).objects.filter(pk=cohort_prompt.pk).update(anonymous_posting="allowed")
    cohort_prompt.refresh_from_db()
    posts["c_anon"] = services.create_reflection(
        prompt=cohort_prompt, author=learner, body=f"without my name {WORD}", anonymous=True
    )
    posts["c_anon_reply"] = services.create_reflection(
        prompt=cohort_prompt, author=learner, body=f"again without it {WORD}", parent=posts["c_other"],
        anonymous=True,
    )  # fmt: skip
    # Follow-ups (issue 25): each read by exactly whoever reads the reflection it follows up.
    for original in ("c_author", "private", "c_for_fac"):
        posts[f"{original}_follow_up"] = services.create_reflection(
            prompt=posts[original].prompt, author=posts[original].author, body=f"how it went {WORD}",
            follows_up=posts[original],
        )  # fmt: skip
    for liked, liker in (("c_author", learner), ("ci_learner", cofac), ("ci_other", staff)):
        services.like_reflection(reflection=posts[liked], user=liker)
    # Reports, for the moderation queue: on a post, and on a reason given with a like, in the
    # cohort course and in the draft lesson (which only staff read).
    for reported, reporter in (("c_other", author), ("draft", learner)):
        moderation.report_reflection(reflection=posts[reported], reporter=reporter, reason="spam")
        like = services.like_reflection(reflection=posts[reported], user=reporter)
        like = services.set_like_reason(like=like, reason="Because it is rude")
        moderation.report_like_reason(like=like, reporter=posts[reported].author, reason="harassment")
    for post in posts.values():
        post.refresh_from_db()

    # A notice about every post for every member (as mentions would make them): the notices list
    # must leave out those about posts the rule no longer gives the recipient.
    from notifications.kinds import Kind
    from notifications.models import Notification

    notices = Notification.objects.bulk_create(
        Notification(recipient=user, kind=Kind.MENTION, actor_id=post.author_id, reflection=post,
                     prompt_id=post.prompt_id)
        for user in users.values() for post in posts.values()
    )  # fmt: skip
    world.notices = {notice.pk: notice.reflection_id for notice in notices}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back after its last test; each test runs
    in a savepoint inside it (pytest-django), so what a test writes goes with the test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
            extend_world(built)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _viewer(world: World, name: str):
    return AnonymousUser() if name == "anonymous" else world.users[name]


def _login(client, world: World, name: str) -> None:
    client.logout()
    if name != "anonymous":
        client.force_login(world.users[name])


def _rule(world: World, viewer, **kwargs) -> set[int]:
    """The world's posts the rule gives ``viewer``."""
    return set(
        Reflection.objects.visible_to(viewer, **kwargs).filter(pk__in=world.ids).values_list("pk", flat=True)
    )


def _live(world: World, ids) -> set[int]:
    return {pk for pk in ids if not world.post(pk).is_deleted}


def _sent_to_sign_in(response) -> bool:
    return response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response.url


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8-sig")


def _setup(client, settings, world, name, public_reading):
    settings.COMMUNITY_PUBLIC_READING = public_reading
    _login(client, world, name)
    viewer = _viewer(world, name)
    return viewer, _rule(world, viewer)


# --- The space, thread and post pages ------------------------------------------------------------


@with_each_viewer
def test_space_thread_and_post_pages_show_the_rules_posts(client, settings, world, name, public_reading):
    viewer, rule = _setup(client, settings, world, name, public_reading)
    signed_out = name == "anonymous" and not public_reading
    # The rule's posts and the hidden reflections whose replies stay, which the pages that list
    # threads show as placeholders: no author, no words, no action.
    listed = _rule(world, viewer, placeholders=True)
    placeholders = listed - rule
    assert all(world.post(pk).is_hidden and not world.post(pk).thread_id for pk in placeholders), name

    def assert_placeholders(html: str, shown: set[int]) -> None:
        for pk in shown & placeholders:
            post = world.post(pk)
            article = re.search(rf'<article [^>]*id="post-{pk}".*?</article>', html, re.DOTALL)[0]
            assert "hidden while moderators review it" in article, (name, pk)
            assert post.body not in article and post.author.display_name not in article, (name, pk)
            assert f'id="replies-{pk}" aria-label="Replies to a hidden reflection"' in html, (name, pk)

    # The space pages: the rule's posts of the activity, with placeholders, except replies whose
    # thread the viewer cannot see; behind independent reflection's closed gate, only the viewer's
    # own private reflections, and the count of the colleagues posting will show.
    for prompt in world.activities:
        response = client.get(prompt.get_absolute_url())
        in_activity = {pk for pk in rule if world.post(pk).prompt_id == prompt.pk}
        if response.status_code != HTTPStatus.OK:
            assert signed_out or response.status_code == HTTPStatus.NOT_FOUND, (name, prompt.title)
            assert not in_activity, (name, prompt.title)
            continue
        shown = {int(pk) for pk in POST.findall(response.text)}
        gate = GATE_COUNT.search(response.text)
        if reads_reflections_in(viewer, prompt):
            in_activity = {pk for pk in listed if world.post(pk).prompt_id == prompt.pk}
            expected = {pk for pk in in_activity if world.post(pk).thread_id in (None, *listed)}
            assert gate is None, (name, prompt.title)
            assert_placeholders(response.text, shown)
        else:
            own = {pk for pk in in_activity if world.post(pk).author_id == viewer.pk}
            assert in_activity == own, (name, prompt.title)  # the rule's gate: no one else's
            expected = {pk for pk in own if world.post(pk).is_private and not world.post(pk).is_deleted}
            assert int(gate[1]) == colleagues_reflected(viewer, prompt), (name, prompt.title)
        assert shown == expected, f"{name}, {prompt.title}: shows {sorted(shown)}, rule {sorted(expected)}"

    for key, post in world.posts.items():
        readable = post.pk in rule
        # The thread page: the thread (or its placeholder) and the replies the rule gives; a reply
        # leads to its thread.
        response = client.get(reverse("community:thread", args=[post.pk]))
        if signed_out:
            assert _sent_to_sign_in(response), key
        elif post.pk not in listed:
            assert response.status_code == HTTPStatus.NOT_FOUND, (name, key)
        elif post.thread_id:
            assert response.status_code == HTTPStatus.FOUND, (name, key)
            assert response.url == reverse("community:thread", args=[post.thread_id]), (name, key)
        else:
            shown = {int(pk) for pk in POST.findall(response.text)}
            replies = {pk for pk in rule if world.post(pk).thread_id == post.pk}
            assert shown == {post.pk} | replies, (name, key)
            assert_placeholders(response.text, shown)

        # The permalink (to its placeholder too) and "who liked": found or 404, as the rule says.
        permalink = client.get(reverse("community:post", args=[post.pk]))
        if signed_out:
            assert _sent_to_sign_in(permalink), key
            continue
        found = post.pk in listed
        assert permalink.status_code == (HTTPStatus.FOUND if found else HTTPStatus.NOT_FOUND), (name, key)
        likes = client.get(reverse("community:reflection-likes", args=[post.pk]))
        assert likes.status_code == (HTTPStatus.OK if readable else HTTPStatus.NOT_FOUND), (name, key)
        if name != "anonymous" and not readable:  # the pages that act on a post: 404 as well
            # (what a reader may do there is tests/test_permission_table.py's)
            for url_name in ("community:reflection-reply", "moderation:report"):
                status = client.get(reverse(url_name, args=[post.pk])).status_code
                assert status == HTTPStatus.NOT_FOUND, (name, url_name, key, status)


# --- Search, profiles, notices ------------------------------------------------------------------


@with_each_viewer
def test_search_profiles_and_notices_show_the_rules_posts(client, settings, world, name, public_reading):
    viewer, rule = _setup(client, settings, world, name, public_reading)
    settings.SEARCH_RESULTS_PER_PAGE = 100  # every match on one page
    signed_out = name == "anonymous" and not public_reading

    # Search: the rule's live posts with the words (a placeholder has none).
    response = client.get(reverse("search:results"), {"q": WORD})
    if signed_out:
        assert _sent_to_sign_in(response)
    else:
        found = {int(pk) for pk in SEARCH_HIT.findall(response.text)}
        assert found == _live(world, rule), f"{name}: search finds {sorted(found)}"

    # Each author's profile: the rule's live posts by them.
    for author in {post.author for post in world.posts.values()}:
        response = client.get(reverse("accounts:profile", args=[author.handle]))
        if signed_out:
            assert _sent_to_sign_in(response)
            continue
        listed = {int(pk) for pk in PROFILE_ITEM.findall(response.text)}
        by_them = {
            pk
            for pk in _live(world, rule)
            if world.post(pk).author_id == author.pk
            and bylines.knows_author(viewer, world.post(pk))  # an anonymous one only to those who know
        }
        assert listed == by_them, (name, author.handle)
        if name in (
            "anonymous",
            "author",
            "other_cohort",
            "learner_not_reflected",
            "suspended",
        ):  # colleagues
            assert not any(world.post(pk).anonymous for pk in listed)

    # The notices list: of the notices about every post, those about the rule's posts.
    if name == "anonymous":
        return
    from notifications.services import visible_notifications

    kept = visible_notifications(viewer).filter(pk__in=world.notices)
    assert set(kept.values_list("reflection_id", flat=True)) == rule, name
    listed: set[int] = set()
    for page in range(1, len(world.posts) // 30 + 2):  # notifications.views.PER_PAGE
        html = client.get(reverse("notifications:list"), {"page": page}).text
        listed |= {world.notices[int(pk)] for pk in NOTICE.findall(html) if int(pk) in world.notices}
    assert listed == rule, name


# --- The member's exports -------------------------------------------------------------------------


@with_each_viewer
def test_exports_hold_the_viewers_own_posts_as_the_rule_gives_them(client, settings, world, name,
                                                                   public_reading):  # fmt: skip
    viewer, rule = _setup(client, settings, world, name, public_reading)
    pages = ("journal:export-csv", "journal:export-markdown", "accounts:export-json")
    if name == "anonymous":
        assert all(_sent_to_sign_in(client.get(reverse(page))) for page in pages)
        return
    own = {pk for pk in _live(world, rule) if world.post(pk).author_id == viewer.pk}

    # The learning log, as CSV: the rule's live posts by the viewer, each with the replies by
    # others the rule gives them.
    heading, *rows = list(csv.reader(io.StringIO(_text(client.get(reverse("journal:export-csv"))))))
    column = heading.index("Replies")
    replies = {int(EXPORT_LINK.search(row[-1])[1]): int(row[column]) for row in rows}
    assert set(replies) == own, name
    by_others = {pk for pk in _live(world, rule) if world.post(pk).author_id != viewer.pk}
    for pk, count in replies.items():
        assert count == len(world.answers_to(world.post(pk), by_others)), (name, pk)
    # …and as Markdown.
    markdown = _text(client.get(reverse("journal:export-markdown")))
    assert {int(pk) for pk in re.findall(r"\(\[link\]\([^)]*/posts/(\d+)/\)\)", markdown)} == own, name

    # The own-data download: everything the member wrote (their right of access), which holds the
    # rule's posts by them and no one else's.
    data = client.get(reverse("accounts:export-json")).json()
    exported = {post["id"] for post in data["reflections"]} & world.ids
    wrote = {post.pk for post in world.posts.values() if post.author_id == viewer.pk}
    assert exported == wrote and {pk for pk in rule if world.post(pk).author_id == viewer.pk} <= exported


# --- Facilitator insight --------------------------------------------------------------------------


@with_each_viewer
def test_insight_counts_the_rules_posts_for_those_who_may_open_it(client, settings, world, name,
                                                                  public_reading):  # fmt: skip
    from insights.permissions import can_view_insights
    from insights.queries import activity_insight

    viewer, rule = _setup(client, settings, world, name, public_reading)
    for prompt in world.activities:
        response = client.get(reverse("insights:activity", args=[prompt.pk]))
        opens = (
            can_view_insights(viewer, prompt.lesson.course_id)
            and Prompt.objects.visible_to(viewer).filter(pk=prompt.pk).exists()
        )
        if not opens:
            assert _sent_to_sign_in(response) or response.status_code == HTTPStatus.NOT_FOUND, (name, prompt)
            continue
        assert response.status_code == HTTPStatus.OK, (name, prompt.title)
        insight = activity_insight(prompt=prompt, viewer=viewer)
        readable = {pk for pk in _live(world, rule) if world.post(pk).prompt_id == prompt.pk}
        assert insight.learners or prompt is world.draft_prompt, prompt.title  # the draft's has none
        for row in insight.learners:
            theirs = [world.post(pk) for pk in readable if world.post(pk).author_id == row.user_id]
            assert row.reflections == sum(1 for post in theirs if post.thread_id is None), (name, row.handle)
            assert row.replies == sum(1 for post in theirs if post.thread_id), (name, row.handle)
            likes = Like.objects.filter(user_id=row.user_id, reflection_id__in=readable).count()
            assert row.likes_given == likes, (name, row.handle)
        shown = {post.pk for post in insight.unheard + insight.most_liked}
        assert shown <= readable, (name, prompt.title)


# --- The gate's count -----------------------------------------------------------------------------


@with_each_viewer
def test_the_gate_counts_the_colleagues_posting_will_show(settings, world, name, public_reading):
    """Behind a closed gate, "N colleagues have reflected" is the number of other people whose
    live reflections the viewer reads once they have posted there: the same as posting (in a
    savepoint, rolled back) and counting then. Anonymous visitors cannot post: for them the count
    is the derived rule's (``visible_to(as_if_answered=True)``)."""
    settings.COMMUNITY_PUBLIC_READING = public_reading
    viewer = _viewer(world, name)

    def others_read(**kwargs) -> int:
        posts = Reflection.objects.visible_to(viewer, **kwargs).counted().filter(pk__in=world.ids)
        posts = posts.exclude(author_id=viewer.pk) if viewer.is_authenticated else posts
        return posts.filter(prompt=prompt).values("author_id").distinct().count()

    gated = 0
    for prompt in world.activities:
        if reads_reflections_in(viewer, prompt):
            continue
        gated += 1
        counted = colleagues_reflected(viewer, prompt)
        assert others_read() == 0, (name, prompt.title)  # the gate is the rule's: no one read yet
        if not viewer.is_authenticated:
            assert counted == others_read(as_if_answered=True), prompt.title
            continue
        with transaction.atomic():
            services.create_reflection(prompt=prompt, author=User.objects.get(pk=viewer.pk), body="Mine.")
            assert reads_reflections_in(viewer, prompt)
            assert counted == others_read(), f"{name}, {prompt.title}: the gate said {counted}"
            transaction.set_rollback(True)
    # Who meets a gate at all: the learners who have not reflected there, and anonymous visitors.
    expected_gates = {"anonymous": 2, "author": 1, "learner": 0, "other_cohort": 1,
                      "learner_not_reflected": 2, "suspended": 2, "cohort_facilitator": 1}  # fmt: skip
    assert gated == expected_gates.get(name, 0), name


def test_the_gate_counts_people_not_posts_and_never_another_cohort(settings, world):
    """Spot checks: in the cohort course's independent activity a Spring learner who has not
    reflected is told of Spring's learner and facilitator only (not Autumn's learner, not the
    hidden post by staff, not the facilitator's removed one); in the whole course's, of both
    authors there; a visitor without a cohort, of the course's leaders only."""
    users = world.users
    for name in ("author", "learner_not_reflected", "suspended"):
        assert colleagues_reflected(users[name], world.cohort_independent) == 2, name
    assert colleagues_reflected(users["learner_not_reflected"], world.independent) == 2
    assert colleagues_reflected(users["other_cohort"], world.independent) == 2
    settings.COMMUNITY_PUBLIC_READING = True
    assert colleagues_reflected(AnonymousUser(), world.cohort_independent) == 1  # the facilitator
    # The two forms of the rule are kept apart in the built-rule cache.
    author = users["author"]
    assert world.posts["ci_learner"].pk not in _rule(world, author)
    assert world.posts["ci_learner"].pk in _rule(world, author, as_if_answered=True)
    assert world.posts["ci_learner"].pk not in _rule(world, author)


# --- Notices about private posts, counts, the rule in words, the admin ---------------------------


@pytest.mark.parametrize("name", VIEWERS)
def test_private_reflections_reach_no_one_else_by_notice(world, name, jobs):
    """Saving privately tells no one (not the activity's followers, not those it mentions); the
    notices list of every other viewer has nothing about it, and neither has the author's."""
    from notifications.models import Notification
    from notifications.services import visible_notifications

    author = world.users["author"]
    secret = services.create_reflection(
        prompt=world.open_prompt, author=author, body="a word with @learner and @fac", is_private=True
    )
    jobs.run()
    assert not Notification.objects.filter(reflection=secret).exists()
    if name not in ("anonymous", "author"):
        viewer = world.users[name]
        private = [world.posts[key].pk for key in ("private", "private_gated", "c_private", "ci_private")]
        mine = {post.pk for post in world.posts.values() if post.author_id == viewer.pk}
        assert not visible_notifications(viewer).filter(reflection_id__in=set(private) - mine)


@with_each_viewer
def test_counts_follow_the_same_rule(client, settings, world, name, public_reading):
    """The activity list, the space heading and the lesson page count the same thing: the live
    top-level reflections the viewer may see. One documented give-or-take: the activity list shows
    the stored count of an activity the page is not on where it applies to the viewer
    (``space_page.stored_count_applies``), leaving out their own private or hidden posts there and, for
    a moderator, the hidden ones; the activity's own page counts them."""
    from community.space_page import stored_count_applies

    viewer, _ = _setup(client, settings, world, name, public_reading)
    if name == "anonymous" and not public_reading:
        return
    counted = Reflection.objects.visible_to(viewer).counted()
    lessons = ((world.open_prompt, world.independent), (world.cohort_prompt, world.cohort_independent))
    for activities in lessons:
        exact = {prompt: counted.filter(prompt=prompt).count() for prompt in activities}
        for prompt in activities:
            page = client.get(prompt.get_absolute_url()).text
            heading = (
                f' <span class="muted">({exact[prompt]})</span>'
                if reads_reflections_in(viewer, prompt)
                else ""
            )
            assert f'id="reflections-heading">Reflections{heading}</h2>' in page, (
                name,
                prompt.title,
            )  # gate: none
            for listed in activities:
                count = exact[listed]
                if listed != prompt and stored_count_applies(viewer, listed, listed.lesson.course):
                    count = counted.filter(
                        prompt=listed, is_private=False, audience="course", hidden_at__isnull=True
                    ).count()  # the stored count: what every member may read
                assert f'{listed.title}</a> <span class="muted small">{count} reflection' in page, (
                    name, prompt.title, listed.title)  # fmt: skip
        lesson_page = client.get(activities[0].lesson.get_absolute_url()).text
        total = sum(exact.values())
        if total:
            assert f"<strong>{total} reflection{'s' if total != 1 else ''}</strong> so far" in lesson_page
        else:
            assert "so far" not in lesson_page


def test_the_rule_in_words(world):
    """Spot checks of the rule itself, one clause each."""
    posts, users = world.posts, world.users
    visible = {name: _rule(world, user) for name, user in users.items()}
    # Hidden posts: their author and moderators only. Replies to a hidden reflection stay for
    # everyone (under a placeholder) unless the moderator hid the whole conversation.
    assert posts["hidden"].pk in visible["author"] and posts["hidden"].pk in visible["moderator"]
    assert posts["hidden"].pk not in visible["learner"] | visible["facilitator"]
    assert posts["hidden_reply"].pk in visible["learner_not_reflected"] & visible["facilitator"]
    placeholders = _rule(world, users["learner_not_reflected"], placeholders=True)
    assert posts["hidden"].pk in placeholders and posts["hidden_whole"].pk not in placeholders
    whole = posts["hidden_whole_reply"].pk
    assert whole in visible["author"] & visible["moderator"]  # its own author still sees their words
    assert whole not in visible["learner_not_reflected"] | visible["facilitator"] | visible["learner"]
    # Independent reflection: others' posts only after your own reflection there.
    assert (
        posts["independent"].pk in visible["learner"] and posts["independent"].pk not in visible["suspended"]
    )
    assert posts["independent"].pk in visible["facilitator"]
    # Draft lessons: staff only.
    assert posts["draft"].pk in visible["staff"] and posts["draft"].pk not in visible["author"]
    # Placeholders of removed posts stay for everyone who reads the space.
    assert posts["removed"].pk in visible["learner_not_reflected"]
    # Private reflections: their author's alone, whatever the other viewer's role.
    for name in users:
        assert (posts["private"].pk in visible[name]) is (name == "author"), name
        assert (posts["private_gated"].pk in visible[name]) is (name == "learner_not_reflected"), name
        assert (posts["c_private"].pk in visible[name]) is (name == "other_cohort"), name
    assert not Reflection.objects.visible_to(AnonymousUser()).filter(is_private=True).exists()
    # A private reflection opens no gate under independent reflection; a shared one is anyone's.
    assert posts["independent"].pk not in visible["learner_not_reflected"]
    assert posts["ci_learner"].pk not in visible["author"]  # only a private reflection there
    assert all(posts["shared"].pk in visible[name] for name in users)
    # Their own cohort: learners read their cohort, themselves and the course's leaders.
    assert posts["c_author"].pk in visible["learner"] and posts["c_author"].pk not in visible["other_cohort"]
    assert posts["c_other"].pk not in visible["learner"] | visible["cohort_facilitator"]
    assert posts["c_reply_across"].pk in visible["author"]  # a Spring reply under an Autumn post
    assert posts["c_cofac"].pk in visible["other_cohort"]  # the Spring facilitator leads the course
    assert posts["c_paused"].pk in visible["learner"] and posts["c_paused"].pk not in visible["other_cohort"]
    assert {posts["c_other"].pk, posts["c_author"].pk} <= visible["facilitator"] & visible["staff"]
    # For the facilitator only: its author, the course's facilitators (of one of its cohorts, or
    # by role), moderators and staff; a private reply also the author of the post it answers.
    leaders = {"cohort_facilitator", "facilitator", "moderator", "staff"}
    for name in users:
        assert (posts["c_for_fac"].pk in visible[name]) is (name in leaders | {"author"}), name
        assert (posts["c_for_fac_answer"].pk in visible[name]) is (name in leaders | {"author"}), name
        assert (posts["c_private_reply"].pk in visible[name]) is (name in leaders | {"author", "learner"}), (
            name
        )
        assert (posts["for_fac_open"].pk in visible[name]) is (
            name
            in {
                "facilitator",
                "moderator",
                "staff",
                "learner",
            }  # the cohort facilitator leads not this course
        ), name
    assert posts["c_for_fac_answer"].private_to_id == users["author"].pk


@pytest.mark.parametrize("name", ["moderator", "staff"])
def test_the_moderation_queue_lists_the_reports_on_the_rules_posts(client, world, name):
    """The queue reads through the rule too: a moderator who is not staff has no report on a post
    in a draft lesson listed (nor a reported reason given with a like on one); staff have both."""
    from moderation.models import Flag

    viewer = world.users[name]
    rule = _rule(world, viewer)
    client.force_login(viewer)
    html = client.get(reverse("moderation:queue")).text
    listed = {int(pk) for pk in re.findall(r'href="/moderation/posts/(\d+)/">Review', html)}
    reasons = {int(pk) for pk in re.findall(r'href="/moderation/posts/(\d+)/">post \d+</a> and said', html)}
    open_flags = Flag.objects.filter(status=Flag.Status.OPEN, reflection_id__in=world.ids)
    assert listed == rule & set(open_flags.filter(like__isnull=True).values_list("reflection_id", flat=True))
    assert reasons == rule & set(
        open_flags.filter(like__isnull=False).values_list("reflection_id", flat=True)
    )
    assert (world.posts["draft"].pk in listed | reasons) is (name == "staff")
    assert world.posts["c_other"].pk in listed & reasons


@pytest.mark.parametrize("name", ["facilitator", "staff"])
def test_the_admin_list_agrees_with_visible_to(client, world, name):
    """Admin users read posts in the Django admin too: the same rule (facilitators get no hidden text)."""
    viewer = User.objects.get(pk=world.users[name].pk)  # the world's copy stays as it is
    if name == "staff":
        viewer.is_superuser = True
        viewer.save(update_fields=["is_superuser"])
    client.force_login(viewer)
    html = client.get(reverse("admin:community_reflection_changelist") + "?all=").text
    listed = {int(pk) for pk in re.findall(r"/admin/community/reflection/(\d+)/change/", html)}
    assert listed == set(Reflection.objects.visible_to(viewer).values_list("pk", flat=True))
    assert (world.posts["hidden"].pk in listed) is (name == "staff")
    # Private reflections: not listed, not even to staff, whose page says only how many there are.
    assert world.posts["private"].pk not in listed and "private words" not in html
    assert "5 private reflections not listed" in html  # with the private reflection's follow-up


@pytest.mark.parametrize("original", ["c_author", "private", "c_for_fac"])
def test_a_follow_up_is_read_by_exactly_the_readers_of_its_reflection(world, original):
    """A follow-up ("How did it go?", issue 25) is its author's reply with the original's sharing:
    every clause of the rule gives it the original's answer, for every kind of viewer."""
    posts = world.posts
    for name in VIEWERS:
        viewer = AnonymousUser() if name == "anonymous" else world.users[name]
        readable = set(
            Reflection.objects.visible_to(viewer)
            .filter(pk__in=[posts[original].pk, posts[f"{original}_follow_up"].pk])
            .values_list("pk", flat=True)
        )
        assert (posts[original].pk in readable) is (posts[f"{original}_follow_up"].pk in readable), name

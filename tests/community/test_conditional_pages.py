"""The space, thread and landing pages kept by the member's browser (``core.conditional``): after
any change, through a service or straight to a table, every kind of viewer revalidating their copy
gets exactly the page a fresh build gives; a 304 costs three queries and builds nothing; a tag is
good only for its own viewer, address, cookie and settings."""

import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.db.utils import InternalError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from accounts import roles
from accounts.models import Suspension, User
from community import post_fragments, services, space_page
from community.models import Draft, Like, Prompt, Reflection
from core import versions
from core.models import Version
from lessons.models import Cohort, Course, Enrolment, Lesson
from lessons.services import ensure_default_cohort
from moderation import services as moderation
from notifications import services as notices
from notifications.models import Notification, Subscription
from tests.community.test_post_fragments import (
    _edit,
    _empty_cache,  # noqa: F401 - an autouse fixture: the cache emptied around each test
    _hide,
    _like,
    _reason,
    signed_in,
)
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _public_reading(settings):
    settings.COMMUNITY_PUBLIC_READING = True  # anonymous visitors are one of the viewers


@pytest.fixture
def w(db):
    course = make_course()
    lesson = make_lesson(course=course)
    facilitator = make_user(role=roles.FACILITATOR, display_name="Fran Facilitator")
    prompt = make_prompt(lesson=lesson, author=facilitator, title="First activity")
    other_prompt = make_prompt(lesson=lesson, author=facilitator, title="Second activity")
    author = make_user(display_name="Asha Author")
    reader = make_user(display_name="Ravi Reader")
    moderator = make_user(role=roles.MODERATOR, display_name="Mo Moderator")
    enrol(author, reader, course=course)
    post = make_reflection(prompt=prompt, author=author, body="Original words", likes=1)
    reply = make_reflection(parent=post, body="A reply keeps the thread")
    viewers = {
        "author": signed_in(author),
        "reader": signed_in(reader),
        "moderator": signed_in(moderator),
        "facilitator": signed_in(facilitator),
        "anonymous": Client(),
    }
    return SimpleNamespace(
        course=course, lesson=lesson, prompt=prompt, other_prompt=other_prompt, facilitator=facilitator,
        author=author, reader=reader, moderator=moderator, post=post, reply=reply, viewers=viewers,
    )  # fmt: skip


_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+')
_NEW = re.compile(r'<span class="badge badge--new">New</span>|<p class="whats-new".*?</p>', re.S)
_KEY = re.compile(r'(name="submission_key" value=")[^"]+')


def browse(client, url: str):
    """``client.get`` as a browser makes it: with ``If-None-Match`` when it kept the page, and its
    kept copy when the answer is 304 (the copies live on the client, as a browser's cache does)."""
    kept = client.__dict__.setdefault("kept_pages", {})
    headers = {"If-None-Match": kept[url][0]} if url in kept else {}
    response = client.get(url, headers=headers)
    if response.status_code == 304:
        assert url in kept, "a 304 to a browser that kept nothing"
        shown = HttpResponse(kept[url][1])
        shown.headers["ETag"] = response.headers["ETag"]
        shown.revalidated = True
        return shown
    elif response.headers.get("ETag"):
        assert (
            "private" in response.headers["Cache-Control"] and "no-cache" in response.headers["Cache-Control"]
        )
        kept[url] = (response.headers["ETag"], response.content)
    else:
        kept.pop(url, None)
    response.revalidated = False
    return response


def page(client, url: str) -> tuple[int, str]:
    """The page's status and markup as the browser shows it, without what differs on every build
    (the token is masked afresh, a composer's submission key is new) or only on the first look
    after a change ("New" markers: the visit just recorded)."""
    response = browse(client, url)
    text = _KEY.sub(r"\1…", _NEW.sub("", _TOKEN.sub(r"\1…", response.content.decode())))
    return response.status_code, text


def built(client, url: str, settings) -> tuple[int, str]:
    """The page built afresh for this viewer (no tag sent)."""
    response = client.get(url)
    text = _KEY.sub(r"\1…", _NEW.sub("", _TOKEN.sub(r"\1…", response.content.decode())))
    return response.status_code, text


# Each change, as a service makes it or as a write straight to a table (the admin, a script, a data
# migration): the stamps are kept by triggers, so both must show at once. (Editing, liking, a
# reason and hiding are the post-fragment tests' own changes, on the same shape of world.)
def _new_reflection(w):
    make_reflection(prompt=w.prompt, body="A new colleague's view")


def _reply(w):
    make_reflection(parent=w.post, body="Another reply")


def _reason_written_directly(w):
    like = services.like_reflection(reflection=w.post, user=w.reader)
    services.set_like_reason(like=like, reason="First reason")
    Like.objects.filter(pk=like.pk).update(reason="Rewritten", reason_html="<p>Rewritten</p>")


def _delete(w):
    services.delete_reflection(reflection=w.reply)


def _highlight(w):
    services.highlight_reflection(reflection=w.post, by=w.facilitator)


def _rename_author(w):
    User.objects.filter(pk=w.author.pk).update(display_name="Asha Renamed")


def _author_role(w):
    w.author.groups.add(Group.objects.get(name=roles.MODERATOR))


def _author_posts_elsewhere(w):
    make_reflection(author=w.author, body="In another course")


def _post_count_directly(w):
    User.objects.filter(pk=w.author.pk).update(post_count=F("post_count") + 5)


def _rename_facilitator(w):
    User.objects.filter(pk=w.facilitator.pk).update(display_name="Fran Renamed")


def _suspend_reader(w):
    moderation.suspend_member(
        member=w.reader, moderator=w.moderator, ends_at=timezone.now() + timedelta(days=1), reason="Cool off"
    )


def _lift_suspension(w):
    moderation.lift_suspension(suspension=Suspension.objects.get(user=w.reader), moderator=w.moderator)


def _reader_time_zone(w):
    User.objects.filter(pk=w.reader.pk).update(time_zone="Pacific/Auckland")


def _lock(w):
    moderation.set_prompt_lock(prompt=w.prompt, moderator=w.moderator, locked=True)


def _prompt_text(w):
    Prompt.objects.filter(pk=w.prompt.pk).update(title="A retitled activity")


def _new_prompt(w):
    make_prompt(lesson=w.lesson, author=w.facilitator, title="A third activity")


def _other_prompt_post(w):
    make_reflection(prompt=w.other_prompt, body="Over in the second activity")


def _lesson_number(w):
    Lesson.objects.filter(pk=w.lesson.pk).update(number=999)


def _unpublish_lesson(w):
    Lesson.objects.filter(pk=w.lesson.pk).update(published=False)


def _course_closed(w):
    Course.objects.filter(pk=w.course.pk).update(joining=Course.Joining.INVITE_ONLY)


def _reader_leaves(w):
    Enrolment.objects.filter(user=w.reader).delete()


def _cohort_facilitator(w):
    ensure_default_cohort(course=w.course).facilitators.add(w.reader)


def _reader_draft(w):
    services.save_draft(user=w.reader, prompt=w.prompt, fields={"body": "Half a thought"})


def _reader_draft_directly(w):
    _reader_draft(w)
    Draft.objects.filter(user=w.reader).update(fields={"body": "A whole thought"})


def _notice_for_reader(w):
    notices.notify_member(
        user_id=w.reader.pk, kind="hidden", reflection_id=w.post.pk, actor_id=w.moderator.pk
    )


def _notice_read(w):
    notices.mark_all_read(user=w.reader)


def _notice_about_a_post_elsewhere(w):
    """An unread notice about a reply in another course: the header counts it while the reader
    may read that reply."""
    w.elsewhere = make_reflection(body="In another course", author=w.author)
    Notification.objects.create(
        recipient=w.reader, kind="reply", actor=w.author, reflection=w.elsewhere, prompt=w.elsewhere.prompt
    )


def _post_elsewhere_hidden(w):
    moderation.hide_reflection(reflection=w.elsewhere, moderator=w.moderator, reason="Off topic")


def _reader_follows(w):
    notices.set_thread_level(user=w.reader, thread=w.post, level=Subscription.Level.WATCHING)


def _reader_unfollows(w):
    Subscription.objects.filter(user=w.reader).delete()


# (change, what is done before the first look)
CHANGES = {
    "new reflection": (_new_reflection, None),
    "reply": (_reply, None),
    "edit": (_edit, None),
    "like": (_like, None),
    "like reason": (_reason, None),
    "like reason written directly": (_reason_written_directly, None),
    "hide": (_hide, None),
    "delete": (_delete, None),
    "highlight": (_highlight, None),
    "author renamed directly": (_rename_author, None),
    "author's role": (_author_role, None),
    "author's post count": (_author_posts_elsewhere, None),
    "author's post count written directly": (_post_count_directly, None),
    "activity author renamed": (_rename_facilitator, None),
    "reader suspended": (_suspend_reader, None),
    "suspension lifted": (_lift_suspension, _suspend_reader),
    "reader's time zone": (_reader_time_zone, None),
    "activity locked": (_lock, None),
    "activity retitled directly": (_prompt_text, None),
    "activity added": (_new_prompt, None),
    "a post in the other activity": (_other_prompt_post, None),
    "lesson renumbered": (_lesson_number, None),
    "lesson unpublished": (_unpublish_lesson, None),
    "course closed to joining": (_course_closed, None),
    "reader leaves the course": (_reader_leaves, None),
    "reader facilitates a cohort": (_cohort_facilitator, None),
    "reader's draft": (_reader_draft, None),
    "reader's draft written directly": (_reader_draft_directly, None),
    "a notice for the reader": (_notice_for_reader, None),
    "the notice read": (_notice_read, _notice_for_reader),
    "a noticed post elsewhere hidden": (_post_elsewhere_hidden, _notice_about_a_post_elsewhere),
    "reader follows the thread": (_reader_follows, None),
    "reader stops following": (_reader_unfollows, _reader_follows),
}


@pytest.mark.parametrize("case", CHANGES)
def test_every_viewer_gets_what_a_fresh_build_gives_after_each_change(w, case, settings):
    change, setup = CHANGES[case]
    if setup:
        setup(w)
    url = w.prompt.get_absolute_url()
    before = {}
    for name, client in w.viewers.items():
        page(client, url)
        before[name] = page(client, url)  # revalidated: the browser's copy
    change(w)
    changed = []
    for name, client in w.viewers.items():
        served = page(client, url)
        assert served == built(client, url, settings), f"{case}: {name} was served a stale page"
        assert page(client, url) == served, f"{case}: {name}'s page changed on its own"
        if served != before[name]:
            changed.append(name)
    assert changed, f"{case}: no viewer's page shows the change"


def test_a_revalidated_page_costs_three_queries_and_builds_nothing(w, assert_exact_queries, monkeypatch):
    client = w.viewers["reader"]
    url = w.prompt.get_absolute_url()
    first = browse(client, url)
    monkeypatch.setattr(space_page, "build_space", lambda *a, **k: pytest.fail("the page was built again"))
    with assert_exact_queries(3):  # the member, the versions of what the page showed, the visit
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.content
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "HX-Request" in again.headers["Vary"]


def test_two_tabs_of_one_kept_page_post_both_reflections(w):
    """Two tabs showing one page the browser kept share its composer's submission key: a second
    post with other words is a post of its own, not taken for a double-click."""
    client = w.viewers["reader"]
    url = w.prompt.get_absolute_url()
    key = _KEY.search(browse(client, url).text).group(0).split('value="')[1]
    for words in ("First tab's words", "Second tab's words", "Second tab's words"):
        client.post(f"/activities/{w.prompt.pk}/reflect/", {"body": words, "submission_key": key})
    mine = Reflection.objects.filter(author=w.reader, prompt=w.prompt)
    assert sorted(mine.values_list("body", flat=True)) == ["First tab's words", "Second tab's words"]


def test_a_revalidated_page_records_the_visit(w):
    from community.models import ActivityVisit

    client = w.viewers["reader"]
    browse(client, w.prompt.get_absolute_url())
    visit = ActivityVisit.objects.get(user=w.reader, prompt=w.prompt)
    assert browse(client, w.prompt.get_absolute_url()).revalidated
    assert ActivityVisit.objects.get(pk=visit.pk).visited_at > visit.visited_at


def test_a_tag_is_good_only_with_the_csrf_cookie_its_forms_were_made_for(w):
    """The same member on two devices: the laptop's tag sent from the phone (another CSRF cookie)
    gets a page built with the phone's token, so a form posted from it is accepted."""
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(w.reader)
    phone.force_login(w.reader)
    url = w.prompt.get_absolute_url()
    tag = laptop.get(url).headers["ETag"]
    assert laptop.get(url, headers={"If-None-Match": tag}).status_code == 304
    phone.get(url)  # the phone's CSRF cookie
    response = phone.get(url, headers={"If-None-Match": tag})
    assert response.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
    response = phone.post(
        f"/posts/{w.post.pk}/like/", {"csrfmiddlewaretoken": token}, HTTP_REFERER="http://testserver/"
    )
    assert response.status_code in (200, 302), response.status_code
    assert Like.objects.filter(reflection=w.post, user=w.reader).exists()


def test_a_tag_names_its_viewer_address_and_scopes_and_cannot_be_forged(w):
    url = w.prompt.get_absolute_url()
    reader, author = w.viewers["reader"], w.viewers["author"]
    tag = reader.get(url).headers["ETag"]
    assert author.get(url, headers={"If-None-Match": tag}).status_code == 200
    assert reader.get(f"{url}?order=newest", headers={"If-None-Match": tag}).status_code == 200
    fewer = re.sub(r"_u[0-9-]+", "_u1", tag)  # drop the members it named, keep the MAC
    assert fewer != tag
    assert reader.get(url, headers={"If-None-Match": fewer}).status_code == 200
    for junk in ('"x"', 'W/"p1.0.0.zz.abc"', 'W/"p1.a.b.c.d"', "*", 'W/"p1.0.0.s1-2.'):
        assert reader.get(url, headers={"If-None-Match": junk}).status_code == 200


def test_htmx_requests_are_never_answered_from_the_browsers_copy(w):
    """The thread's address serves a whole page and, to htmx, the thread alone (``Vary``)."""
    client = w.viewers["reader"]
    url = f"/posts/{w.post.pk}/thread/"
    tag = client.get(url).headers["ETag"]
    response = client.get(url, headers={"If-None-Match": tag, "HX-Request": "true"})
    assert response.status_code == 200 and "ETag" not in response.headers
    assert "<html" not in response.text and "HX-Request" in response.headers["Vary"]


def test_nobody_gets_another_members_page(w):
    url = w.prompt.get_absolute_url()
    for name in ("author", "reader", "anonymous", "moderator"):
        w.viewers[name].get(url)
    reader_page = w.viewers["reader"].get(url).text
    author_page = w.viewers["author"].get(url).text
    anonymous_page = w.viewers["anonymous"].get(url).text
    assert "Ravi Reader (your profile)" in reader_page and "Asha Author (your profile)" not in reader_page
    assert "Asha Author (your profile)" in author_page and "Ravi Reader" not in author_page
    assert "your profile" not in anonymous_page and "Log in" in anonymous_page
    assert f"/posts/{w.post.pk}/edit/" in author_page and f"/posts/{w.post.pk}/edit/" not in reader_page


def test_a_page_with_new_posts_is_built_again_without_them(w):
    client = w.viewers["reader"]
    url = w.prompt.get_absolute_url()
    browse(client, url)
    make_reflection(prompt=w.prompt, body="Fresh from a colleague")
    first = browse(client, url)
    assert "badge--new" in first.text and "1 new" in first.text
    assert "ETag" not in first.headers  # "New" goes once seen: never kept
    second = browse(client, url).text
    assert "badge--new" not in second and "Fresh from a colleague" in second


def test_waiting_messages_are_shown_not_the_kept_page(w):
    client = w.viewers["reader"]
    url = w.prompt.get_absolute_url()
    browse(client, url)
    request = RequestFactory().get(url)
    request.session = client.session
    storage = default_storage(request)
    storage.add(message_levels.SUCCESS, "Your settings were saved.")
    response = HttpResponse()
    storage.update(response)
    for name, morsel in response.cookies.items():
        client.cookies[name] = morsel.value
    assert "Your settings were saved." in browse(client, url).text
    assert "Your settings were saved." not in browse(client, url).text


def test_a_suspension_that_starts_later_takes_effect_on_time(w, monkeypatch):
    client = w.viewers["reader"]
    url = w.prompt.get_absolute_url()
    starts = timezone.now() + timedelta(hours=1)
    Suspension.objects.create(
        user=w.reader, reason="Later.", starts_at=starts, ends_at=starts + timedelta(days=1)
    )
    browse(client, url)
    kept = browse(client, url)
    assert kept.revalidated and "Your account is suspended" not in kept.text  # kept until it starts
    later = starts + timedelta(seconds=1)  # the clock moves on; nothing is written
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Your account is suspended" in browse(client, url).text


def test_without_the_cache_the_page_is_built_and_kept(w, monkeypatch):
    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get_many = set_many = get

    monkeypatch.setattr(post_fragments, "caches", {"default": Down()})
    client = w.viewers["reader"]
    for _ in range(2):
        response = browse(client, w.prompt.get_absolute_url())
        assert response.status_code == 200 and "Original words" in response.text
    assert response.revalidated


def _stamp(name: str) -> int | None:
    return Version.objects.filter(name=name).values_list("version", flat=True).first()


def _feed(prompt_id: int) -> int | None:
    return _stamp(versions.space_scope(prompt_id))


def test_triggers_move_the_stamps_of_what_each_write_touches(w):
    """Each table's writes move the stamp that covers it, whatever made them; nothing else."""
    user, course = versions.user_scope(w.reader.pk), versions.course_scope(w.course.pk)
    writes = [
        (user, lambda: User.objects.filter(pk=w.reader.pk).update(bio="New bio")),
        (user, lambda: w.reader.groups.add(Group.objects.get(name=roles.FACILITATOR))),
        (user, lambda: Suspension.objects.create(user=w.reader, reason="r", ends_at=timezone.now())),
        (user, lambda: Draft.objects.create(user=w.reader, prompt=w.prompt, fields={"body": "x"})),
        (
            versions.notices_scope(w.reader.pk),
            lambda: Notification.objects.create(recipient=w.reader, kind="hidden"),
        ),
        (user, lambda: Subscription.objects.create(user=w.reader, prompt=w.prompt, level="watching")),
        (course, lambda: Course.objects.filter(pk=w.course.pk).update(title="Renamed")),
        (course, lambda: Lesson.objects.filter(pk=w.lesson.pk).update(title="Renamed")),
        (course, lambda: Cohort.objects.create(course=w.course, name="Winter")),
        (course, lambda: Enrolment.objects.filter(user=w.author).delete()),
        (course, lambda: make_prompt(lesson=w.lesson, author=w.facilitator)),
    ]
    for name, write in writes:
        before, untouched = _stamp(name), _stamp(versions.user_scope(w.moderator.pk))
        write()
        assert _stamp(name) not in (None, before), name
        assert _stamp(versions.user_scope(w.moderator.pk)) == untouched
    for write in (
        lambda: Prompt.objects.filter(pk=w.prompt.pk).update(body="Reworded"),
        lambda: Like.objects.filter(reflection=w.post).update(reason="Why"),
        lambda: Like.objects.filter(reflection=w.post).delete(),
    ):
        before, other = _feed(w.prompt.pk), _feed(w.other_prompt.pk)
        write()
        assert _feed(w.prompt.pk) != before
        assert _feed(w.other_prompt.pk) == other


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_is_one_read_only_repeatable_read():
    assert not connection.in_atomic_block
    with versions.snapshot(), connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        assert cursor.fetchone()[0] == "repeatable read"
        with pytest.raises(InternalError, match="read-only"), transaction.atomic():
            Reflection.objects.update(body="x")


@pytest.mark.parametrize(
    "case", ["reply", "edit", "like reason", "author renamed directly", "reader suspended"]
)
def test_the_thread_page_is_kept_the_same_way(w, case, settings, assert_exact_queries):
    """/posts/<id>/thread/ ("Show all N replies", where permalinks to later replies land)."""
    client = w.viewers["reader"]
    url = f"/posts/{w.post.pk}/thread/"
    page(client, url)
    with assert_exact_queries(2):  # the member, the page's versions (a thread page records no visit)
        before = page(client, url)
    CHANGES[case][0](w)
    served = page(client, url)
    assert served == built(client, url, settings) and served != before


def _location(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.headers.get("Location", "")


@pytest.mark.parametrize(
    "case", ["hide", "delete", "reply", "lesson unpublished", "reader leaves the course"]
)
def test_a_permalink_lands_on_a_page_the_browser_keeps(w, case, settings, assert_exact_queries):
    """/posts/<id>/ (the links in notices and emails) leads each viewer to the page holding the
    post (one query for a reply, besides the member); that landing page is revalidated as any
    other, and after a change shows what a fresh build shows."""
    url = w.reply.get_absolute_url()
    landing = {}
    for name, client in w.viewers.items():
        with assert_exact_queries(3 if name != "anonymous" else 2):  # member, post, its thread
            first = _location(client, url)
        assert first[0] == 302 and w.prompt.get_absolute_url() in first[1]
        landing[name] = first[1].split("#")[0]
        page(client, landing[name])
        assert browse(client, landing[name]).revalidated
    CHANGES[case][0](w)
    for name, client in w.viewers.items():
        assert page(client, landing[name]) == built(client, landing[name], settings), f"{case}: {name}"


def test_a_setting_that_shapes_the_page_is_part_of_its_key(w, settings):
    """A restart with another REPLIES_SHOWN_PER_THREAD (from the environment) shows the new shape."""
    for _ in range(3):
        make_reflection(parent=w.post, body="One more reply")
    client = w.viewers["reader"]
    url = w.prompt.get_absolute_url()
    browse(client, url)
    assert "Show all 4 replies" in browse(client, url).text
    settings.REPLIES_SHOWN_PER_THREAD = 5
    assert page(client, url) == built(client, url, settings)
    assert "Show all 4 replies" not in browse(client, url).text


@pytest.mark.django_db(transaction=True)
def test_writes_that_move_the_same_stamps_at_once_all_go_through():
    """Members post, reply, like, save drafts, follow and join, and the activity is edited, at the
    same moment: every write takes the space's version, its posts' and the activity's rows in one
    order (and stamps in name order), so none fails, and the counters stay exact."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from lessons.services import join_course

    for role in roles.ALL_ROLES:  # a data migration makes them; the flush after a committed test does not
        Group.objects.get_or_create(name=role)
    course = make_course()
    prompt = make_prompt(lesson=make_lesson(course=course))
    thread = make_reflection(prompt=prompt, body="Start here")
    members = [make_user() for _ in range(8)]
    moderator = make_user(role=roles.MODERATOR)
    enrol(*members[:6], course=course)
    barrier = threading.Barrier(len(members))

    def act(index: int) -> None:
        member = members[index]
        try:
            barrier.wait(timeout=10)
            if index < 6:
                mine = services.create_reflection(prompt=prompt, author=member, body=f"Thought {index}")
                services.create_reflection(prompt=prompt, author=member, body="A reply", parent=thread)
                like = services.like_reflection(reflection=thread, user=member)
                services.set_like_reason(like=like, reason="It helped")
                services.save_draft(user=member, prompt=prompt, fields={"body": "More later"})
                notices.set_thread_level(user=member, thread=thread, level=Subscription.Level.WATCHING)
                services.edit_reflection(reflection=mine, body="Thought again", editor=member)
                extra = services.create_reflection(
                    prompt=prompt, author=member, body="Gone soon", parent=thread
                )
                services.delete_reflection(reflection=extra)
            elif index == 6:
                moderation.hide_reflection(reflection=thread, moderator=moderator, reason="A look")
                moderation.restore_reflection(reflection=thread, moderator=moderator)
                moderation.set_prompt_lock(prompt=prompt, moderator=moderator, locked=False)
            else:
                join_course(user=member, course=course)
                services.update_prompt(prompt=prompt, title=f"Retitled by {index}")  # the activity's row
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(members)) as pool:
        list(pool.map(act, range(len(members))))  # re-raises any write that failed
    thread.refresh_from_db()
    assert thread.like_count == 6 and thread.reply_count == 6
    assert Reflection.objects.filter(prompt=prompt, thread__isnull=True).count() == 7
    assert all(_stamp(versions.user_scope(member.pk)) for member in members[:6])
    assert Enrolment.objects.filter(course=course, user__in=members[:6] + members[7:]).count() == 7
    assert Like.objects.filter(reflection=thread).exclude(reason="").count() == 6
    assert Prompt.objects.get(pk=prompt.pk).reflection_count == 7


def test_writes_no_trigger_saw_are_shown_after_move_versions(w):
    """A data-only restore writes with the triggers off: ``manage.py move_versions`` makes every
    browser's copy stale, so the next request builds the page with those writes."""
    from django.core.management import call_command

    client = w.viewers["reader"]
    url = w.prompt.get_absolute_url()
    page(client, url)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # the triggers off
        cursor.execute(
            "UPDATE community_reflection SET body_html = '<p>Restored words</p>' WHERE id = %s", [w.post.pk]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    assert browse(client, url).revalidated  # no version moved: the copy is taken as current
    call_command("move_versions", stdout=io.StringIO())
    response = browse(client, url)
    assert not response.revalidated and "Restored words" in response.text


def test_a_kept_page_is_kept_per_language(w):
    """The page's tag names the language it was built in (issue 26): a member who follows their
    browser and switches it to Spanish gets the page built again, not the English copy."""
    client = w.viewers["reader"]
    url = w.prompt.get_absolute_url()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB")
    assert (
        client.get(
            url, HTTP_ACCEPT_LANGUAGE="en-GB", headers={"If-None-Match": english.headers["ETag"]}
        ).status_code
        == 304
    )
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es", headers={"If-None-Match": english.headers["ETag"]})
    assert spanish.status_code == 200 and '<html lang="es"' in spanish.text
    User.objects.filter(pk=w.reader.pk).update(language="ar")  # their own choice wins over the browser
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="es", headers={"If-None-Match": spanish.headers["ETag"]})
    assert arabic.status_code == 200 and '<html lang="ar" dir="rtl"' in arabic.text

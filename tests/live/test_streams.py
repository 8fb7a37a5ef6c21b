"""Server-sent nudges (live/streams.py): who may listen to what, nudges published after the commit
of a post or a moderation action, the version watcher's nudges for whatever wrote (a notice written
by the worker), and the stream itself served through ASGI. A nudge names a space or the member's
notices, never a post."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import AsyncClient

pytest.importorskip("django_eventstream")  # pinned with the shared lines of pyproject.toml

from django_eventstream.views import Listener, get_listener_manager  # noqa: E402

from lessons.models import Course  # noqa: E402
from live import streams  # noqa: E402
from moderation import services as moderation  # noqa: E402
from notifications.kinds import Kind  # noqa: E402
from notifications.models import Notification  # noqa: E402
from tests.factories import make_course, make_lesson, make_prompt, make_reflection, make_user  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def listen():
    """``listen(channel)``: a listener of this process's django-eventstream, as a stream holds one."""
    manager = get_listener_manager()
    loop = asyncio.new_event_loop()
    made = []

    def make(*channels):
        listener = Listener()
        listener.loop = loop
        listener.channels = set(channels)
        manager.add_listener(listener)
        made.append(listener)
        return listener

    yield make
    for listener in made:
        manager.remove_listener(listener)
    loop.close()


def _nudges(listener) -> list[tuple[str, str, str]]:
    return [(channel, e.type, e.data) for channel, items in listener.channel_items.items() for e in items]


@pytest.mark.enrolment  # members are enrolled only where the test enrols them
def test_members_listen_to_their_notices_and_the_spaces_they_may_open(user, other_user):
    manager = streams.ChannelManager()
    prompt = make_prompt()
    closed = make_prompt(lesson=make_lesson(course=make_course(joining=Course.Joining.INVITE_ONLY)))
    assert manager.can_read_channel(user, streams.notices_channel(user.pk))
    assert not manager.can_read_channel(user, streams.notices_channel(other_user.pk))
    assert manager.can_read_channel(user, streams.space_channel(prompt.pk))
    assert not manager.can_read_channel(user, streams.space_channel(closed.pk))  # invite-only, not invited
    assert not manager.can_read_channel(
        user, streams.space_channel(make_prompt(lesson=make_lesson(published=False)).pk)
    )
    assert not manager.can_read_channel(AnonymousUser(), streams.space_channel(prompt.pk))
    assert not manager.can_read_channel(user, "space-x") and not manager.can_read_channel(user, "other-1")


def test_a_post_and_a_moderation_action_nudge_their_space_after_the_commit(
    settings, listen, user, moderator, django_capture_on_commit_callbacks
):
    settings.LIVE_STREAMS = True
    prompt, elsewhere = make_prompt(), make_prompt()
    listener = listen(streams.space_channel(prompt.pk))
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        post = make_reflection(prompt=prompt, author=user, body="Something new")
    assert _nudges(listener) == []  # nothing before the commit
    for callback in waiting:
        callback()
    assert _nudges(listener) == [(f"space-{prompt.pk}", "space", str(prompt.pk))]
    listener.channel_items.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide_reflection(reflection=post, moderator=moderator, reason="Off topic")
        make_reflection(prompt=elsewhere, author=user)
    assert _nudges(listener) == [(f"space-{prompt.pk}", "space", str(prompt.pk))]


def test_with_streams_off_nothing_is_published(settings, listen, user, django_capture_on_commit_callbacks):
    settings.LIVE_STREAMS = False
    prompt = make_prompt()
    listener = listen(streams.space_channel(prompt.pk))
    with django_capture_on_commit_callbacks(execute=True):
        make_reflection(prompt=prompt, author=user)
    assert _nudges(listener) == []


def test_the_watcher_nudges_whatever_moved_a_listened_scope(listen, user, other_user):
    prompt = make_prompt()
    mine = streams.notices_channel(user.pk)
    listener = listen(mine, streams.space_channel(prompt.pk))
    theirs = listen(streams.notices_channel(other_user.pk))
    watcher = streams.VersionWatcher(every=1)
    assert watcher.round() == []  # the first round only reads
    Notification.objects.create(recipient=user, kind=Kind.MENTION, actor=other_user)  # as the worker writes
    assert watcher.round() == [mine]
    assert _nudges(listener) == [(mine, "notices", str(user.pk))]
    assert _nudges(theirs) == []
    assert watcher.round() == []  # nothing moved since


@pytest.mark.django_db(transaction=True)
def test_the_stream_carries_a_nudge_to_a_member_through_asgi(settings, user):
    settings.LIVE_STREAMS = True
    prompt = make_prompt()
    client = AsyncClient()

    async def journey():
        await sync_to_async(client.force_login)(user)
        response = await client.get("/live/events/", {"channel": streams.space_channel(prompt.pk)})
        assert response.status_code == 200 and response["Content-Type"] == "text/event-stream"
        chunks = aiter(response.streaming_content)
        first = (await anext(chunks)).decode()
        assert "event: stream-open" in first
        # The stream waits for news (live.js also checks on "stream-open", for whatever moved while
        # it was opening).
        waiting = asyncio.ensure_future(anext(chunks))
        await asyncio.sleep(0.3)
        await sync_to_async(make_reflection)(prompt=prompt, author=make_user(), body="Hello")  # commits
        said = (await asyncio.wait_for(waiting, timeout=5)).decode()
        assert "event: space\n" in said and f"\ndata: {prompt.pk}\n" in said
        assert "Hello" not in said  # a nudge, not the post
        await chunks.aclose()
        await sync_to_async(lambda: connection.close())()  # the stream's database thread's own

    try:
        # In a thread of its own: a browser test's event loop may still run in this one (Playwright).
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, journey()).result()
    finally:
        streams.watcher.stop()


@pytest.mark.django_db(transaction=True)
def test_a_stream_that_reconnects_is_told_what_it_missed(settings, user):
    """Nudges are stored: a browser whose stream dropped sends the last id it saw (Last-Event-ID,
    as EventSource does) and gets the nudges published meanwhile first."""
    settings.LIVE_STREAMS = True
    prompt = make_prompt()
    channel = streams.space_channel(prompt.pk)
    make_reflection(prompt=prompt, author=make_user(), body="Seen before the stream dropped")
    make_reflection(prompt=prompt, author=make_user(), body="Posted while it was away")
    client = AsyncClient()

    async def reconnect():
        await sync_to_async(client.force_login)(user)
        response = await client.get(
            "/live/events/", {"channel": channel}, headers={"Last-Event-ID": f"{channel}:1"}
        )
        chunks = aiter(response.streaming_content)
        said = ""
        while "event: space" not in said:
            said += (await asyncio.wait_for(anext(chunks), timeout=5)).decode()
        await chunks.aclose()
        await sync_to_async(lambda: connection.close())()
        return said

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            said = pool.submit(asyncio.run, reconnect()).result()
    finally:
        streams.watcher.stop()
    assert "event: space\n" in said and f"\ndata: {prompt.pk}\n" in said and f"{channel}:2" in said
    assert "Posted while it was away" not in said  # a nudge, not the post

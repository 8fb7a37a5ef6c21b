"""Server-sent nudges (``LIVE_STREAMS``): "space N changed", "your notices changed", and nothing
more. An event never names a post or a count; the browser answers it by asking the news checks
(``live.views``), which read through the one read rule. Polling stays underneath: with streams off,
a stream dropped, or a nudge lost, the next poll finds the same news.

The stream (``/live/events/?channel=space-4``, and always the member's ``notices-<id>``) is
django-eventstream's view,
served by the ASGI worker (``config/asgi.py``; docs/deploy.md). A member may listen only to their
own notices and to the spaces of activities they may open (``ChannelManager``). Nudges come from
two places:

- the community signals, after the commit (``publish_after_commit``): a post, a moderation
  action. Through Redis (``EVENTSTREAM_REDIS``, set with ``REDIS_URL``) they reach every ASGI
  process at once; without it, the listeners of the process that sent them;
- the version watcher in each ASGI process (``VersionWatcher``): every ``LIVE_STREAM_WATCH_SECONDS``
  it reads the versions of the scopes its listeners follow (one query, ``core.versions``) and
  nudges the channels whose scope moved, whatever wrote (the worker's notices, the admin, another
  server). So a Redis restart, or a nudge published where no one listened, loses nothing. Nudges
  are stored (``EVENTSTREAM_STORAGE_CLASS``): a browser that reconnects sends the last id it saw
  (``Last-Event-ID``) and is told what it missed; it also checks again (``live.js`` on ``stream-open``)."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.urls import path
from django_eventstream.channelmanager import DefaultChannelManager

from community import signals
from community.models import Prompt
from core import versions

logger = logging.getLogger(__name__)

SPACE, NOTICES = "space", "notices"
MAX_CHANNELS = 4  # a page follows its space and the member's notices


def space_channel(prompt_id: int) -> str:
    return f"{SPACE}-{prompt_id}"


def notices_channel(user_id: int) -> str:
    return f"{NOTICES}-{user_id}"


def _parse(channel: str) -> tuple[str, int] | None:
    kind, _, key = channel.partition("-")
    if kind not in (SPACE, NOTICES) or not key.isdigit():
        return None
    return kind, int(key)


def scope_of(channel: str) -> str | None:
    parsed = _parse(channel)
    if parsed is None:
        return None
    kind, key = parsed
    return versions.space_scope(key) if kind == SPACE else versions.notices_scope(key)


class ChannelManager(DefaultChannelManager):
    """Who may listen to what: members only; their own notices; the spaces of activities they may
    open (``Prompt.objects.visible_to``). A nudge carries no content, but a stranger should not
    learn even when a space they cannot open is busy."""

    def get_channels_for_request(self, request, view_kwargs):
        channels = set(request.GET.getlist("channel")[:MAX_CHANNELS])
        if request.user.is_authenticated:
            channels.add(notices_channel(request.user.pk))
        return channels

    def can_read_channel(self, user, channel):
        parsed = _parse(channel)
        if user is None or not user.is_authenticated or parsed is None:
            return False
        kind, key = parsed
        if kind == NOTICES:
            return key == user.pk
        return Prompt.objects.visible_to(user).filter(pk=key).exists()

    def is_channel_reliable(self, channel):
        return True  # nudges are stored: a reconnecting browser is told what it missed (Last-Event-ID)


# --- Publishing after the commit -----------------------------------------------------------------


def publish(channel: str, kind: str, key: int) -> None:
    from django_eventstream import send_event

    try:
        send_event(channel, kind, key)
    except Exception:  # noqa: BLE001 - Redis away: the watchers and the polls still find it
        logger.warning("live: could not publish %s", channel, exc_info=True)


def publish_after_commit(prompt_id: int | None) -> None:
    if prompt_id is None or not settings.LIVE_STREAMS:
        return
    transaction.on_commit(lambda: publish(space_channel(prompt_id), SPACE, prompt_id))


def _posted(sender, *, reflection, **kwargs) -> None:
    publish_after_commit(reflection.prompt_id)


def _moderated(sender, *, prompt_id=None, **kwargs) -> None:
    publish_after_commit(prompt_id)


def connect() -> None:
    signals.reflection_posted.connect(_posted, dispatch_uid="live.posted")
    signals.post_moderated.connect(_moderated, dispatch_uid="live.moderated")


# --- The version watcher (in each process that serves streams) -------------------------------------


class VersionWatcher:
    """Nudges this process's listeners whose scope moved: one query per round, whatever their
    number. A thread, since Django's database access is synchronous."""

    def __init__(self, every: float):
        self.every = every
        self.seen: dict[str, int | None] = {}
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()

    def start(self) -> None:
        with self.lock:
            if self.thread is not None:
                return
            self.stopping.clear()
            self.thread = threading.Thread(target=self.run, name="live-version-watcher", daemon=True)
            self.thread.start()

    def stop(self) -> None:
        with self.lock:
            thread, self.thread = self.thread, None
        if thread is not None:
            self.stopping.set()
            thread.join()

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                try:
                    self.round()
                except Exception:  # noqa: BLE001 - the database away for a moment: try next round
                    logger.warning("live: version watcher round failed", exc_info=True)
                    close_old_connections()
        finally:
            connection.close()

    def round(self) -> list[str]:
        """Read the listened scopes' versions; nudge the channels whose scope moved. Returns them."""
        from django_eventstream.event import Event
        from django_eventstream.views import get_listener_manager

        manager = get_listener_manager()
        with manager.lock:
            channels = [channel for channel in manager.listeners_by_channel if scope_of(channel)]
        if not channels:
            self.seen.clear()
            return []
        numbers = versions.read(scope_of(channel) for channel in channels)
        moved = []
        for channel in channels:
            now = numbers.get(scope_of(channel))
            if channel in self.seen and self.seen[channel] != now:
                moved.append(channel)
            self.seen[channel] = now
        for channel in set(self.seen) - set(channels):
            del self.seen[channel]
        for channel in moved:
            kind, key = _parse(channel)
            manager.add_to_queues(channel, Event(channel, kind, str(key)))
        return moved


watcher = VersionWatcher(every=settings.LIVE_STREAM_WATCH_SECONDS)


def events(request):
    """The stream: django-eventstream's view, with this process's version watcher running."""
    from django.http import HttpResponse
    from django_eventstream.views import events as stream

    if not settings.LIVE_STREAMS:
        return HttpResponse(status=404)
    watcher.start()
    return stream(request)


urlpatterns = [path("live/events/", events, name="events")]

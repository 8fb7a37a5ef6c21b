"""Idle streams in one process (live/streams.py): open N server-sent streams through the ASGI
handler, as one ASGI worker would hold them, and measure the memory they take, the CPU time to open
them, and how long one nudge takes to reach every one of them.

Run with `make bench` (LIVE_BENCH_STREAMS, default 1,000). In process, through Django's ASGI
handler (AsyncClient), without uvicorn's sockets: the figure is Django's and django-eventstream's
share of a stream, which is most of it. Asserts only that every stream opened and got the nudge.
"""

import asyncio
import os
import resource
import time

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from django.db import connection
from django.test import AsyncClient

from tests.factories import make_prompt, make_user

pytestmark = pytest.mark.skipif("live" not in django_settings.INSTALLED_APPS, reason="live not installed yet")
STREAMS = int(os.environ.get("LIVE_BENCH_STREAMS", "1000"))


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.django_db(transaction=True)
def test_idle_streams_benchmark(settings):
    settings.LIVE_STREAMS = True
    from live import streams

    prompt = make_prompt()
    member = make_user()

    async def hold() -> dict:
        client = AsyncClient()
        await sync_to_async(client.force_login)(member)
        before_rss, before_cpu, began = _rss_mib(), _cpu(), time.perf_counter()
        opened = []
        for _ in range(STREAMS):
            response = await client.get("/live/events/", {"channel": streams.space_channel(prompt.pk)})
            chunks = aiter(response.streaming_content)
            assert "stream-open" in (await anext(chunks)).decode()
            opened.append(chunks)
        open_seconds, open_cpu = time.perf_counter() - began, _cpu() - before_cpu
        waiting = [asyncio.ensure_future(anext(chunks)) for chunks in opened]
        await asyncio.sleep(0.5)  # every stream is waiting for news
        held_rss = _rss_mib()
        began = time.perf_counter()
        streams.publish(streams.space_channel(prompt.pk), streams.SPACE, prompt.pk)
        said = await asyncio.wait_for(asyncio.gather(*waiting), timeout=30)
        reached = time.perf_counter() - began
        assert all(b"event: space" in chunk for chunk in said)
        for chunks in opened:
            await chunks.aclose()
        await sync_to_async(lambda: connection.close())()
        return {"rss": held_rss - before_rss, "open": open_seconds, "cpu": open_cpu, "reach": reached}

    try:
        figures = asyncio.run(hold())
    finally:
        streams.watcher.stop()
    print(
        f"\n{STREAMS} idle streams in one process: +{figures['rss']:.1f} MiB resident "
        f"({figures['rss'] * 1024 / STREAMS:.1f} KiB a stream); opened in {figures['open']:.2f} s "
        f"({figures['cpu']:.2f} s CPU); one nudge reached all in {figures['reach'] * 1000:.0f} ms"
    )

"""Worker jobs of the accounts app (Procrastinate), enqueued only through core.jobs.enqueue."""

from django.conf import settings
from django.core.cache import caches
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from accounts.sessions import cache_is_down


class CacheStillDown(Exception):
    pass


# Every 5 s for about a day: the cached copy of a signed-out session goes as soon as Redis is back.
FORGET_RETRIES = RetryStrategy(max_attempts=17280, wait=5)


@app.task(name="accounts.forget_cached_session", retry=FORGET_RETRIES)
def forget_cached_session(cache_key: str) -> None:
    """Delete the cached copy of a session signed out while the cache did not answer."""
    cache = caches[settings.SESSION_CACHE_ALIAS]
    cache.delete(cache_key)
    if cache_is_down(cache):  # dropped again: try later
        raise CacheStillDown(cache_key)

"""A Redis cache that fails open: when Redis is unreachable, every operation is a miss, not a 500.

The cache holds rate-limit counters (django-ratelimit, allauth) and nothing a page cannot rebuild,
so losing it for a while must never stop members posting or signing in. ``FailOpenRedisCache`` is
Django's own Redis backend with each operation wrapped: a ``RedisError`` (refused connection,
timeout, a read-only replica…) is logged as a warning and answered as if the cache were empty:
``get`` returns the default, ``add`` reports the key as added (so django-ratelimit and allauth's
cache lock both see "first hit, allowed"), ``set`` and ``delete`` do nothing, ``incr`` raises
``ValueError`` as for a missing key. Rate limits therefore fail open while Redis is down.

After a failure the backend does not try Redis again for ``RETRY_SECONDS`` (a small circuit
breaker shared by the threads of a process), so a blackholed Redis costs one connect timeout per
few seconds rather than one per cache call, and the log gets one warning per outage window, not
one per request. ``settings.CACHES`` uses it whenever ``REDIS_URL`` is set (see docs/decisions.md).
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
FAILURES = (RedisError, OSError)

# Per process, per LOCATION: monotonic time until which Redis is treated as down. Django makes
# one backend instance per thread, so the state lives here rather than on the instance.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)

    # --- the breaker ---

    def is_down(self) -> bool:
        return _down_until.get(self._location, 0.0) > time.monotonic()

    def _failed(self, operation: str, error: Exception) -> None:
        with _lock:
            already_down = self._location in _down_until
            _down_until[self._location] = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "Cache unavailable (%s failed: %s); %s for %.0fs: rate limits fail open meanwhile.",
            operation,
            error,
            "still treating it as down" if already_down else "treating every cache call as a miss",
            RETRY_SECONDS,
        )

    def _recovered(self) -> None:
        if self._location in _down_until:
            with _lock:
                was_down = _down_until.pop(self._location, None) is not None
            if was_down:
                logger.info("Cache reachable again: rate limits are counted again.")

    def _safely(self, operation: str, call: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        if self.is_down():
            return fallback()
        try:
            result = call()
        except FAILURES as error:
            self._failed(operation, error)
            return fallback()
        self._recovered()
        return result

    # --- every operation Django's Redis backend has ---

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        base = super()
        return self._safely("add", lambda: base.add(key, value, timeout, version), lambda: True)

    def get(self, key, default=None, version=None):
        base = super()
        return self._safely("get", lambda: base.get(key, default, version), lambda: default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        base = super()
        self._safely("set", lambda: base.set(key, value, timeout, version), lambda: None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        base = super()
        return self._safely("touch", lambda: base.touch(key, timeout, version), lambda: False)

    def delete(self, key, version=None):
        base = super()
        return self._safely("delete", lambda: base.delete(key, version), lambda: False)

    def get_many(self, keys, version=None):
        base = super()
        return self._safely("get_many", lambda: base.get_many(keys, version), dict)

    def has_key(self, key, version=None):
        base = super()
        return self._safely("has_key", lambda: base.has_key(key, version), lambda: False)

    def incr(self, key, delta=1, version=None):
        base = super()

        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")

        return self._safely("incr", lambda: base.incr(key, delta, version), missing)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        base = super()
        return self._safely("set_many", lambda: base.set_many(data, timeout, version), lambda: list(data))

    def delete_many(self, keys, version=None):
        base = super()
        self._safely("delete_many", lambda: base.delete_many(keys, version), lambda: None)

    def clear(self):
        base = super()
        return self._safely("clear", base.clear, lambda: False)

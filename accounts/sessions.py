"""The session engine (``SESSION_ENGINE = "accounts.sessions"``): Django's ``cached_db`` (read from
the cache, written to the cache and the database), with one change: a sign-out made while the
cache does not answer is not forgotten (issue 21, item 25).

Signing out deletes the database row, then the cached copy. When the cache is down or stalls,
``core.cache.FailOpenRedisCache`` drops the delete, and the cached copy would sign the old cookie
back in as soon as Redis answers again, until it expired (weeks). So when the delete cannot be
confirmed, a job (``accounts.tasks.forget_cached_session``, in PostgreSQL, retried every few
seconds) deletes the cached copy once the cache answers.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore


def cache_is_down(cache) -> bool:
    """True while ``cache`` answers every call as a miss (FailOpenRedisCache's breaker is open)."""
    is_down = getattr(cache, "is_down", None)
    return bool(is_down and is_down())


class SessionStore(CachedDbStore):
    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        super().delete(session_key)
        if session_key is not None and cache_is_down(self._cache):
            from accounts.tasks import forget_cached_session
            from core.jobs import enqueue

            enqueue(forget_cached_session, cache_key=self.cache_key_prefix + session_key)

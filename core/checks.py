"""System checks for what settings cannot refuse outright.

core.W001 (``manage.py check --deploy``): without a shared cache (REDIS_URL), every app server
process counts rate limits on its own, so with N processes a limit lets through N times as much.
django-ratelimit's own check says so as an error (E003) that would stop the app starting, which
settings silence for development; this warning is the one production sees.

core.W002 (``check --deploy``): the rate-limit counters (alias ``settings.RATELIMIT_USE_CACHE``)
share the default cache's Redis, where a flood of cached fragments can evict them; set
``REDIS_RATELIMIT_URL`` to a Redis of their own with ``noeviction``.

core.W003 (``check --deploy``): rate limits are switched off (``RATELIMIT_ENABLE=false``), so
nothing stops a script posting, reporting or guessing.
"""

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    backend = settings.CACHES.get(settings.RATELIMIT_USE_CACHE, {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            "Rate limits are per process: the cache is process memory, so each app server process "
            "counts sign-ins, sign-ups and posts on its own.",
            hint="Set REDIS_URL when running more than one app server process.",
            id="core.W001",
        )
    ]


@checks.register(checks.Tags.caches, deploy=True)
def check_ratelimit_cache_is_its_own(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """core.W002: the security counters share a Redis with the evictable cache."""
    counters = settings.CACHES.get(settings.RATELIMIT_USE_CACHE, {})
    if counters.get("BACKEND", "") in PER_PROCESS_CACHES:
        return []
    if counters.get("LOCATION") != settings.CACHES.get("default", {}).get("LOCATION"):
        return []
    return [
        checks.Warning(
            "Rate-limit and sign-in lockout counters share the Redis of the cache: a flood of cached "
            "pages can evict them (allkeys-lru) and lift a lockout.",
            hint="Set REDIS_RATELIMIT_URL to a Redis with maxmemory-policy noeviction (docs/deploy.md).",
            id="core.W002",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_rate_limits_are_on(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """core.W003: rate limits off in production."""
    if settings.RATELIMIT_ENABLE:
        return []
    return [
        checks.Warning(
            "Rate limits are off (RATELIMIT_ENABLE=false): nothing stops a script posting, replying, "
            "reporting or searching as fast as it likes.",
            hint="Unset RATELIMIT_ENABLE (it defaults to true) in production.",
            id="core.W003",
        )
    ]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Reflect core")

    def ready(self) -> None:
        from core import checks  # noqa: F401  (registers the system checks)

        use_ratelimit_cache_for_allauth()


def use_ratelimit_cache_for_allauth() -> None:
    """allauth keeps its rate limits and failed-sign-in lockouts in ``django.core.cache.cache``
    (the default alias) and has no setting for another: point its module at the cache alias
    ``settings.RATELIMIT_USE_CACHE``, so a flood of cached fragments cannot evict a lockout
    (issue 21, item 23). ``tests/core/test_ratelimit_cache.py`` fails if allauth moves it."""
    from allauth.core.internal import ratelimit as allauth_ratelimit
    from django.conf import settings
    from django.core.cache import caches
    from django.utils.connection import ConnectionProxy

    allauth_ratelimit.cache = ConnectionProxy(caches, settings.RATELIMIT_USE_CACHE)

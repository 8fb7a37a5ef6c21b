from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live news")

    def ready(self) -> None:
        from community.space_page import register_page_extension
        from live import streams
        from live.space import add_news_bar

        register_page_extension(add_news_bar)
        streams.connect()

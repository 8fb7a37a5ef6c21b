from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live news"

    def ready(self) -> None:
        from community.space_page import register_page_extension
        from live import streams
        from live.space import add_news_bar

        register_page_extension(add_news_bar)
        streams.connect()

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Facilitator insight"

    def ready(self) -> None:
        from community.space_page import register_page_extension
        from insights.space import add_insights_link

        register_page_extension(add_insights_link)

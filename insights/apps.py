from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Facilitator insight")

    def ready(self) -> None:
        from community.space_page import register_page_extension
        from insights.space import add_insights_link

        register_page_extension(add_insights_link)

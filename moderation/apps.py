from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from community.post_actions import register_post_links
        from community.space_page import register_page_extension
        from moderation import member_data
        from moderation.space import add_lock_control

        member_data.register()
        register_page_extension(add_lock_control)
        register_post_links(report="moderation:report", moderate="moderation:post",
                            report_reason="moderation:report-reason")  # fmt: skip

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from community.post_actions import register_post_links
        from moderation import member_data

        member_data.register()
        register_post_links(report="moderation:report", moderate="moderation:post",
                            report_reason="moderation:report-reason")  # fmt: skip

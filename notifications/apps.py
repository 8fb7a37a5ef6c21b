from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from community.space_page import register_page_extension
        from core.conditional import register_dependencies
        from notifications import receivers  # noqa: F401  (connects the signal receivers)
        from notifications.services import unread_count_dependencies
        from notifications.space import add_follow_controls

        register_page_extension(add_follow_controls)
        register_dependencies(unread_count_dependencies)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community learning spaces")

    def ready(self) -> None:
        from community import member_data, profile, receivers

        member_data.register()
        profile.register()
        receivers.connect()

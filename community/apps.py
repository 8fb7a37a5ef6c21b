from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community learning spaces"

    def ready(self) -> None:
        from community import member_data, profile, receivers

        member_data.register()
        profile.register()
        receivers.connect()

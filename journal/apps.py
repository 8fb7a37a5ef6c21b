from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = _("Learning log")

    def ready(self) -> None:
        from accounts import member_data, profile_sections
        from journal import profile, services

        # The log itself is the member's posts, which community's part of the download covers.
        member_data.register_deletion_handler("journal.exports", services.delete_exports)
        profile_sections.register_profile_section("journal.log", profile.log_section)

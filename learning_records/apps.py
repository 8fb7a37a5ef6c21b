from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LearningRecordsConfig(AppConfig):
    name = "learning_records"
    verbose_name = _("Learning records (xAPI)")

    def ready(self) -> None:
        from accounts import member_data
        from learning_records import receivers, services  # noqa: F401  (connects the signal receivers)

        member_data.register_deletion_handler("learning_records", services.delete_member_records)
        member_data.register_download(
            member_data.Download(
                name="learning_records",
                label=_("Download your learning records (xAPI, JSON)"),
                url_name="learning_records:download",
                offered=lambda: bool(settings.LRS_URL),
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    """Reflect as an LTI 1.3 tool: launches from a learning platform, deep linking, the tool's keys.
    A leaf: it uses the trunk (accounts, lessons, community) and django-lti's models."""

    name = "lti"
    verbose_name = _("LTI 1.3 (learning platforms)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.insight_sections import register_insight_section
        from community.space_page import register_page_extension
        from lti.insight import gradebook_section
        from lti.space import add_course_record

        register_page_extension(add_course_record)
        register_insight_section(gradebook_section)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitationConfig(AppConfig):
    """Follow-through for facilitators (issue 25): every reflection heard, the activity's summary,
    the prompt library. A leaf: it imports the trunk only, and plugs into the space page, Insights
    and the worklist through the trunk's registries."""

    name = "facilitation"
    verbose_name = _("Facilitation (follow-through)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.insight_sections import register_insight_section
        from community.space_page import register_page_extension, register_prompt_flag
        from community.worklist_sections import register_worklist_section
        from facilitation import member_data, receivers  # noqa: F401  (receivers: connects them)
        from facilitation.insight import heard_section
        from facilitation.library import library_section
        from facilitation.space import add_follow_through, has_offer, has_summary

        register_prompt_flag("has_summary", has_summary)
        register_prompt_flag("has_offer", has_offer)
        register_page_extension(add_follow_through)
        register_insight_section(heard_section)
        register_worklist_section(library_section)
        member_data.register()

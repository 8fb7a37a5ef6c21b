from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowthroughConfig(AppConfig):
    name = "followthrough"
    verbose_name = _("Follow-through")

    def ready(self) -> None:
        from community.composer_fields import register_composer_field
        from community.insight_sections import register_insight_section
        from community.space_page import register_new_post_extension, register_page_extension
        from followthrough import member_data, receivers
        from followthrough.forms import come_back_field
        from followthrough.insight import followthrough_section
        from followthrough.space import add_followthrough, add_to_new_post

        receivers.connect()
        member_data.register()
        register_composer_field(come_back_field)
        register_page_extension(add_followthrough)
        register_new_post_extension(add_to_new_post)
        register_insight_section(followthrough_section)

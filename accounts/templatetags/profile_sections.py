"""``{% profile_section section %}``: render one of ``accounts.profile_sections``' sections in place."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def profile_section(context: template.Context, section: dict) -> str:
    """Like ``{% include %}``, with the section's own context on top of the page's (so its template
    still sees ``user``, ``request`` and ``member``)."""
    section_template = context.template.engine.get_template(section["template"])
    with context.push(**section.get("context", {})):
        return section_template.render(context)

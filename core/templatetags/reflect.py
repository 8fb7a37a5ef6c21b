"""Site-wide template helpers."""

from datetime import datetime

from django import template

from core.dates import timestamp_html

register = template.Library()


@register.simple_tag
def timestamp(value: datetime | None, css_class: str = "timestamp"):
    """``<time datetime="…">17 Jan, 2020 10:43</time>`` in the viewer's time zone."""
    return timestamp_html(value, css_class)


@register.inclusion_tag("components/role_badge.html")
def role_badge(member) -> dict:
    return {"role": member.role if member is not None else ""}

"""Site-wide template helpers."""

from datetime import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def timestamp(value: datetime | None, css_class: str = "timestamp"):
    """``<time datetime="…">17 Jan, 2020 10:43</time>`` in the viewer's time zone."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time class="{}" datetime="{}">{}</time>',
        css_class,
        local.isoformat(timespec="seconds"),
        format_date(local, settings.DATETIME_DISPLAY_FORMAT),
    )


@register.inclusion_tag("components/role_badge.html")
def role_badge(member) -> dict:
    return {"role": member.role if member is not None else ""}

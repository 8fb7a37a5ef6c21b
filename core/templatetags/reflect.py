"""Site-wide template helpers."""

from datetime import datetime

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import pgettext_lazy

from core.dates import timestamp_html

register = template.Library()

# The badge's words, by the role ``User.role`` names (group names, kept in English as data).
ROLE_LABELS = {
    "Facilitator": pgettext_lazy("role badge", "Facilitator"),
    "Moderator": pgettext_lazy("role badge", "Moderator"),
    "Staff": pgettext_lazy("role badge", "Staff"),
}


@register.simple_tag
def timestamp(value: datetime | None, css_class: str = "timestamp"):
    """``<time datetime="…">17 Jan, 2020 10:43</time>`` in the viewer's time zone."""
    return timestamp_html(value, css_class)


@register.simple_tag
def role_badge(member):
    """``<span class="badge badge--moderator">Moderator</span>`` ("" for learners and no one)."""
    role = member.role if member is not None else ""
    if not role:
        return ""
    return format_html('<span class="badge badge--{}">{}</span>', role.lower(), ROLE_LABELS.get(role, role))


@register.simple_tag
def content_lang(course):
    """`` lang="es"`` on what a course's authors wrote (titles, lessons, activities) when the page is
    in another language: screen readers pronounce it, browsers hyphenate and quote it rightly.
    "" when the two agree. Reads ``course.language`` only: no query for a course already loaded."""
    language = getattr(course, "language", "") or ""
    if not language or language == translation.get_language():
        return ""
    return format_html(' lang="{}"', language)

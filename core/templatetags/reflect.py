"""Site-wide template helpers."""

from datetime import datetime

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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
def content_lang(course, auto: bool = False):
    """`` lang="en-gb" dir="ltr"`` on what a course's authors wrote (titles, lessons, activities)
    when the page is in another language: screen readers pronounce it in its language, and English
    text on an Arabic page keeps its full stops at its end. "" when the two agree (or, with
    ``auto``, `` dir="auto"``: text someone may have written in either direction). Reads
    ``course.language`` only: no query for a course already loaded."""
    language = getattr(course, "language", "") or ""
    if not language or language == translation.get_language():
        return mark_safe(' dir="auto"') if auto else ""
    direction = "rtl" if translation.get_language_info(language)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', language, direction)


@register.filter
def bdi(value):
    """``<bdi>value</bdi>``: a title someone wrote, isolated inside a translated sentence so an
    English title in an Arabic heading (or the reverse) keeps its own order. Text only, escaped."""
    return format_html("<bdi>{}</bdi>", value)

"""Dates as Reflect shows them ("17 Jan, 2020 10:43" in English; each language's own form from
config/formats, decision 117), formatted fast enough for long tables.

Django's ``dateformat.format`` parses its format string on every call (~40 µs); a facilitator's
insight page shows a few hundred timestamps. The display format is compiled once into a list of
small functions; a format with characters this module does not know falls back to Django's.
"""

import functools
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS_ABBR
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_SPECIFIERS: dict[str, Callable[[datetime], str]] = {
    "D": lambda value: str(WEEKDAYS_ABBR[value.weekday()]),
    "j": lambda value: str(value.day),
    "d": lambda value: f"{value.day:02d}",
    "n": lambda value: str(value.month),
    "m": lambda value: f"{value.month:02d}",
    "M": lambda value: str(MONTHS_3[value.month]).title(),
    "F": lambda value: str(MONTHS[value.month]),
    "Y": lambda value: str(value.year),
    "G": lambda value: str(value.hour),
    "H": lambda value: f"{value.hour:02d}",
    "i": lambda value: f"{value.minute:02d}",
}


@functools.cache
def _compiled(fmt: str) -> list[Callable[[datetime], str]] | None:
    """One function per character of ``fmt``, or None if ``fmt`` needs Django's formatter."""
    parts = []
    for char in fmt:
        if char in _SPECIFIERS:
            parts.append(_SPECIFIERS[char])
        elif char.isalpha() or char == "\\":
            return None
        else:
            parts.append(lambda value, literal=char: literal)
    return parts


def format_datetime(value: datetime, fmt: str) -> str:
    """``value`` (already in the viewer's time zone) in Django's date format ``fmt``."""
    parts = _compiled(fmt)
    if parts is None:
        return django_format(value, fmt)
    return "".join(part(value) for part in parts)


def display_format() -> str:
    """The timestamp's form in the active language ("j M, Y H:i" in English)."""
    return get_format("DATETIME_FORMAT")


def format_timestamp(value: datetime) -> str:
    """``value`` as a timestamp in the viewer's zone and language: "17 Jan, 2020 10:43"."""
    return format_datetime(timezone.localtime(value), display_format())


def timestamp_html(value: datetime | None, css_class: str = "timestamp") -> SafeString | str:
    """``<time datetime="…">17 Jan, 2020 10:43</time>`` in the viewer's time zone ("" for None)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time class="{}" datetime="{}">{}</time>',
        css_class,
        local.isoformat(timespec="seconds"),
        format_datetime(local, display_format()),
    )


def time_later(start: datetime, end: datetime) -> str:
    """How long after ``start`` ``end`` came, in round words: "the same day", "2 days later",
    "3 weeks later", "2 months later" (a follow-up's label, issue 25)."""
    days = max((end - start).days, 0)
    if days < 1:
        # Translators: a follow-up written on the same day as the post it follows.
        return _("the same day")
    if days < 14:
        return ngettext("%(count)s day later", "%(count)s days later", days) % {"count": days}
    if days < 60:
        weeks = round(days / 7)
        return ngettext("%(count)s week later", "%(count)s weeks later", weeks) % {"count": weeks}
    months = round(days / 30.4)
    return ngettext("%(count)s month later", "%(count)s months later", months) % {"count": months}

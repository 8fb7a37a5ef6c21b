"""Template tags other apps' pages use to show community facts without importing community.

``{% load community %}``
"""

from django import template

from community.models import Reflection

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_reflection_count(context, lesson) -> int:
    """``{% lesson_reflection_count lesson as count %}``: the reflections on ``lesson`` the viewer
    may see, counted as everywhere else ("N reflections": live, top-level, through ``visible_to``)."""
    return (
        Reflection.objects.visible_to(context["request"].user).counted().filter(prompt__lesson=lesson).count()
    )

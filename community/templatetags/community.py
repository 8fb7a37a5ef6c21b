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


@register.simple_tag(takes_context=True)
def lesson_new_count(context, lesson) -> int:
    """``{% lesson_new_count lesson as count %}``: posts the viewer may see in ``lesson``'s space
    written since their last visit to each activity (the space page's "N new since your last visit")."""
    user = context["request"].user
    return Reflection.objects.visible_to(user).filter(prompt__lesson=lesson).new_for(user).count()

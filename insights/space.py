"""The "Insights" link on an activity, added through community.space_page's page extensions."""

from django.urls import reverse

from insights.permissions import can_view_insights


def add_insights_link(space) -> None:
    """``prompt.insights_url`` for the viewers who may read its insight. No query of its own: the
    course standing it needs was asked with ``takes_part`` for the composer."""
    if space.prompt is not None and can_view_insights(space.viewer.user, space.lesson.course_id):
        space.prompt.insights_url = reverse("insights:activity", args=[space.prompt.pk])

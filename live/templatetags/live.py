"""``base.html``'s hooks for live news: ``{% live_head %}`` (the script and its styles) and
``{% live_notices_attrs %}`` (on the header's notifications link: where its count is checked,
how often). Both print nothing for visitors or with ``LIVE_NEWS`` off."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


def _on(context) -> bool:
    user = getattr(context.get("request"), "user", None)
    return bool(settings.LIVE_NEWS and user is not None and user.is_authenticated)


@register.simple_tag(takes_context=True)
def live_head(context) -> str:
    if not _on(context):
        return ""
    stream = reverse("live:events") if settings.LIVE_STREAMS else ""
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" defer data-live-stream="{}"></script>',
        static("css/live.css"),
        static("js/live.js"),
        stream,
    )


@register.simple_tag(takes_context=True)
def live_notices_attrs(context) -> str:
    if not _on(context):
        return ""
    return format_html(
        ' data-live-notices="{}" data-live-every="{}"', reverse("live:notices"), settings.LIVE_POLL_SECONDS
    )

"""The ASGI application: the live news streams (/live/events/, live/streams.py) need it; the pages are
served by the WSGI app (docs/deploy.md), or by this one in development (LIVE_STREAMS=true make run)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

"""The few words reflect.js writes itself ("Liked", "12 words"), translated like the rest.

Django's ``JavaScriptCatalog`` gives the script ``gettext``/``ngettext``/``interpolate`` over the
``djangojs`` catalogues (``make messages`` extracts them from static/js). The language is in the
address and the release's digest in its query (``core.release``: the code and the compiled
catalogues), so browsers and shared caches may keep one copy per language for a day, and a
deployment with new words is fetched afresh.
"""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.i18n import JavaScriptCatalog

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


class Catalog(JavaScriptCatalog):
    """``/jsi18n/<language>.js``: the catalogue of the language in the address, not the request's."""

    domain = "djangojs"

    def get(self, request, *args, **kwargs):
        language = kwargs["language"]
        if language not in LANGUAGE_CODES:
            raise Http404
        with translation.override(language):
            response = super().get(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=86400)
        return response

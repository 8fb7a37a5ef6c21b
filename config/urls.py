from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import sso
from community import views as community_views
from config import javascript_catalog, views

handler500 = "config.views.server_error"  # a database outage outside a view → the 503 page

admin.site.site_header = _("Reflect administration")
admin.site.site_title = _("Reflect admin")
admin.site.index_title = _("Courses, lessons and community")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("bench/trivial", views.bench_trivial, name="bench-trivial"),  # 404 unless BENCH_TRIVIAL_VIEW
    path("favicon.ico", views.favicon),
    path("jsi18n/<str:language>.js", javascript_catalog.Catalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    # Our own markdownx endpoints: the widget posts here (settings.MARKDOWNX_*_PATH).
    path("markdownx/markdownify/", community_views.markdown_preview, name="markdown-preview"),
    path("markdownx/upload/", community_views.markdown_upload, name="markdown-upload"),
    path("", include("accounts.urls")),
    # Single sign-on: allauth's OIDC and SAML sign-in views, with a provider that cannot be reached
    # answered by a page, not a 500 (accounts/sso.py); matched before allauth's own.
    *sso.urlpatterns,
    path("accounts/", include("allauth.urls")),
    path("", include("community.urls")),
    path("", include("moderation.urls")),
    path("", include("notifications.urls")),
    path("", include("search.urls")),
    path("", include("insights.urls")),
    path("", include("journal.urls")),
    path("", include("learning_records.urls")),  # learning records (xAPI)
    path("", include("lti.urls")),  # LTI 1.3: /.well-known/jwks.json, /lti/… (docs/lti.md)
    path("", include("live.urls")),  # live news: /live/… (issue 24)
    path("", include("facilitation.urls")),  # follow-through: /facilitate/… (issue 25)
    path("", include("followthrough.urls")),  # follow-through: /posts/<id>/follow-up/, /me/landed/ (issue 25)
    path("", include("lessons.urls")),
]

from django.urls import path

from live import streams, views

app_name = "live"

urlpatterns = [
    path("live/spaces/<int:prompt_id>/news", views.space_news, name="space-news"),
    path("live/spaces/<int:prompt_id>/new", views.space_new_posts, name="space-new-posts"),
    path("live/notices", views.notices, name="notices"),
    *streams.urlpatterns,
]

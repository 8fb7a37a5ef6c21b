from django.urls import path

from facilitation import views

app_name = "facilitation"

urlpatterns = [
    path("facilitate/activities/<int:prompt_id>/", views.activity, name="activity"),
    path("facilitate/activities/<int:prompt_id>/heard/", views.heard, name="heard"),
    path("facilitate/activities/<int:prompt_id>/summary/", views.summary, name="summary"),
    path("facilitate/activities/<int:prompt_id>/library/", views.save_to_library, name="save-to-library"),
    path("facilitate/library/", views.library, name="library"),
    path("facilitate/library/<int:entry_id>/use/", views.use_from_library, name="use"),
    path("offers/<int:offer_id>/decline/", views.decline, name="decline"),
]

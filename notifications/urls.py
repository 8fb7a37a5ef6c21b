from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:notification_id>/", views.notification_open, name="open"),
    path("notifications/read-all/", views.mark_all_read, name="read-all"),
    path("notifications/settings/", views.preferences, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("posts/<int:post_id>/follow/", views.follow_thread, name="follow-thread"),
    path("activities/<int:prompt_id>/follow/", views.follow_activity, name="follow-activity"),
]

from django.urls import path

from learning_records import views

app_name = "learning_records"

urlpatterns = [
    path("me/learning-records/", views.record_settings, name="settings"),
    path("me/learning-records.json", views.download, name="download"),
    # The statements' activity ids: stable (ids, not slugs), and each opens what it names.
    path("xapi/activities/<int:pk>/", views.activity, name="activity"),
    path("xapi/lessons/<int:pk>/", views.lesson, name="lesson"),
    path("xapi/courses/<int:pk>/", views.course, name="course"),
]

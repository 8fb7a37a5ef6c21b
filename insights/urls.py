from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("facilitate/", views.worklist, name="worklist"),
    path("activities/<int:prompt_id>/insights/", views.activity_insights, name="activity"),
    path("activities/<int:prompt_id>/insights/learners.csv", views.learners_csv, name="csv"),
    path("activities/<int:prompt_id>/insights/nudge/", views.nudge, name="nudge"),
]

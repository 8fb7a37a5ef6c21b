from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("courses/<slug:course_slug>/lessons/<slug:lesson_slug>/community/", views.space, name="space"),
]

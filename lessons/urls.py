from django.urls import path

from lessons import views

app_name = "lessons"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("courses/<slug:course_slug>/", views.course_detail, name="course-detail"),
    path("courses/<slug:course_slug>/join/", views.join, name="join"),
    path("courses/<slug:course_slug>/join/<str:token>/", views.join_invitation, name="join-invitation"),
    path("courses/<slug:course_slug>/invite/", views.invite, name="invite"),
    path(
        "courses/<slug:course_slug>/invite/<int:cohort_id>/renew/",
        views.renew_invitation,
        name="renew-invitation",
    ),
    path("courses/<slug:course_slug>/lessons/<slug:lesson_slug>/", views.lesson_detail, name="lesson-detail"),
]

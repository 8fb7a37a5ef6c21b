from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("u/<str:handle>/", views.profile_detail, name="profile"),
    path("accounts/profile/", views.profile_edit, name="profile-edit"),
]

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("u/<str:handle>/", views.profile_detail, name="profile"),
    path("accounts/profile/", views.profile_edit, name="profile-edit"),
    path("accounts/export/", views.export_page, name="export"),
    path("accounts/export/reflect-data.json", views.export_json, name="export-json"),
    path("accounts/export/reflect-data.md", views.export_markdown, name="export-markdown"),
    path("accounts/delete/", views.delete_account, name="delete"),
]

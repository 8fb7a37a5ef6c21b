from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("u/<str:handle>/", views.profile_detail, name="profile"),
    path("accounts/profile/", views.profile_edit, name="profile-edit"),
    path("accounts/time-zone/", views.browser_time_zone, name="browser-time-zone"),
    path("accounts/export/", views.export_page, name="export"),
    path("accounts/export/reflect-data.json", views.export_json, name="export-json"),
    path("accounts/export/reflect-data.md", views.export_markdown, name="export-markdown"),
    path("accounts/delete/", views.delete_account, name="delete"),
    # allauth's own pages at allauth's addresses (matched first), filling in the address already
    # given (accounts/entrance.py); `account_login` and `account_reset_password` name them still.
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
]

from django.urls import path

from lti import views

app_name = "lti"

urlpatterns = [
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("lti/login/", views.login, name="login"),
    path("lti/login/<uuid:registration_uuid>/", views.login, name="login-registration"),
    path("lti/launch/", views.launch, name="launch"),
    path("lti/deep-link/", views.deep_link, name="deep-link"),
    path("lti/link-account/<str:token>/", views.link_account, name="link-account"),
    path("lti/register/<str:token>/", views.dynamic_registration, name="dynamic-registration"),
    path("lti/courses/<slug:course_slug>/roster/", views.roster, name="roster"),
    path("lti/roster/<int:link_id>/sync/", views.roster_sync, name="roster-sync"),
]

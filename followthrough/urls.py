from django.urls import path

from followthrough import views

app_name = "followthrough"

urlpatterns = [
    path("posts/<int:post_id>/come-back/", views.plan, name="plan"),
    path("posts/<int:post_id>/come-back/cancel/", views.cancel, name="cancel"),
    path("posts/<int:post_id>/follow-up/", views.follow_up, name="follow-up"),
    path("me/landed/", views.landed, name="landed"),
]

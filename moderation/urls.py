from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("posts/<int:post_id>/report/", views.reflection_report, name="report"),
    path("likes/<int:like_id>/report/", views.reason_report, name="report-reason"),
    # The moderation pages (moderators and staff)
    path("moderation/", views.queue, name="queue"),
    path("moderation/log/", views.log, name="log"),
    path("moderation/posts/<int:post_id>/", views.post_detail, name="post"),
    path("moderation/posts/<int:post_id>/dismiss/", views.post_dismiss, name="dismiss"),
    path("moderation/posts/<int:post_id>/hide/", views.post_hide, name="hide"),
    path("moderation/posts/<int:post_id>/restore/", views.post_restore, name="restore"),
    path("moderation/posts/<int:post_id>/replies/", views.post_hide_replies, name="hide-replies"),
    path("moderation/posts/<int:post_id>/edit/", views.post_edit, name="edit"),
    path("moderation/posts/<int:post_id>/delete/", views.post_delete, name="delete"),
    path("moderation/posts/<int:post_id>/history/", views.post_history, name="history"),
    path("moderation/likes/<int:like_id>/remove-reason/", views.reason_remove, name="reason-remove"),
    path("moderation/likes/<int:like_id>/dismiss/", views.reason_dismiss, name="reason-dismiss"),
    path("moderation/activities/<int:prompt_id>/lock/", views.prompt_lock, name="lock"),
    path("moderation/members/<str:handle>/", views.member_suspend, name="member"),
    path("moderation/suspensions/<int:suspension_id>/lift/", views.suspension_lift, name="lift"),
]

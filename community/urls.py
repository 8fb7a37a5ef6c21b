from django.urls import path

from community import moderation_views, views

app_name = "community"

space = "courses/<slug:course_slug>/lessons/<slug:lesson_slug>/community/"

urlpatterns = [
    path(space, views.space, name="space"),
    path(f"{space}activities/<int:prompt_id>/", views.prompt_detail, name="prompt-detail"),
    path("activities/<int:prompt_id>/reflect/", views.reflection_create, name="reflection-create"),
    path("posts/<int:post_id>/", views.post_permalink, name="post"),
    path("posts/<int:post_id>/reply/", views.reflection_reply, name="reflection-reply"),
    path("posts/<int:post_id>/edit/", views.reflection_edit, name="reflection-edit"),
    path("posts/<int:post_id>/delete/", views.reflection_delete, name="reflection-delete"),
    path("posts/<int:post_id>/like/", views.reflection_like, name="reflection-like"),
    path("posts/<int:post_id>/likes/", views.reflection_likes, name="reflection-likes"),
    path("posts/<int:post_id>/report/", moderation_views.reflection_report, name="reflection-report"),
    # Moderation (moderators and staff)
    path("moderation/", moderation_views.queue, name="moderation-queue"),
    path("moderation/log/", moderation_views.log, name="moderation-log"),
    path("moderation/posts/<int:post_id>/", moderation_views.post_detail, name="moderation-post"),
    path("moderation/posts/<int:post_id>/dismiss/", moderation_views.post_dismiss, name="moderation-dismiss"),
    path("moderation/posts/<int:post_id>/hide/", moderation_views.post_hide, name="moderation-hide"),
    path("moderation/posts/<int:post_id>/restore/", moderation_views.post_restore, name="moderation-restore"),
    path("moderation/posts/<int:post_id>/edit/", moderation_views.post_edit, name="moderation-edit"),
    path("moderation/posts/<int:post_id>/delete/", moderation_views.post_delete, name="moderation-delete"),
    path("moderation/posts/<int:post_id>/history/", moderation_views.post_history, name="moderation-history"),
    path("moderation/activities/<int:prompt_id>/lock/", moderation_views.prompt_lock, name="moderation-lock"),
    path("moderation/members/<str:handle>/", moderation_views.member_suspend, name="moderation-member"),
    path(
        "moderation/suspensions/<int:suspension_id>/lift/",
        moderation_views.suspension_lift,
        name="moderation-lift",
    ),
]

from django.urls import path

from community import views

app_name = "community"

space = "courses/<slug:course_slug>/lessons/<slug:lesson_slug>/community/"

urlpatterns = [
    path(space, views.space, name="space"),
    path(f"{space}activities/<int:prompt_id>/", views.space, name="prompt-detail"),
    path("activities/<int:prompt_id>/reflect/", views.reflection_create, name="reflection-create"),
    path("activities/<int:prompt_id>/draft/", views.reflection_draft, name="reflection-draft"),
    path("posts/<int:post_id>/", views.post_permalink, name="post"),
    path("posts/<int:post_id>/thread/", views.thread, name="thread"),
    path("posts/<int:post_id>/reply/", views.reflection_reply, name="reflection-reply"),
    path("posts/<int:post_id>/reply/draft/", views.reply_draft, name="reply-draft"),
    path("posts/<int:post_id>/edit/", views.reflection_edit, name="reflection-edit"),
    path("posts/<int:post_id>/delete/", views.reflection_delete, name="reflection-delete"),
    path("posts/<int:post_id>/history/", views.reflection_history, name="reflection-history"),
    path("posts/<int:post_id>/like/", views.reflection_like, name="reflection-like"),
    path("posts/<int:post_id>/unlike/", views.reflection_unlike, name="reflection-unlike"),
    path("posts/<int:post_id>/likes/", views.reflection_likes, name="reflection-likes"),
    path("posts/<int:post_id>/like/reason/", views.like_reason, name="like-reason"),
    path("posts/<int:post_id>/like/reason/remove/", views.like_reason_remove, name="like-reason-remove"),
    path("posts/<int:post_id>/share/", views.reflection_share, name="reflection-share"),
    path("posts/<int:post_id>/highlight/", views.reflection_highlight, name="reflection-highlight"),
    path("posts/<int:post_id>/unhighlight/", views.reflection_unhighlight, name="reflection-unhighlight"),
]

from django.urls import path, re_path

from journal import views

app_name = "journal"

urlpatterns = [
    path("me/learning-log/", views.learning_log, name="learning-log"),
    path("me/learning-log/export.md", views.export_markdown, name="export-markdown"),
    path("me/learning-log/export.csv", views.export_csv, name="export-csv"),
    path("me/learning-log/pdf/", views.export_pdf, name="export-pdf"),
    path("me/learning-log/pdf/<int:pk>/", views.pdf_status, name="pdf"),
    path("me/learning-log/pdf/<int:pk>/download/", views.pdf_download, name="pdf-download"),
    # The log's address until it was named like the page: bookmarks and old PDF links still work.
    re_path(
        r"^me/reflections/(?P<rest>(?:export\.md|export\.csv|pdf/(?:[0-9]+/(?:download/)?)?)?)$",
        views.moved_to_learning_log,
    ),
]

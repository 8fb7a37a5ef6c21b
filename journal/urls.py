from django.urls import path

from journal import views

app_name = "journal"

urlpatterns = [
    path("me/reflections/", views.reflection_log, name="log"),
    path("me/reflections/export.md", views.export_markdown, name="export-markdown"),
    path("me/reflections/export.csv", views.export_csv, name="export-csv"),
    path("me/reflections/pdf/", views.export_pdf, name="export-pdf"),
    path("me/reflections/pdf/<int:pk>/", views.pdf_status, name="pdf"),
    path("me/reflections/pdf/<int:pk>/download/", views.pdf_download, name="pdf-download"),
]

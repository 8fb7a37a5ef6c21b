from django.conf import settings
from django.db import models
from django.urls import reverse


class LogExport(models.Model):
    """A PDF of a member's learning log, built by the worker (``journal.tasks.build_log_pdf``) and
    kept until the member asks for another one (or deletes their account). Only its member may
    read it. The filters are kept so the PDF says what it covers."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(
        "lessons.Course", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    content = models.BinaryField(null=True, editable=False)
    size = models.PositiveIntegerField(default=0, help_text="Bytes.")
    post_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="log_export_user_latest")]

    def __str__(self) -> str:
        return f"Learning log PDF {self.pk} of {self.user_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("journal:pdf", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

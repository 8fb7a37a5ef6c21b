from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LogExport(models.Model):
    """A PDF of a member's learning log, built by the worker (``journal.tasks.build_log_pdf``) and
    kept until the member asks for another one (or deletes their account). Only its member may
    read it. The filters are kept so the PDF says what it covers."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("export state", "Being prepared")
        READY = "ready", pgettext_lazy("export state", "Ready")
        FAILED = "failed", pgettext_lazy("export state", "Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    course = models.ForeignKey(
        "lessons.Course", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("course"),
    )  # fmt: skip
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    content = models.BinaryField(_("content"), null=True, editable=False)
    size = models.PositiveIntegerField(_("size"), default=0, help_text=_("Bytes."))
    post_count = models.PositiveIntegerField(_("post count"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning log export")
        verbose_name_plural = _("learning log exports")
        indexes = [models.Index(fields=["user", "-created_at"], name="log_export_user_latest")]

    def __str__(self) -> str:
        return f"Learning log PDF {self.pk} of {self.user_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("journal:pdf", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

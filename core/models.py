from django.db import models


class Version(models.Model):
    """A scope's number (``core.versions``: what moves it, who must call what)."""

    name = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        db_table = "core_version"

    def __str__(self) -> str:
        return f"{self.name} at {self.version}"

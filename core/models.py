from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Version(models.Model):
    """A scope's number (``core.versions``: what moves it, who must call what)."""

    name = models.CharField(_("name"), max_length=64, primary_key=True)
    version = models.BigIntegerField(_("version"))

    class Meta:
        db_table = "core_version"
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self) -> str:
        # Translators: a version scope (e.g. "space:4") and its number.
        return gettext("%(name)s at %(version)s") % {"name": self.name, "version": self.version}

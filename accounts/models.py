import functools
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.validators import handle_validator

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


@functools.cache
def _profile_url_prefix(script_prefix: str) -> str:
    return reverse("accounts:profile", kwargs={"handle": "x"}).removesuffix("x/")


def profile_url(handle: str) -> str:
    """A member's profile address, ``/u/<handle>/``: reversed once (per script prefix), not once per
    author on a page of posts. Handles are letters, digits and underscores, so nothing needs quoting."""
    return f"{_profile_url_prefix(get_script_prefix())}{handle}/"


def role_names_column(member: str = "pk") -> ArraySubquery:
    """The role names of the member at ``member`` (a path from the rows being read) as one array
    column: annotate members with ``role_name_list=role_names_column()`` and ``User.role_names``
    reads it, so a list of authors needs no second query for their groups."""
    from django.contrib.auth.models import Group

    return ArraySubquery(Group.objects.filter(user=OuterRef(member)).values("name"))


STANDING = ("standing_roles", "standing_suspension_id", "standing_next_start", "standing_next_end")


def role_and_suspension_columns() -> dict:
    """Annotations of a member's standing (``STANDING``): their role names, the suspension in
    force now, and when one next starts or ends (``User.remember_standing`` keeps them)."""
    now = timezone.now()
    active = Suspension.objects.filter(
        user_id=OuterRef("pk"), lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now
    ).order_by("-starts_at")
    ahead = Suspension.objects.filter(user_id=OuterRef("pk"), lifted_at__isnull=True, ends_at__gt=now)
    return {
        "standing_roles": role_names_column(),
        "standing_suspension_id": Subquery(active.values("pk")[:1]),
        "standing_next_start": Subquery(
            ahead.filter(starts_at__gt=now).order_by("starts_at").values("starts_at")[:1]
        ),
        "standing_next_end": Subquery(ahead.order_by("ends_at").values("ends_at")[:1]),
    }


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, handle: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        if not handle:
            raise ValueError("A handle is required.")
        extra.setdefault("display_name", handle)
        user = self.model(email=self.normalize_email(email).lower(), handle=handle.lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, handle: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, handle, password, **extra)

    def create_superuser(self, email: str, handle: str, password: str | None = None, **extra) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, handle, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member. Signs in by email; others see the display name and mention the @handle."""

    email = models.EmailField(_("email address"), unique=True)
    handle = models.CharField(
        _("handle"),
        max_length=30,
        unique=True,
        validators=[handle_validator],
        help_text=_("Letters, numbers and underscores. Others mention you as @handle."),
    )
    display_name = models.CharField(_("display name"), max_length=80)
    bio = models.TextField(
        _("bio"), blank=True, max_length=500, help_text=_("A sentence or two about you. Plain text.")
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE
    )
    # False while ``time_zone`` is only the site's default: the browser may then set it, once
    # (accounts.services.set_time_zone_from_browser), and emails about a course use the course's zone
    # (accounts.locale.recipient_zone). True once the member chose a zone or their browser gave one.
    time_zone_set = models.BooleanField(_("time zone set"), default=False)
    # Blank: follow the browser's Accept-Language (django.middleware.locale.LocaleMiddleware).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True,
        help_text=_("The language of the site and of your emails. Blank: your browser's."),
    )  # fmt: skip
    # Kept by the community services that create and remove posts; recount with resync_post_counts.
    post_count = models.PositiveIntegerField(_("post count"), default=0, editable=False)
    is_staff = models.BooleanField(
        _("is staff"), default=False, help_text=_("Can sign in to the admin site (facilitators and staff).")
    )
    is_active = models.BooleanField(_("is active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["handle", "display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("handle"), name="user_handle_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (@{self.handle})"

    def get_absolute_url(self) -> str:
        return profile_url(self.handle)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @cached_property
    def active_suspension(self) -> "Suspension | None":
        """The suspension in force now, if any, cached for the request: read with the member's
        role names in one query (``_read_standing``), its row only when there is one."""
        if not self.pk:
            return None
        self._read_standing()
        return self.__dict__["active_suspension"]

    def _read_standing(self) -> None:
        """The member's role names and active suspension, in one query: nearly every page asks
        for both (the role badge and what they may do; the suspension banner). The signed-in
        member's come with their row (``accounts.backends``)."""
        row = (
            User.objects.filter(pk=self.pk)
            .annotate(**role_and_suspension_columns())
            .values_list(*STANDING)
            .first()
        )
        self.remember_standing(*(row or ([], None, None, None)))

    def remember_standing(self, names, suspension_id, next_start, next_end) -> None:
        """What ``role_and_suspension_columns`` read, kept for the request."""
        self.__dict__["standing_changes_at"] = min((t for t in (next_start, next_end) if t), default=None)
        self.__dict__.setdefault("role_names", frozenset(names))
        self.__dict__["active_suspension"] = (
            Suspension.objects.get(pk=suspension_id) if suspension_id else None
        )

    @cached_property
    def standing_changes_at(self):
        """When the member's standing next changes by the clock alone (a suspension starts or
        ends), or None: read with ``active_suspension``. A page kept by the browser ends then."""
        if not self.pk:
            return None
        self._read_standing()
        return self.__dict__["standing_changes_at"]

    @property
    def is_suspended(self) -> bool:
        return self.active_suspension is not None

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Names of the member's role groups.

        From the ``role_name_list`` column of ``role_names_column()`` read with the member, or
        prefetched ``groups`` (list pages pay no query per author); else read with the member's
        active suspension in one query (``_read_standing``).
        """
        if (listed := self.__dict__.get("role_name_list")) is not None:
            return frozenset(listed)
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("groups")
        if prefetched is not None or not self.pk:
            return frozenset(group.name for group in (prefetched or ()))
        if "active_suspension" in self.__dict__:  # already read: the groups alone
            return frozenset(group.name for group in self.groups.all())
        self._read_standing()
        return self.__dict__["role_names"]

    @property
    def role(self) -> str:
        """The badge shown beside the name; empty for learners."""
        names = self.role_names
        if roles.FACILITATOR in names:
            return roles.FACILITATOR
        if roles.MODERATOR in names:
            return roles.MODERATOR
        if self.is_staff or self.is_superuser:
            return "Staff"
        return ""


class Suspension(models.Model):
    """A member who may read but not post, reply, like or report until ``ends_at``."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="suspensions", verbose_name=_("user")
    )
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts at"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"))
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("lifted by")
    )

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["user", "ends_at"])]

    def __str__(self) -> str:
        return gettext("Suspension of %(member)s until %(end)s") % {
            "member": self.user,
            "end": f"{self.ends_at:%Y-%m-%d %H:%M}",
        }

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and self.starts_at <= timezone.now() < self.ends_at

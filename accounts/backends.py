"""Authentication backends that read the signed-in member's standing (roles, suspension) with
their row: one query per request where there were two, since nearly every page asks for both.

The same query asks whether the request's session still has its database row
(``session_key_in_use``): a sign-out deletes the row at once, so a cookie whose cached copy
outlived it (Redis stalled during the sign-out) is no longer signed in (issue 21, item 25)."""

from contextlib import contextmanager
from contextvars import ContextVar

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.sessions.models import Session
from django.db.models import Exists
from django.utils import timezone

from accounts.models import STANDING, User, role_and_suspension_columns

_session_key: ContextVar[str | None] = ContextVar("reflect_session_key", default=None)


@contextmanager
def session_key_in_use(session_key: str | None):
    """While reading the member of a request, the key of its session (``accounts.middleware``)."""
    token = _session_key.set(session_key)
    try:
        yield
    finally:
        _session_key.reset(token)


class _StandingWithTheRow:
    def get_user(self, user_id):
        users = User.objects.annotate(**role_and_suspension_columns())
        key = _session_key.get()
        if key:
            alive = Session.objects.filter(session_key=key, expire_date__gt=timezone.now())
            users = users.annotate(session_alive=Exists(alive))
        user = users.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        if key and not user.session_alive:  # signed out (its row deleted), whatever the cache says
            return None
        user.remember_standing(*(getattr(user, name) for name in STANDING))
        return user


class ModelBackend(_StandingWithTheRow, DjangoModelBackend):
    pass


class AuthenticationBackend(_StandingWithTheRow, AllauthBackend):
    pass


# Sessions begun with the plain backends carry their paths; accounts.middleware moves them here.
REPLACED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.backends.AuthenticationBackend",
}

"""Authentication backends that read the signed-in member's standing (roles, suspension) with
their row: one query per request where there were two, since nearly every page asks for both."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from accounts.models import STANDING, User, standing_columns


class _StandingWithTheRow:
    def get_user(self, user_id):
        user = User.objects.annotate(**standing_columns()).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
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

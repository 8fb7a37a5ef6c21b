"""The tool's signing keys (django-lti's ``Key`` rows): made on first use, published at
``/.well-known/jwks.json``, rotated with ``manage.py lti_rotate_keys``.

The newest active key signs (django-lti's ``LtiRegistration.to_registration`` takes
``Key.objects.active().latest()``). A key another one replaced stays published for
``LTI_KEY_GRACE_DAYS`` after its successor was made, so a platform that cached our key set still
checks what we signed before the rotation; then it is retired (``is_active`` off)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from lti_tool.models import Key


def grace() -> timedelta:
    return timedelta(days=settings.LTI_KEY_GRACE_DAYS)


def ensure_key() -> Key:
    """The signing key, made now if there is none (the first registration or launch)."""
    key = Key.objects.active().order_by("-datetime_created", "-pk").first()
    return key if key is not None else Key.objects.generate()


def _superseded_long_ago(keys: list[Key], now) -> list[Key]:
    """Of ``keys`` (newest first), those whose successor was made more than the grace period ago."""
    return [key for newer, key in zip(keys, keys[1:], strict=False) if newer.datetime_created < now - grace()]


def published_keys() -> list[Key]:
    """The keys in the key set: the signing key and those still within their grace period."""
    ensure_key()
    keys = list(Key.objects.active().order_by("-datetime_created", "-pk"))
    retired = {key.pk for key in _superseded_long_ago(keys, timezone.now())}
    return [key for key in keys if key.pk not in retired]


def jwks() -> dict:
    return {"keys": [key.as_jwk() for key in published_keys()]}


@transaction.atomic
def rotate_keys() -> tuple[Key, int]:
    """A new signing key; keys replaced more than the grace period ago are retired. Returns the new
    key and how many were retired."""
    new = Key.objects.generate()
    keys = list(Key.objects.active().select_for_update().order_by("-datetime_created", "-pk"))
    old = [key.pk for key in _superseded_long_ago(keys, timezone.now())]
    retired = Key.objects.filter(pk__in=old).update(is_active=False)
    return new, retired

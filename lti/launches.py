"""Validating a launch: PyLTI1p3 (through django-lti's tool configuration) does the work; this
module only closes three gaps it leaves, without touching the token's cryptography.

- **The nonce is used once.** PyLTI1p3 checks that the nonce was issued (at login initiation) but
  never forgets it, and it accepts a state it has seen with the same token again, so the same form
  posted twice would launch twice. Here the nonce is taken out of the cache after the signature has
  been checked; a second post of the token finds it gone.
- **azp.** PyLTI1p3 compares the first ``aud`` with the client id only. The OIDC rule: the client id
  must be among the audiences, and when there are several, or an ``azp`` is given, ``azp`` must be it.
- **A platform that does not answer** cannot hold a request: its key set is fetched with a timeout,
  and kept in the cache for ten minutes (a class launching at once is one fetch); a token signed
  with a key the kept set lacks (the platform rotated) fetches the set again, once.

State and nonce live in the Django cache (``DjangoCacheDataStorage``: Redis in production, shared
by every app server), so any server may finish a launch another began."""

import hashlib
from typing import Any

import requests
from lti_tool.models import LtiLaunch
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.request import DjangoRequest
from pylti1p3.exception import LtiException
from pylti1p3.launch_data_storage.base import DisableSessionId

KEYSET_TIMEOUT_SECONDS = 5
LOGIN_LIFETIME_SECONDS = 600
KEYSET_CACHE_SECONDS = 600


class LaunchRefused(Exception):
    """A launch Reflect does not accept; ``str()`` is what the page says."""


class TimeoutSession(requests.Session):
    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", KEYSET_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


class LaunchStorage(DjangoCacheDataStorage):
    def forget(self, key: str) -> None:
        self._get_cache().delete(self._prepare_key(key))

    def consume(self, key: str) -> bool:
        """Remove ``key``; True only for the one caller that removed it (cache delete is atomic)."""
        return bool(self._get_cache().delete(self._prepare_key(key)))


class ReflectMessageLaunch(DjangoMessageLaunch):
    _refetched_key_set = False

    def get_public_key(self):
        try:
            return super().get_public_key()
        except LtiException as error:
            storage = self._public_key_cache_data_storage
            if "Unable to find public key" not in str(error) or self._refetched_key_set or storage is None:
                raise
        self._refetched_key_set = True  # the kept key set may predate the platform's rotation
        url = self._registration.get_key_set_url()
        with DisableSessionId(storage):
            storage.forget("key-set-url-" + hashlib.md5(url.encode("utf-8")).hexdigest())
        self._registration.set_key_set(None)
        return super().get_public_key()

    def validate_registration(self) -> "ReflectMessageLaunch":
        super().validate_registration()
        body = self._get_jwt_body()
        client_id = self._registration.get_client_id()
        audiences = body.get("aud")
        audiences = audiences if isinstance(audiences, list) else [audiences]
        if client_id not in audiences:
            raise LtiException("The token is not addressed to this tool")
        azp = body.get("azp")
        if (len(audiences) > 1 or azp is not None) and azp != client_id:
            raise LtiException("The token's authorised party (azp) is not this tool")
        return self

    def validate_jwt_signature(self) -> "ReflectMessageLaunch":
        super().validate_jwt_signature()
        nonce = self._get_jwt_body().get("nonce")
        storage = self._session_service.data_storage
        if not isinstance(storage, LaunchStorage) or not storage.consume(
            self._session_service._get_key("nonce", nonce)
        ):
            raise LtiException("This launch was already used")
        return self


def storage() -> LaunchStorage:
    return LaunchStorage()


def oidc_login(request, registration) -> DjangoOIDCLogin:
    """Login initiation for ``registration`` (the platform may leave out its client id: the login
    address names the registration)."""
    wrapped = DjangoRequest(request, default_params={"client_id": registration.client_id})
    login = DjangoOIDCLogin(wrapped, DjangoToolConfig(registration.uuid), launch_data_storage=storage())
    # The nonce waits in the cache as long as a launch may take, not PyLTI1p3's day: initiation is
    # open to anyone, so what it leaves in the shared cache must not pile up.
    return login.set_launch_data_storage(storage()).set_launch_data_lifetime(LOGIN_LIFETIME_SECONDS)


def validated_launch(request) -> LtiLaunch:
    """The launch posted in ``request``, validated (signature against the platform's key set,
    iss, aud, azp, exp, nonce once, state, deployment known). Raises ``LtiException``."""
    launch_storage = storage()
    message_launch = ReflectMessageLaunch(
        request, DjangoToolConfig(), launch_data_storage=launch_storage, requests_session=TimeoutSession()
    )
    message_launch.set_public_key_caching(launch_storage, cache_lifetime=KEYSET_CACHE_SECONDS)
    message_launch.validate()
    return LtiLaunch(message_launch)

"""Registering a platform (the admin uses django-lti's forms; scripts use ``lti_register``)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from lti_tool.models import LtiDeployment, LtiRegistration

from lti import keys
from lti.models import Platform


@transaction.atomic
def register_platform(
    *,
    name: str,
    issuer: str,
    client_id: str,
    deployment_id: str,
    auth_url: str,
    token_url: str,
    keyset_url: str,
    audience: str = "",
) -> tuple[LtiRegistration, bool]:
    """Create or update the registration of (issuer, client id), activated, with ``deployment_id``
    known and active. The tool's signing key is made now if there is none."""
    registration, created = LtiRegistration.objects.select_for_update().update_or_create(
        issuer=issuer,
        client_id=client_id,
        defaults={
            "name": name, "auth_url": auth_url, "token_url": token_url, "keyset_url": keyset_url,
            "audience": audience, "is_active": True,
        },
    )  # fmt: skip
    if deployment_id:  # dynamic registration may leave it to the first launch (then an admin activates it)
        LtiDeployment.objects.update_or_create(
            registration=registration, deployment_id=deployment_id, defaults={"is_active": True}
        )
    Platform.objects.get_or_create(registration=registration)
    keys.ensure_key()
    return registration, created


def tool_urls(registration: LtiRegistration) -> dict[str, str]:
    """What the platform's administrator enters (SITE_URL + our paths)."""
    base = settings.SITE_URL
    launch = f"{base}{reverse('lti:launch')}"
    return {
        "login_url": f"{base}{reverse('lti:login-registration', args=[registration.uuid])}",
        "launch_url": launch,
        "deep_link_url": launch,
        "jwks_url": f"{base}{reverse('lti:jwks')}",
    }

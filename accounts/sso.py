"""Single sign-on: organisations whose members sign in with their own identity provider, through
allauth's OpenID Connect and SAML providers (docs/sso.md). The organisations come from the
environment (``accounts.sso_settings``); this module is what Reflect adds to allauth's flow:

- the member an SSO sign-up creates: a handle and display name that pass Reflect's rules, and the
  Learner role every sign-up gets (``SocialAccountAdapter.save_user``);
- the organisation's own sign-in, where it says so (``"enforce"``): its members' password sign-in
  and sign-up are refused with a pointer to the button (``LoginForm``, ``SignupForm``), and so is
  another organisation's sign-in claiming one of its addresses (``pre_social_login``);
- a failed sign-in (state refused, token tampered with, provider down) logged and answered with
  the page ``socialaccount/authentication_error.html``, never a 500.

Linking by email is allauth's and off unless an organisation says ``"link_by_email"``; suspended
members stay suspended (a suspension is the member's, whatever they signed in with) and inactive
accounts stay out (allauth's ``pre_login`` check, then ``accounts.backends`` on every request).
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings as socialaccount_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.saml import views as saml_views
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from onelogin.saml2.errors import OneLogin_Saml2_Error
from requests import RequestException

from accounts import roles
from accounts.forms import SignupForm as ReflectSignupForm
from accounts.validators import display_name_validator, refuse_leaders_names

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Organisation:
    """One configured organisation, as the sign-in page and the enforcement read it."""

    id: str
    name: str
    domains: tuple[str, ...]
    enforce: bool

    def owns(self, email: str) -> bool:
        return email_domain(email) in self.domains


def email_domain(email: str) -> str:
    return (email or "").rpartition("@")[2].strip().lower()


def organisations(request: HttpRequest | None = None) -> list[Organisation]:
    """Every organisation members can sign in with (allauth's apps: settings, or the admin)."""
    apps = DefaultSocialAccountAdapter(request).list_apps(request)
    return [
        Organisation(
            id=app.provider_id or app.client_id,
            name=app.name,
            domains=tuple(app.settings.get("domains", ())),
            enforce=bool(app.settings.get("enforce")),
        )
        for app in apps
        if app.provider in {"openid_connect", "saml"}
    ]


def required_organisation(email: str, request: HttpRequest | None = None) -> Organisation | None:
    """The organisation whose own sign-in this address must use, if any."""
    if "@" not in (email or ""):
        return None
    return next((org for org in organisations(request) if org.enforce and org.owns(email)), None)


def use_your_organisation(org: Organisation) -> str:
    return _(
        "%(organisation)s addresses sign in through %(organisation)s: use “Sign in with %(organisation)s”."
    ) % {"organisation": org.name}


class LoginForm(AllauthLoginForm):
    """Password sign-in, refused (before any password is checked) for an address whose
    organisation requires its own sign-in."""

    def clean(self):
        email = self.cleaned_data.get("login") or ""
        if org := required_organisation(email, self.request):
            raise ValidationError(use_your_organisation(org), code="sso_required")
        return super().clean()


class SignupForm(ReflectSignupForm):
    """Reflect's sign-up form; an address whose organisation requires its own sign-in is pointed there."""

    def clean_email(self):
        email = super().clean_email()
        if org := required_organisation(email, getattr(self, "request", None)):
            raise ValidationError(use_your_organisation(org), code="sso_required")
        return email


HANDLE_CHARS = re.compile(r"[^a-z0-9_]+")


def handle_candidates(*texts: str | None):
    """Handles to try for a new member, from what the provider said (their username, the part of
    their address before the @, their name): letters, digits and underscores, then numbered."""
    bases = []
    for text in texts:
        base = HANDLE_CHARS.sub("_", (text or "").partition("@")[0].lower()).strip("_")[:24]
        if len(base) >= 2 and base not in bases:
            bases.append(base)
    bases.append("member")
    yield from bases
    for number in range(2, 1000):
        yield f"{bases[0]}_{number}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        account_adapter = get_account_adapter(request)
        for candidate in handle_candidates(data.get("username"), data.get("email"), data.get("name")):
            try:
                user.handle = account_adapter.clean_username(candidate)
                break
            except ValidationError:
                continue
        name = (
            data.get("name") or " ".join(filter(None, (data.get("first_name"), data.get("last_name")))) or ""
        ).strip()[:80]
        user.display_name = self._acceptable_name(name) or user.handle
        return user

    @staticmethod
    def _acceptable_name(name: str) -> str:
        """The provider's name for the member, if Reflect would accept it from the sign-up form."""
        if not name:
            return ""
        try:
            display_name_validator(name)
            refuse_leaders_names(name)
        except ValidationError:
            return ""
        return name

    def save_user(self, request, sociallogin, form=None):
        display_name = sociallogin.user.display_name
        user = super().save_user(request, sociallogin, form)
        if display_name and user.display_name != display_name:  # a sign-up form named them by handle
            user.display_name = display_name
            user.save(update_fields=["display_name"])
        # Every new sign-up starts as a Learner, as through the sign-up form.
        user.groups.add(Group.objects.get_or_create(name=roles.LEARNER)[0])
        return user

    def pre_social_login(self, request, sociallogin):
        """Another organisation's sign-in never creates or opens an account at an address whose own
        organisation requires its sign-in (it might assert any address)."""
        email = sociallogin.user.email if sociallogin.user else ""
        org = required_organisation(email, request)
        if org and org.id != sociallogin.provider.sub_id:
            logger.warning(
                "SSO sign-in refused: %s asserted an address of %s, which requires its own sign-in",
                sociallogin.provider.sub_id,
                org.id,
            )
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/authentication_error.html",
                    {"sso_message": use_your_organisation(org), "sso_organisation": org},
                    status=403,
                )
            )

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """What went wrong goes to the log for whoever runs the site; the member sees a page that
        says the sign-in did not work and how to try again (socialaccount/authentication_error.html)."""
        logger.warning(
            "SSO sign-in with %s failed: %s%s",
            getattr(provider, "sub_id", provider),
            error or "error",
            f" ({type(exception).__name__}: {exception})" if exception else "",
        )


def answer_unreachable_provider(view):
    """allauth reads the provider's discovery document (OIDC) or metadata (SAML) outside its own
    error handling, so a provider that is down, answers with something that is not its document,
    or a SAML configuration python3-saml refuses, would be a 500. Here it is the sign-in error
    page (502), and the log says why."""

    @functools.wraps(view)
    def answer(request: HttpRequest, **kwargs):
        try:
            return view(request, **kwargs)
        except (RequestException, OSError, ValueError, KeyError, OneLogin_Saml2_Error) as error:
            logger.warning(
                "SSO provider could not be read (%s): %s: %s", request.path, type(error).__name__, error
            )
            return render(
                request, "socialaccount/authentication_error.html", {"sso_unreachable": True}, status=502
            )

    return answer


_OIDC = socialaccount_settings.OPENID_CONNECT_URL_PREFIX
# Matched before allauth's own routes for the same addresses (config/urls.py); allauth's URL names
# still reverse to them, so buttons and callbacks are unchanged.
urlpatterns = [
    path(f"accounts/{_OIDC}/<str:provider_id>/login/", answer_unreachable_provider(oidc_views.login)),
    path(
        f"accounts/{_OIDC}/<str:provider_id>/login/callback/",
        answer_unreachable_provider(oidc_views.callback),
    ),
    path("accounts/saml/<str:organization_slug>/login/", answer_unreachable_provider(saml_views.login)),
    path(
        "accounts/saml/<str:organization_slug>/acs/finish/",
        answer_unreachable_provider(saml_views.finish_acs),
    ),
    path("accounts/saml/<str:organization_slug>/metadata/", answer_unreachable_provider(saml_views.metadata)),
]

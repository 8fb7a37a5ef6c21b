import logging
from typing import NamedTuple

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.models import Group

from accounts import entrance, roles
from core.mail import send_later

logger = logging.getLogger(__name__)

# The member who signed up in this browser session, and where they were going: confirming their
# email in the same session signs them in and takes them there (see ``confirm_email``).
SIGNUP_SESSION_KEY = "accounts_signup"


class EmailSite(NamedTuple):
    """What allauth's email templates read as ``current_site``."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return getattr(settings, "SIGNUP_OPEN", True)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name") or user.handle
        if commit:
            user.save()
            # Every new sign-up starts as a Learner; staff promote people in the admin.
            user.groups.add(Group.objects.get_or_create(name=roles.LEARNER)[0])
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails (verification, password reset) are written here and sent by the worker,
        which retries: a mail server that is down never fails the request (the account is already
        saved) and the email still arrives when the server is back.

        allauth's own ``send_mail`` puts the request and the site in the context; without the sites
        framework the site's name was missing ("Hello from !"). The name is ``SITE_NAME``; the
        domain, and so the links allauth builds, still come from the request, port included."""
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": EmailSite(name=settings.SITE_NAME, domain=request.get_host() if request else ""),
            "site_name": settings.SITE_NAME,
        }
        ctx.update(context)
        send_later(self.render_mail(template_prefix, email, ctx), kind=template_prefix.rsplit("/", 1)[-1])

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth keys the per-account failed-login limit on ``site.domain:login``; without the
        sites framework the domain is the Host header, port included, and Django accepts any port,
        so ``Host: example.org:1001``, ``:1002``… would each get a fresh five guesses. Key on the
        account's login alone (lower-cased, as allauth does), whatever Host is sent."""
        login = credentials.get("email", credentials.get("username", "")) or ""
        return f"login:{login.strip().lower()}"

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        if request is not None and hasattr(request, "session"):
            # "Check your email" names it, and signing in afterwards has it filled in.
            entrance.remember_email(request, emailconfirmation.email_address.email)
        if signup and request is not None and hasattr(request, "session"):
            request.session[SIGNUP_SESSION_KEY] = {
                "user": emailconfirmation.email_address.user_id,
                "next": get_next_redirect_url(request) or "",
            }
        super().send_confirmation_mail(request, emailconfirmation, signup)

    def confirm_email(self, request, email_address) -> bool:
        """allauth signs a member in on confirmation only while its pending sign-in lasts
        (``ACCOUNT_LOGIN_TIMEOUT``, 15 minutes): whoever reads the email later is asked to sign in
        again. Here the browser session that signed up is enough, however long the email took, as
        allauth's own rule (the same session, never another browser holding only the link)."""
        confirmed = super().confirm_email(request, email_address)
        signup = request.session.get(SIGNUP_SESSION_KEY) or {}
        user = email_address.user
        if (
            confirmed
            and signup.get("user") == user.pk
            and not request.user.is_authenticated
            and user.is_active
        ):
            self.login(request, user)
        elif confirmed and not request.user.is_authenticated:
            entrance.remember_email(request, email_address.email)  # for the sign-in that follows
        return confirmed

    def set_password(self, user, password: str) -> None:
        """A new password set from the emailed link, signed out (maybe in another browser than the
        one that asked): signing in next has the address filled in."""
        super().set_password(user, password)
        request = self.request
        if request is not None and not request.user.is_authenticated:
            entrance.remember_email(request, user.email)

    def login(self, request, user) -> None:
        entrance.forget_email(request)  # the journey is over: signed in
        super().login(request, user)

    def get_email_verification_redirect_url(self, email_address) -> str:
        """Where the member was going when they signed up (a course's invitation, say)."""
        signup = self.request.session.pop(SIGNUP_SESSION_KEY, None) or {}
        if self.request.user.is_authenticated and signup.get("next"):
            return signup["next"]
        return super().get_email_verification_redirect_url(email_address)

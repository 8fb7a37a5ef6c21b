import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.models import Group

from accounts import roles

logger = logging.getLogger(__name__)

# What a mail server that is down, refuses us or times out raises (socket errors are OSErrors).
MAIL_FAILURES = (smtplib.SMTPException, OSError)


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
        """Account emails (verification, password reset) never fail the request: the account is
        already saved, and the member can ask for the email again. The failure is logged; retries
        will come with a background worker."""
        try:
            super().send_mail(template_prefix, email, context)
        except MAIL_FAILURES:
            logger.exception("Could not send the %s email (the mail server failed)", template_prefix)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth keys the per-account failed-login limit on ``site.domain:login``; without the
        sites framework the domain is the Host header, port included, and Django accepts any port,
        so ``Host: example.org:1001``, ``:1002``… would each get a fresh five guesses. Key on the
        account's login alone (lower-cased, as allauth does), whatever Host is sent."""
        login = credentials.get("email", credentials.get("username", "")) or ""
        return f"login:{login.strip().lower()}"

"""The address a member gave on the way in, kept for the next step of the same journey (WCAG 2.2
SC 3.3.7 Redundant Entry): signing up, then "Check your email", then signing in; a sign-in that
failed, then "Forgot your password?"; asking for a new password, then signing in. It lives in the
browser's session (never in a URL, where it would reach logs and history) and goes when the member
signs in."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest

SESSION_KEY = "accounts_email_given"


def remember_email(request: HttpRequest, email: str) -> None:
    """Keep ``email`` for the next step; anything that is not an address is not kept."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return
    request.session[SESSION_KEY] = email


def given_email(request: HttpRequest) -> str:
    return request.session.get(SESSION_KEY, "") if hasattr(request, "session") else ""


def forget_email(request: HttpRequest) -> None:
    if hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)

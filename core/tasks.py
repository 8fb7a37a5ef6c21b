"""Worker jobs that belong to no feature: sending an already-written email, with retries."""

from django.core.mail import EmailMultiAlternatives
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

# A mail server that is down for a while: Procrastinate waits exponential_wait ** attempt seconds
# between tries (2 s, 4 s, 8 s… 34 min), about two and a quarter hours in all before giving up.
MAIL_RETRIES = RetryStrategy(max_attempts=12, exponential_wait=2)


@app.task(name="core.send_email", retry=MAIL_RETRIES)
def send_email(subject: str, body: str, to: list[str], html: str = "", from_email: str | None = None,
               headers: dict | None = None, kind: str = "") -> None:  # fmt: skip
    """``kind`` only names the email in the worker's log, where the other arguments are hidden."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()

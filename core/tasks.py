"""Worker jobs that belong to no feature: sending an already-written email, with retries."""

from django.core.mail import EmailMultiAlternatives
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

# A mail server that is down for a while: try again after 5 s, 10 s, 20 s… for about 20 minutes.
MAIL_RETRIES = RetryStrategy(max_attempts=8, exponential_wait=5)


@app.task(name="core.send_email", retry=MAIL_RETRIES)
def send_email(subject: str, body: str, to: list[str], html: str = "", from_email: str | None = None,
               headers: dict | None = None) -> None:  # fmt: skip
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()

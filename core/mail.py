"""Email from a request goes to the worker: a mail server that is slow or down never fails or
holds up the member's request, and the worker retries until it gets through."""

import logging

from django.core.mail import EmailMessage
from django.db import DatabaseError

from core.jobs import enqueue

logger = logging.getLogger(__name__)


def send_later(message: EmailMessage, *, kind: str = "") -> None:
    """Queue ``message`` (text, optional HTML alternative, headers) for the worker to send.

    ``kind`` (e.g. ``"email_confirmation_signup"``) is what the worker's log shows of the email:
    the log never shows the message, whose links sign people in (core.jobs.HideJobArguments)."""
    from core.tasks import send_email

    html = next(
        (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
    )
    try:
        enqueue(
            send_email, subject=message.subject, body=message.body, to=list(message.to), html=html,
            from_email=message.from_email, headers=dict(message.extra_headers), kind=kind,
        )  # fmt: skip
    except DatabaseError:
        logger.exception("Could not queue the email %r", message.subject)

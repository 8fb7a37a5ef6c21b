"""Members a learning platform launched have a placeholder address in the reserved ``.invalid``
domain (lti.services): nothing is ever sent there, so a mail server never refuses it and no job
retries for hours; the others on the same email still get it."""

from django.core import mail

from core.tasks import send_email


def test_an_invalid_address_is_never_sent_to(mailoutbox):
    send_email(subject="Hello", body="Words", to=["lti-5f2c@lti.invalid"], kind="notices")
    assert mail.outbox == []


def test_the_deliverable_addresses_of_one_email_still_get_it(mailoutbox):
    send_email(subject="Hello", body="Words", to=["amara@example.com", "x@Platform.INVALID."])
    assert [message.to for message in mail.outbox] == [["amara@example.com"]]

"""A facilitator's reminder reaches each learner in the learner's own language and time zone
(issue 26): the same nudge, sent from an English page, is a Spanish email to a learner in Madrid
and an Arabic one, right to left, to a learner in Dubai."""

import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from notifications.kinds import Kind
from notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def _speaks(user, language: str, zone: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language, time_zone=zone, time_zone_set=True)


def test_a_nudge_is_emailed_in_each_learners_language_and_zone(client, world, jobs, committed, settings):
    settings.NOTIFY_EMAIL_DELAY_SECONDS = 0
    dee, gus = world.users["dee"], world.users["gus"]
    _speaks(dee, "es", "Europe/Madrid")
    _speaks(gus, "ar", "Asia/Dubai")
    client.force_login(world.users["fay"])
    with committed():
        sent = client.post(
            reverse("insights:nudge", args=[world.prompt.pk]),
            {"message": "We would love your view.", "learners": [dee.pk, gus.pk]},
            HTTP_ACCEPT_LANGUAGE="en-GB",
        )
    assert sent.status_code == 302
    jobs.run()
    emails = {message.to[0]: message for message in mail.outbox}
    assert set(emails) == {dee.email, gus.email}
    notice = Notification.objects.get(kind=Kind.NUDGE, recipient=dee)
    for member, language in ((dee, "es"), (gus, "ar")):
        message = emails[member.email]
        html = message.alternatives[0][0]
        with translation.override(language):
            greeting = translation.gettext("Hello %(name)s,") % {"name": member.display_name}
        assert greeting != f"Hello {member.display_name},"  # there is a translation, and it is used
        assert greeting in message.body
        assert "We would love your view." in message.body  # the facilitator's own words, as written
        assert f'lang="{language}"' in html
    assert 'dir="rtl"' in emails[gus.email].alternatives[0][0]
    # The time the reminder was sent, in each learner's zone and language's own form.
    madrid = notice.created_at.astimezone(zoneinfo.ZoneInfo("Europe/Madrid"))
    assert madrid.strftime("%d/%m/%Y %H:%M") in emails[dee.email].body

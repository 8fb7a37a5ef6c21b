""" "How did it go?" asks in the member's own language, on their own day (issue 26): a Spanish
speaker in Madrid is reminded in Spanish, an Arabic speaker in Dubai in Arabic, right to left."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from community import services as community
from followthrough import services, tasks

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def test_the_follow_up_reminder_is_in_each_members_language(world, jobs, mailoutbox, committed):
    ada, ben = world.users["ada"], world.users["ben"]
    User.objects.filter(pk=ada.pk).update(language="es", time_zone="Europe/Madrid", time_zone_set=True)
    User.objects.filter(pk=ben.pk).update(language="ar", time_zone="Asia/Dubai", time_zone_set=True)
    due = timezone.localdate() + timedelta(days=7)
    for member in (ada, ben):
        member.refresh_from_db()
        post = community.create_reflection(prompt=world.prompt, author=member, body="Try the huddle.")
        services.plan_follow_up(reflection=post, user=member, due_on=due)
    with committed():
        noon = datetime(due.year, due.month, due.day, 12, tzinfo=UTC)
        tasks.remind_due(timestamp=int(noon.timestamp()))
    jobs.run()
    emails = {message.to[0]: message for message in mailoutbox}
    assert set(emails) == {ada.email, ben.email}
    spanish, arabic = emails[ada.email], emails[ben.email]
    assert spanish.subject.startswith("[Reflect] ¿Qué tal te fue?")
    assert re.search("[\u0600-\u06ff]{3}", arabic.subject) and "How did it go" not in arabic.subject
    assert 'lang="es"' in spanish.alternatives[0][0] and 'lang="ar"' in arabic.alternatives[0][0]
    assert 'dir="rtl"' in emails[ben.email].alternatives[0][0]

"""Emails and digests in the recipient's language and time zone, digests in their morning (issue 26,
decision 111)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from notifications import emails, services, tasks
from notifications.kinds import Delivery, Group, Kind
from notifications.models import Notification
from tests.factories import make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


def _member(*, time_zone: str | None = None, language: str = "", delivery: str = Delivery.DAILY) -> User:
    user = make_user()
    fields = {"language": language}
    if time_zone:
        fields.update(time_zone=time_zone, time_zone_set=True)
    User.objects.filter(pk=user.pk).update(**fields)
    user.refresh_from_db()
    services.set_delivery(user=user, group=Group.REPLIES, delivery=delivery)
    return user


def _reply_notice(user: User, *, course=None, at: datetime | None = None) -> Notification:
    prompt = make_prompt(lesson=make_lesson(course=course or make_course()))
    top = make_reflection(prompt=prompt, author=user, body="Mi reflexión")
    reply = make_reflection(prompt=prompt, parent=top, body="Una respuesta")
    Notification.objects.filter(recipient=user).delete()  # only the one this test makes
    notice = Notification.objects.create(
        recipient=user, kind=Kind.REPLY, actor=reply.author, reflection=reply
    )
    if at is not None:
        Notification.objects.filter(pk=notice.pk).update(created_at=at)
    return notice


def _tomorrow_at(hour: int, minute: int = 10, *, weekday: int | None = None) -> datetime:
    day = timezone.now().astimezone(UTC) + timedelta(days=1)
    while weekday is not None and day.weekday() != weekday:
        day += timedelta(days=1)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_the_daily_digest_goes_out_in_each_members_morning():
    dubai = _member(time_zone="Asia/Dubai")  # UTC+4
    mexico = _member(time_zone="America/Mexico_City")  # UTC-6, no summer time
    _reply_notice(dubai)
    _reply_notice(mexico)
    assert emails.digest_recipients(Delivery.DAILY, _tomorrow_at(3)) == [dubai.pk]
    assert emails.digest_recipients(Delivery.DAILY, _tomorrow_at(13)) == [mexico.pk]
    assert emails.digest_recipients(Delivery.DAILY, _tomorrow_at(9)) == []
    # Run by hand (no time given): everyone with something waiting, as before.
    assert emails.digest_recipients(Delivery.DAILY) == [dubai.pk, mexico.pk]


def test_the_weekly_digest_goes_out_on_a_monday_morning_local_time():
    dubai = _member(time_zone="Asia/Dubai", delivery=Delivery.WEEKLY)
    _reply_notice(dubai)
    monday_morning = _tomorrow_at(3, weekday=0)
    assert emails.digest_recipients(Delivery.WEEKLY, monday_morning) == [dubai.pk]
    assert emails.digest_recipients(Delivery.WEEKLY, monday_morning + timedelta(days=1)) == []
    # Sunday 23:10 UTC is Monday 03:10 in Dubai, not its morning yet.
    assert emails.digest_recipients(Delivery.WEEKLY, monday_morning - timedelta(hours=4)) == []


def test_a_member_with_no_zone_of_their_own_gets_the_digest_in_the_courses_morning():
    member = _member()
    assert not member.time_zone_set
    _reply_notice(member, course=make_course(time_zone="Asia/Dubai"))
    assert emails.digest_recipients(Delivery.DAILY, _tomorrow_at(3)) == [member.pk]
    assert emails.digest_recipients(Delivery.DAILY, _tomorrow_at(7)) == []  # London's morning: not this


def test_the_hourly_run_sends_one_digest_a_day_even_when_run_again(committed, jobs):
    dubai = _member(time_zone="Asia/Dubai")
    _reply_notice(dubai)  # outside `committed`: no fan-out job adds notices of its own
    morning = _tomorrow_at(3)
    with committed():
        tasks.daily_digest(int(morning.timestamp()))
    jobs.run()
    assert [m.to for m in mail.outbox] == [[dubai.email]]
    later = _reply_notice(dubai, at=morning + timedelta(minutes=5))  # after the run's time
    with committed():
        tasks.daily_digest(int(morning.timestamp()))  # the same run, retried
        tasks.daily_digest(int((morning + timedelta(hours=1)).timestamp()))  # the next hour
    jobs.run()
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=later.pk).emailed_at is None  # tomorrow's digest


def test_an_email_is_written_in_the_recipients_language_and_zone():
    member = _member(time_zone="Asia/Dubai", language="es")
    _reply_notice(member, at=datetime(2020, 1, 17, 1, 43, tzinfo=UTC))
    with timezone.override("America/Mexico_City"):  # whatever the worker's own zone
        emails.send_notices(member, services.pending_email(member, [Delivery.DAILY]), digest=Delivery.DAILY)
    (message,) = mail.outbox
    assert "(17/01/2020 05:43)" in message.body  # the Spanish form; 01:43 UTC is 05:43 in Dubai
    assert message.subject.endswith("Tu resumen diario: 1 novedad")  # locale/es
    html = message.alternatives[0][0]
    assert '<html lang="es" dir="ltr">' in html and "17/01/2020 05:43" in html
    assert "desde tu último resumen diario" in message.body


def test_an_arabic_email_is_right_to_left_and_an_unset_zone_takes_the_courses():
    member = _member(language="ar")
    _reply_notice(
        member,
        course=make_course(time_zone="America/Mexico_City"),
        at=datetime(2020, 1, 17, 13, 5, tzinfo=UTC),
    )
    emails.send_notices(member, services.pending_email(member, [Delivery.DAILY]), digest=None)
    (message,) = mail.outbox
    assert "07:05" in message.body  # Mexico City, the course's zone
    assert 'lang="ar" dir="rtl"' in message.alternatives[0][0]

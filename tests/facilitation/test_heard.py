"""Every reflection heard: offers to one colleague, fairly spread, re-offered after the window by the
worker (run with a moved clock), declined with one click, ended by any reply."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from community.services import create_reflection
from facilitation import services
from facilitation.models import ResponseOffer
from lessons.models import Cohort
from lessons.services import move_to_cohort
from notifications.kinds import Kind
from notifications.models import Notification
from tests.facilitation.conftest import seen
from tests.factories import make_reflection, make_user

pytestmark = pytest.mark.django_db
State = ResponseOffer.State


def post(prompt, author, body="What I noticed this week."):
    return create_reflection(prompt=prompt, author=author, body=body)


def test_a_new_reflection_is_offered_to_one_colleague_who_is_told(heard_prompt, jobs, committed):
    kwame = make_user(display_name="Kwame Mensah")
    ada, ben = seen(make_user(display_name="Ada"), make_user(display_name="Ben"))
    with committed():
        reflection = post(heard_prompt, kwame)
    assert "facilitation.offer_reflection" in jobs.names()
    jobs.run()
    offer = ResponseOffer.objects.get(reflection=reflection)
    assert offer.state == State.OPEN and offer.offered_to_id == ada.pk  # fewest offers, lowest id
    assert offer.expires_at - offer.offered_at == timedelta(hours=48)
    notice = Notification.objects.get(recipient=ada, kind=Kind.RESPONSE_REQUESTED)
    assert notice.reflection_id == reflection.pk and notice.actor_id is None
    from notifications.templatetags.notifications import notice_text

    assert notice_text(notice).startswith("Kwame Mensah is waiting to hear from you")
    assert not Notification.objects.filter(recipient=ben, kind=Kind.RESPONSE_REQUESTED).exists()


def test_offers_spread_fairly_and_never_to_the_author(heard_prompt):
    colleagues = seen(*(make_user() for _ in range(3)))
    authors = [make_user() for _ in range(3)]
    offered = []
    for author in authors:
        reflection = post(heard_prompt, author)
        offer = services.offer_reflection(reflection_id=reflection.pk)
        assert offer.offered_to_id != author.pk
        offered.append(offer.offered_to_id)
    assert sorted(offered) == sorted(user.pk for user in colleagues)  # one each, none twice


def test_the_inactive_and_those_who_answered_enough_are_skipped(heard_prompt, settings):
    settings.FACILITATION_MAX_ANSWERS = 1
    busy, _idle, fresh = make_user(), make_user(), make_user()
    seen(busy, fresh)  # idle never signed in, never visited
    author = make_user()
    first = post(heard_prompt, author)
    offer = services.offer_reflection(reflection_id=first.pk)
    assert offer.offered_to_id == busy.pk
    create_reflection(prompt=heard_prompt, author=busy, body="Thank you.", parent=first)
    offer.refresh_from_db()
    assert offer.state == State.ANSWERED
    second = post(heard_prompt, author)
    assert services.offer_reflection(reflection_id=second.pk).offered_to_id == fresh.pk


def test_only_members_who_may_read_the_post_are_offered_it(heard_prompt):
    """Under independent reflection a colleague reads others' posts once they have posted: only
    those are offered; a facilitator-only post is offered to nobody; facilitators are not asked."""
    from community.services import update_prompt

    update_prompt(prompt=heard_prompt, independent_reflection=True)
    not_yet, posted = seen(make_user(), make_user())
    post(heard_prompt, posted)
    author = make_user()
    assert services.offer_reflection(reflection_id=post(heard_prompt, author).pk).offered_to_id == posted.pk
    private = create_reflection(
        prompt=heard_prompt, author=author, body="For you only.", for_facilitators=True
    )
    assert services.offer_reflection(reflection_id=private.pk) is None
    assert not ResponseOffer.objects.filter(offered_to=not_yet).exists()


def test_only_colleagues_of_the_authors_cohort_are_offered_it(heard_prompt):
    course = heard_prompt.lesson.course
    author, elsewhere = make_user(), seen(make_user())[0]
    other = Cohort.objects.create(course=course, name="Later")
    move_to_cohort(enrolments=elsewhere.enrolments.filter(course=course), cohort=other)
    assert services.offer_reflection(reflection_id=post(heard_prompt, author).pk) is None


def test_nobody_replied_within_the_window_the_worker_offers_it_to_another(heard_prompt, monkeypatch):
    first, second = seen(make_user(), make_user())
    reflection = post(heard_prompt, make_user(display_name="Kwame"))
    offer = services.offer_reflection(reflection_id=reflection.pk)
    assert offer.offered_to_id == first.pk
    assert services.reoffer_expired(now=timezone.now() + timedelta(hours=47)) == 0  # not yet
    later = timezone.now() + timedelta(hours=48, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the periodic job reads the clock
    from facilitation.tasks import reoffer_expired

    reoffer_expired(timestamp=int(later.timestamp()))
    offer.refresh_from_db()
    assert offer.state == State.EXPIRED and offer.ended_at == later
    again = ResponseOffer.objects.get(reflection=reflection, state=State.OPEN)
    assert again.offered_to_id == second.pk and again.expires_at == later + timedelta(hours=48)
    assert Notification.objects.filter(recipient=second, kind=Kind.RESPONSE_REQUESTED).count() == 1


def test_an_offer_ends_when_anyone_replies_and_is_not_renewed(heard_prompt):
    offered, other = seen(make_user(), make_user())
    author = make_user()
    reflection = post(heard_prompt, author)
    offer = services.offer_reflection(reflection_id=reflection.pk)
    create_reflection(prompt=heard_prompt, author=author, body="Adding a thought.", parent=reflection)
    offer.refresh_from_db()
    assert offer.state == State.OPEN  # the author's own reply does not count
    create_reflection(prompt=heard_prompt, author=other, body="I hear you.", parent=reflection)
    offer.refresh_from_db()
    assert offer.state == State.HEARD
    assert services.reoffer_expired(now=timezone.now() + timedelta(days=3)) == 0
    assert services.offer_reflection(reflection_id=reflection.pk) is None  # heard: nobody else asked


def test_declining_offers_the_post_to_the_next_colleague_once(heard_prompt):
    first, second = seen(make_user(), make_user())
    reflection = post(heard_prompt, make_user())
    offer = services.offer_reflection(reflection_id=reflection.pk)
    services.decline_offer(offer=offer, user=first)
    services.decline_offer(offer=offer, user=first)  # a double click
    offer.refresh_from_db()
    assert offer.state == State.DECLINED
    assert list(
        ResponseOffer.objects.filter(reflection=reflection).values_list("offered_to_id", "state")
    ) == [
        (first.pk, State.DECLINED),
        (second.pk, State.OPEN),
    ]


def test_offering_twice_keeps_one_open_offer(heard_prompt):
    seen(make_user(), make_user())
    reflection = post(heard_prompt, make_user())
    one = services.offer_reflection(reflection_id=reflection.pk)
    assert services.offer_reflection(reflection_id=reflection.pk) == one
    assert ResponseOffer.objects.filter(reflection=reflection).count() == 1


def test_an_activity_that_does_not_ask_offers_nothing(heard_prompt):
    services.set_heard(prompt=heard_prompt, enabled=False, window_hours=48)
    seen(make_user())
    assert services.offer_reflection(reflection_id=make_reflection(prompt=heard_prompt).pk) is None


@pytest.mark.django_db(transaction=True)
def test_two_workers_offering_the_same_post_leave_one_open_offer(lead):
    from tests.factories import make_lesson, make_prompt

    prompt = make_prompt(lesson=make_lesson(), author=lead)
    services.set_heard(prompt=prompt, enabled=True, window_hours=48)
    seen(make_user(), make_user(), make_user())
    reflection = post(prompt, make_user())
    barrier = threading.Barrier(2)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(services.offer_reflection(reflection_id=reflection.pk))
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert ResponseOffer.objects.filter(reflection=reflection).count() == 1
    assert {offer.pk for offer in results} == {ResponseOffer.objects.get(reflection=reflection).pk}


def test_a_post_nobody_could_read_yet_is_offered_once_someone_can(heard_prompt):
    """Independent reflection: the first post waits until a colleague has posted (and may read it);
    the periodic job then offers it."""
    from community.services import update_prompt

    update_prompt(prompt=heard_prompt, independent_reflection=True)
    first_author, later = seen(make_user(), make_user())
    first = post(heard_prompt, first_author)
    assert services.offer_reflection(reflection_id=first.pk) is None
    second = post(heard_prompt, later)
    assert services.offer_reflection(reflection_id=second.pk).offered_to_id == first_author.pk
    assert services.offer_waiting(now=timezone.now() + timedelta(minutes=10)) == 1
    assert ResponseOffer.objects.get(reflection=first).offered_to_id == later.pk
    assert services.offer_waiting(now=timezone.now() + timedelta(minutes=20)) == 0  # once


def test_the_offered_colleague_is_emailed_by_their_settings(heard_prompt, committed, mailoutbox):
    colleague = seen(make_user(email="ada@example.com"))[0]
    reflection = post(heard_prompt, make_user(display_name="Kwame Mensah"))
    mailoutbox.clear()
    with committed():
        assert services.offer_reflection(reflection_id=reflection.pk).offered_to_id == colleague.pk
    (email,) = [mail for mail in mailoutbox if "ada@example.com" in mail.to]
    assert "Kwame Mensah is waiting to hear from you" in email.body

"""Who hears about what: every kind of notice, and every "never notify" rule."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts import roles
from community import services as community
from community.models import Reflection
from moderation import services as moderation
from notifications import services
from notifications.kinds import Delivery, Group, Kind
from notifications.models import Notification, Subscription
from notifications.templatetags.notifications import notice_text
from tests.factories import make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_email_delay(settings):
    settings.NOTIFY_EMAIL_DELAY_SECONDS = 0


def post(committed, jobs, **kwargs):
    with committed():
        reflection = make_reflection(**kwargs)
    jobs.run()
    return reflection


def notices(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    return list(qs.filter(kind=kind) if kind else qs)


def test_a_reply_notifies_the_author_once_and_emails_them_with_links(committed, jobs, user, other_user):
    top = post(committed, jobs, author=user, body="My reflection")
    reply = post(committed, jobs, parent=top, author=other_user, body="I see it differently")
    [notice] = notices(user)
    assert notice.kind == Kind.REPLY and notice.reflection == reply and notice.actor == other_user
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and "Ben Carter replied to your reflection" in message.subject
    assert f"/notifications/{notice.pk}/" in message.body and "/notifications/settings/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message.extra_headers["List-Unsubscribe"].startswith("<http")
        and "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    )
    html = message.alternatives[0][0]
    assert "I see it differently" in html and f"/notifications/{notice.pk}/" in html
    assert notices(other_user) == []  # never the actor


def test_following_a_thread_brings_every_reply_and_muting_stops_it(committed, jobs, user, other_user):
    top = post(committed, jobs, author=other_user)
    first = post(committed, jobs, parent=top, author=user)  # replying follows the conversation
    assert Subscription.objects.get(user=user, thread=top).level == Subscription.Level.WATCHING
    third = make_user()
    post(committed, jobs, parent=first, author=third)  # answers user directly
    post(committed, jobs, parent=top, author=third)  # a new reply in the thread user follows
    kinds = sorted(n.kind for n in notices(user))
    assert kinds == [Kind.REPLY, Kind.THREAD_REPLY]
    services.set_thread_level(user=user, thread=top, level=Subscription.Level.MUTED)
    post(committed, jobs, parent=first, author=third)
    assert len(notices(user)) == 2


def test_a_mention_notifies_once_per_post_and_only_existing_members(committed, jobs, user, other_user):
    prompt = make_prompt()
    top = post(committed, jobs, prompt=prompt, author=user)
    post(
        committed,
        jobs,
        parent=top,
        author=other_user,
        body="@amara @amara and @nobody_here, what do you think?",
    )
    assert [n.kind for n in notices(user)] == [Kind.REPLY]  # one notice, the most specific kind


ANSWERED = (
    "**On the first hour** of the shift I felt lost, and [nobody](https://example.com/x) noticed it at all"
)


def test_a_reply_that_mentions_the_member_it_answers_is_one_reply_notice_naming_the_post(
    committed, jobs, user, other_user
):
    top = post(committed, jobs, author=user, body=ANSWERED)
    cleo = make_user(handle="cleo", display_name="Cleo Diaz")
    reply = post(
        committed, jobs, parent=top, author=other_user, body="@amara I felt that too, @amara. @cleo?"
    )
    [notice] = notices(user)
    assert notice.kind == Kind.REPLY and notice.reflection == reply
    answered = "“On the first hour of the shift I felt lost, and nobody…”"
    assert notice_text(notice) == f"Ben Carter replied to your reflection {answered}"
    [mention] = notices(cleo)
    assert notice_text(mention) == f"Ben Carter mentioned you in a reply to {answered}"
    services.notify_post(reply.pk)  # a fan-out run again (a retried job) writes nothing twice
    assert len(notices(user)) == 1 and len(notices(cleo)) == 1


def test_a_reply_in_a_followed_conversation_names_the_post_it_answers(committed, jobs, user, other_user):
    top = post(committed, jobs, author=other_user, body=ANSWERED)
    services.set_thread_level(user=user, thread=top, level=Subscription.Level.WATCHING)
    post(committed, jobs, parent=top, author=make_user(display_name="Cleo Diaz"), body="Same here.")
    [notice] = notices(user)
    assert notice.kind == Kind.THREAD_REPLY
    assert notice_text(notice) == (
        "Cleo Diaz replied to the reflection “On the first hour of the shift I felt lost, and nobody…” "
        "in a conversation you follow"
    )


def test_a_reflection_hidden_since_is_no_longer_named_by_the_notices_of_its_replies(
    committed, jobs, client, user, other_user, moderator
):
    top = post(committed, jobs, author=other_user, body=ANSWERED)
    services.set_thread_level(user=user, thread=top, level=Subscription.Level.WATCHING)
    post(committed, jobs, parent=top, author=make_user(display_name="Cleo Diaz"), body="Same here.")
    client.force_login(user)
    assert "On the first hour of the shift" in client.get("/notifications/").text
    moderation.hide_reflection(reflection=top, moderator=moderator, reason="Names a colleague")
    page = client.get("/notifications/").text
    assert "Cleo Diaz replied in a conversation you follow" in page  # the reply stays readable
    assert "On the first hour of the shift" not in page


def test_a_notice_carries_the_time_of_its_post_not_of_the_fan_out(committed, jobs, user, other_user):
    top = post(committed, jobs, author=user)
    with committed():
        reply = make_reflection(parent=top, author=other_user)
    posted = timezone.now() - timedelta(days=3)
    Reflection.objects.filter(pk=reply.pk).update(created_at=posted)  # as the demo backdates its posts
    jobs.run()
    [notice] = notices(user)
    assert notice.created_at == posted and notice.updated_at == posted


def test_mentions_in_a_post_the_member_cannot_read_are_not_notified(committed, jobs, user, other_user):
    gated = make_prompt(independent_reflection=True)
    post(committed, jobs, prompt=gated, author=other_user, body="Thinking of @amara here")
    assert notices(user) == []  # under independent reflection Amara has not reflected yet
    hidden_lesson = make_prompt(lesson=make_lesson(published=False))
    post(committed, jobs, prompt=hidden_lesson, author=other_user, body="@amara")
    assert notices(user) == []


def test_likes_are_consolidated_into_one_updated_notice(committed, jobs, user):
    reflection = post(committed, jobs, author=user)
    likers = [make_user(display_name=f"Liker {n}") for n in range(4)]
    for liker in likers:
        with committed():
            community.like_reflection(reflection=reflection, user=liker)
        jobs.run()
    [notice] = notices(user, Kind.LIKES)
    assert notice.actor == likers[-1] and notice.others_count == 3
    assert notice_text(notice) == "Liker 3 and 3 others liked your reflection"
    assert mail.outbox == []  # likes are "never" by email by default


def test_watching_an_activity_brings_new_reflections_and_facilitators_watch_their_own(committed, jobs, user):
    facilitator = make_user(role=roles.FACILITATOR)
    with committed():
        prompt = make_prompt(author=facilitator)
    assert Subscription.objects.get(user=facilitator, prompt=prompt).level == Subscription.Level.WATCHING
    services.set_activity_level(user=user, prompt=prompt, level=Subscription.Level.WATCHING)
    learner = make_user()
    post(committed, jobs, prompt=prompt, author=learner)
    assert [n.kind for n in notices(facilitator)] == [Kind.NEW_REFLECTION]
    assert [n.kind for n in notices(user)] == [Kind.NEW_REFLECTION]
    services.set_activity_level(user=user, prompt=prompt, level=Subscription.Level.NORMAL)
    post(committed, jobs, prompt=prompt, author=learner)
    assert len(notices(user)) == 1 and len(notices(facilitator)) == 2


def test_independent_reflection_holds_new_reflection_notices_for_learners_who_have_not_posted(
    committed, jobs, user
):
    prompt = make_prompt(independent_reflection=True)
    services.set_activity_level(user=user, prompt=prompt, level=Subscription.Level.WATCHING)
    post(committed, jobs, prompt=prompt, author=make_user())
    assert notices(user) == []
    post(committed, jobs, prompt=prompt, author=user)  # now Amara has reflected
    post(committed, jobs, prompt=prompt, author=make_user())
    assert [n.kind for n in notices(user)] == [Kind.NEW_REFLECTION]


def test_moderation_notices_to_the_author_never_the_moderator(committed, jobs, user, moderator, settings):
    reflection = post(committed, jobs, author=user, body="Words")
    with committed():
        moderation.hide_reflection(
            reflection=reflection, moderator=moderator, reason="Shares private details"
        )
    jobs.run()
    with committed():
        moderation.restore_reflection(reflection=reflection, moderator=moderator)
    jobs.run()
    with committed():
        suspension = moderation.suspend_member(
            member=user, moderator=moderator, ends_at=timezone.now() + timedelta(days=1), reason="Cool off"
        )
        moderation.lift_suspension(suspension=suspension, moderator=moderator)
    jobs.run()
    kinds = [n.kind for n in Notification.objects.filter(recipient=user).order_by("id")]
    assert kinds == [Kind.POST_HIDDEN, Kind.POST_RESTORED, Kind.SUSPENDED, Kind.REINSTATED]
    assert notices(moderator) == []
    assert any("Shares private details" in m.body for m in mail.outbox)


def test_auto_hide_notice_says_pending_review(committed, jobs, user, settings):
    settings.FLAG_HIDE_THRESHOLD = 1
    reflection = post(committed, jobs, author=user)
    with committed():
        moderation.report_reflection(reflection=reflection, reporter=make_user(), reason="other")
    jobs.run()
    [notice] = notices(user, Kind.POST_PENDING)
    assert "pending review" in mail.outbox[-1].body


def test_a_notice_about_a_post_hidden_later_disappears_from_list_and_count(
    committed, jobs, user, other_user, moderator
):
    top = post(committed, jobs, author=user)
    reply = post(committed, jobs, parent=top, author=other_user)
    assert services.unread_count(user) == 1
    moderation.hide_reflection(reflection=reply, moderator=moderator, reason="r")
    assert services.unread_count(user) == 0 and list(services.visible_notifications(user)) == []


def test_immediate_emails_are_batched_into_one(committed, jobs, user, settings):
    settings.NOTIFY_EMAIL_DELAY_SECONDS = 120
    top = post(committed, jobs, author=user)
    with committed():
        for _ in range(3):
            make_reflection(parent=top, author=make_user())
    assert jobs.names().count("notifications.fan_out_post") == 3
    jobs.run()
    to_amara = [m for m in mail.outbox if m.to == [user.email]]
    assert len(to_amara) == 1 and "3 new notifications" in to_amara[0].subject


def test_preferences_never_and_digest(committed, jobs, user):
    services.set_delivery(user=user, group=Group.REPLIES, delivery=Delivery.NEVER)
    top = post(committed, jobs, author=user)
    post(committed, jobs, parent=top, author=make_user())
    assert mail.outbox == [] and len(notices(user)) == 1  # still on the site
    services.set_delivery(user=user, group=Group.REPLIES, delivery=Delivery.DAILY)
    from notifications import tasks

    with committed():
        tasks.send_digests(Delivery.DAILY)
    jobs.run()
    to_amara = [m for m in mail.outbox if m.to == [user.email]]
    assert len(to_amara) == 1 and "daily summary" in to_amara[0].subject
    # (the activity's facilitator gets a daily summary too: new reflections default to daily)
    sent = len(mail.outbox)
    with committed():
        tasks.send_digests(Delivery.DAILY)
    jobs.run()
    assert len(mail.outbox) == sent  # nothing new since: no second digest


def test_digest_skips_what_the_member_already_read(committed, jobs, user):
    services.set_delivery(user=user, group=Group.REPLIES, delivery=Delivery.WEEKLY)
    top = post(committed, jobs, author=user)
    post(committed, jobs, parent=top, author=make_user())
    services.mark_all_read(user=user)
    from notifications import tasks

    with committed():
        tasks.send_digests(Delivery.WEEKLY)
    jobs.run()
    assert mail.outbox == []

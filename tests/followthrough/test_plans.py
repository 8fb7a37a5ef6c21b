"""Come back to this: the composer's choice, changing and cancelling it, the reminder on the day
(a moved clock), and the follow-up with exactly the original's readers."""

import re
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services as community
from community.models import Reflection
from followthrough import services, tasks
from followthrough.models import Plan
from notifications.kinds import Delivery, Group, Kind
from notifications.models import Notification
from notifications.services import set_delivery

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def post_with(client, prompt, headers=None, **fields):
    data = {"body": "Next week I will ask the night shift first.", "mode": "free", **fields}
    return client.post(reverse("community:reflection-create", args=[prompt.pk]), data, headers=headers)


def readers_of(post, users) -> set[str]:
    return {
        name
        for name, user in users.items()
        if Reflection.objects.visible_to(user).filter(pk=post.pk).exists()
    }


def test_the_composer_offers_come_back_to_this_without_javascript(client, world):
    client.force_login(world.users["ada"])
    html = client.get(world.prompt.get_absolute_url()).text
    assert "<summary>Come back to this" in html
    assert 'type="date"' in html and 'name="come_back_on"' in html
    for label in ("In 1 week", "In 2 weeks", "In a month", "On the date I pick", "Not now"):
        assert label in html


@pytest.mark.parametrize(("choice", "days"), [("7", 7), ("14", 14), ("30", 30)])
def test_posting_with_a_choice_stores_the_day_with_the_post(client, world, choice, days):
    client.force_login(world.users["ada"])
    response = post_with(client, world.prompt, come_back=choice)
    assert response.status_code == HTTPStatus.FOUND
    plan = Plan.objects.get()
    assert plan.due_on == timezone.localdate() + timedelta(days=days)
    assert plan.user == world.users["ada"] and plan.reflection.author == world.users["ada"]


def test_a_picked_date_is_used_even_without_choosing_the_radio(client, world):
    client.force_login(world.users["ada"])
    day = timezone.localdate() + timedelta(days=10)
    post_with(client, world.prompt, come_back_on=day.isoformat())
    assert Plan.objects.get().due_on == day


def test_not_now_stores_nothing_and_a_past_date_comes_back_with_the_text(client, world):
    client.force_login(world.users["ada"])
    post_with(client, world.prompt, come_back="")
    assert not Plan.objects.exists()
    response = post_with(
        client,
        world.prompt,
        come_back="date",
        come_back_on=(timezone.localdate() - timedelta(days=1)).isoformat(),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Pick a day after today" in response.text and "ask the night shift first" in response.text
    assert Reflection.objects.count() == 1 and not Plan.objects.exists()


def test_a_private_reflection_takes_a_plan_too(client, world):
    client.force_login(world.users["ada"])
    post_with(client, world.prompt, come_back="7", private="1")
    assert Plan.objects.get().reflection.is_private


def test_the_author_changes_and_cancels_the_day_from_the_post(client, world):
    ada = world.users["ada"]
    post = community.create_reflection(prompt=world.prompt, author=ada, body="A plan.")
    client.force_login(ada)
    page = client.get(world.prompt.get_absolute_url()).text
    assert "Come back to this" in page and "Write a follow-up" in page
    url = reverse("followthrough:plan", args=[post.pk])
    assert client.post(url, {"come_back": "14"}).status_code == HTTPStatus.FOUND
    assert Plan.objects.get().due_on == timezone.localdate() + timedelta(days=14)
    day = timezone.localdate() + timedelta(days=40)
    client.post(url, {"come_back": "date", "come_back_on": day.isoformat()})
    assert Plan.objects.get().due_on == day
    page = client.get(world.prompt.get_absolute_url()).text
    assert f"Reflect asks you how it went on {day:%-d %B %Y}" in page and "Cancel reminder" in page
    assert client.post(url, {"come_back": "date"}).status_code == HTTPStatus.BAD_REQUEST
    client.post(reverse("followthrough:cancel", args=[post.pk]))
    assert not Plan.objects.exists()


def test_only_the_author_sees_or_sets_the_day(client, world):
    post = community.create_reflection(prompt=world.prompt, author=world.users["ada"], body="Mine.")
    client.force_login(world.users["ben"])
    assert "Come back to this</summary>" not in client.get(world.prompt.get_absolute_url()).text
    url = reverse("followthrough:plan", args=[post.pk])
    assert client.post(url, {"come_back": "7"}).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("followthrough:follow-up", args=[post.pk])).status_code == HTTPStatus.NOT_FOUND
    assert not Plan.objects.exists()


def _moment(day: date, hour: int = 12) -> int:
    return int(datetime(day.year, day.month, day.day, hour, tzinfo=UTC).timestamp())


def test_on_the_day_the_learner_is_asked_once_with_an_email_that_opens_the_composer(
    client, world, jobs, mailoutbox, committed
):
    ada = world.users["ada"]
    post = community.create_reflection(prompt=world.prompt, author=ada, body="Try the huddle.")
    start = timezone.localdate()
    services.plan_follow_up(reflection=post, user=ada, due_on=start + timedelta(days=7))
    tasks.remind_due(timestamp=_moment(start + timedelta(days=6)))
    assert not Notification.objects.filter(kind=Kind.FOLLOW_UP_DUE).exists()
    with committed():
        tasks.remind_due(timestamp=_moment(start + timedelta(days=7)))
        tasks.remind_due(timestamp=_moment(start + timedelta(days=8)))  # once only
    notice = Notification.objects.get(kind=Kind.FOLLOW_UP_DUE)
    assert notice.recipient == ada and notice.reflection == post
    assert notice.link == reverse("followthrough:follow-up", args=[post.pk])
    jobs.run()
    assert len(mailoutbox) == 1 and "How did it go?" in mailoutbox[0].subject
    client.force_login(ada)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.url == notice.link
    assert Plan.objects.get().reminded_at is not None


def test_the_day_is_the_members_own(world, jobs):
    """In Auckland the day comes while it is still the day before in UTC."""
    ada = world.users["ada"]
    ada.time_zone = "Pacific/Auckland"
    ada.save(update_fields=["time_zone"])
    post = community.create_reflection(prompt=world.prompt, author=ada, body="Plan.")
    due = timezone.localdate() + timedelta(days=3)
    services.plan_follow_up(reflection=post, user=ada, due_on=due)
    tasks.remind_due(timestamp=_moment(due - timedelta(days=1), hour=9))  # 22:00 the day before there
    assert not Notification.objects.filter(kind=Kind.FOLLOW_UP_DUE).exists()
    tasks.remind_due(timestamp=_moment(due - timedelta(days=1), hour=12))  # 01:00 on the day there
    assert Notification.objects.filter(kind=Kind.FOLLOW_UP_DUE).count() == 1


def test_email_follows_the_members_settings(world, jobs, mailoutbox, committed):
    ada = world.users["ada"]
    set_delivery(user=ada, group=Group.FOLLOW_UPS, delivery=Delivery.NEVER)
    post = community.create_reflection(prompt=world.prompt, author=ada, body="Plan.")
    due = timezone.localdate() + timedelta(days=1)
    services.plan_follow_up(reflection=post, user=ada, due_on=due)
    with committed():
        tasks.remind_due(timestamp=_moment(due))
    jobs.run()
    assert Notification.objects.filter(kind=Kind.FOLLOW_UP_DUE).count() == 1 and not mailoutbox


def test_a_changed_day_is_asked_again_and_a_followed_up_plan_never(world, jobs):
    ada = world.users["ada"]
    post = community.create_reflection(prompt=world.prompt, author=ada, body="Plan.")
    today = timezone.localdate()
    services.plan_follow_up(reflection=post, user=ada, due_on=today + timedelta(days=1))
    tasks.remind_due(timestamp=_moment(today + timedelta(days=1)))
    services.plan_follow_up(reflection=post, user=ada, due_on=today + timedelta(days=5))
    assert Plan.objects.get().reminded_at is None
    services.write_follow_up(original=post, author=ada, body="It went well.")
    tasks.remind_due(timestamp=_moment(today + timedelta(days=5)))
    assert Notification.objects.filter(kind=Kind.FOLLOW_UP_DUE).count() == 1
    assert Plan.objects.get().followed_up


@pytest.mark.parametrize("sharing", ["course", "private", "facilitators"])
def test_a_follow_up_is_read_by_exactly_whoever_reads_the_original(world, sharing):
    ada = world.users["ada"]
    original = community.create_reflection(
        prompt=world.prompt, author=ada, body="Plan.", is_private=sharing == "private",
        for_facilitators=sharing == "facilitators",
    )  # fmt: skip
    follow_up = services.write_follow_up(original=original, author=ada, body="How it went.")
    assert follow_up.follows_up == original and follow_up.parent == original and follow_up.thread == original
    expected = {
        "course": {"ada", "ben", "fay", "dee", "facil", "mo"},
        "private": {"ada"},
        "facilitators": {"ada", "fay", "facil", "mo"},
    }[sharing]
    assert readers_of(original, world.users) == expected
    assert readers_of(follow_up, world.users) == expected


def test_sharing_a_private_reflection_shares_its_follow_up_with_it(world):
    ada = world.users["ada"]
    original = community.create_reflection(prompt=world.prompt, author=ada, body="Plan.", is_private=True)
    follow_up = services.write_follow_up(original=original, author=ada, body="How it went.")
    community.share_reflection(reflection=original)
    follow_up.refresh_from_db()
    assert not follow_up.is_private
    assert readers_of(follow_up, world.users) == readers_of(original, world.users)
    ada.refresh_from_db()
    assert ada.post_count == 2


def test_only_the_author_follows_up_their_own_reflection(world):
    original = community.create_reflection(prompt=world.prompt, author=world.users["ada"], body="Plan.")
    with pytest.raises(services.FollowUpRefused):
        services.write_follow_up(original=original, author=world.users["ben"], body="Not mine.")
    with pytest.raises(ValueError):
        community.create_reflection(
            prompt=world.prompt, author=world.users["ben"], body="x", follows_up=original
        )


def test_the_follow_up_composer_posts_under_the_original_labelled_with_the_gap(client, world):
    ada = world.users["ada"]
    original = community.create_reflection(prompt=world.prompt, author=ada, body="Plan: huddle.")
    Reflection.objects.filter(pk=original.pk).update(created_at=timezone.now() - timedelta(days=21))
    client.force_login(ada)
    url = reverse("followthrough:follow-up", args=[original.pk])
    page = client.get(url).text
    assert "How did it go?" in page and "Plan: huddle." in page
    assert client.post(url, {"followup-body": ""}).status_code == HTTPStatus.BAD_REQUEST
    response = client.post(url, {"followup-body": "The huddle worked twice out of three."})
    follow_up = Reflection.objects.get(follows_up=original)
    assert response.status_code == HTTPStatus.FOUND
    page = client.get(world.prompt.get_absolute_url()).text
    assert "Follow-up, 3 weeks later" in page
    assert re.search(rf'id="post-{follow_up.pk}"', page)
    client.force_login(world.users["ben"])  # a colleague reads it, labelled
    assert "Follow-up, 3 weeks later" in client.get(world.prompt.get_absolute_url()).text
    client.force_login(world.users["cy"])  # another cohort: neither
    assert "Follow-up" not in client.get(world.prompt.get_absolute_url()).text


def test_plans_are_in_the_members_download_and_go_with_their_account(world):
    from accounts.member_data import export_parts
    from accounts.services import delete_account

    ada = world.users["ada"]
    post = community.create_reflection(prompt=world.prompt, author=ada, body="Plan.")
    services.plan_follow_up(reflection=post, user=ada, due_on=timezone.localdate() + timedelta(days=7))
    (part,) = [part for part in export_parts() if part.name == "followthrough"]
    exported = part.export(ada)
    assert exported["follow_up_plans"][0]["post_id"] == post.pk
    assert "Reflections you chose to come back to (1)" in part.markdown(exported)[0]
    delete_account(user=ada, remove_posts=False)
    assert not Plan.objects.exists()


def test_a_reflection_hidden_by_a_moderator_takes_no_follow_up(client, world):
    from moderation.services import hide_reflection

    ada = world.users["ada"]
    original = community.create_reflection(prompt=world.prompt, author=ada, body="Plan.")
    hide_reflection(reflection=original, moderator=world.users["mo"], reason="Names a patient")
    original.refresh_from_db()
    with pytest.raises(services.FollowUpRefused):
        services.write_follow_up(original=original, author=ada, body="How it went.")
    client.force_login(ada)
    response = client.post(
        reverse("followthrough:follow-up", args=[original.pk]), {"followup-body": "Went well."}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN and "Went well." in response.text
    assert not Reflection.objects.filter(follows_up=original).exists()


def test_a_scaffold_with_an_action_plan_names_it(client, world):
    client.force_login(world.users["ada"])
    html = client.get(world.prompt.get_absolute_url()).text  # Rolfe's "Now what?"
    assert "Your “Now what?” section is a plan" in html


def test_a_reflection_posted_in_place_shows_its_day_under_it(client, world):
    client.force_login(world.users["ada"])
    response = post_with(client, world.prompt, come_back="7", headers={"HX-Request": "true"})
    assert response.status_code == HTTPStatus.OK
    assert "Reflect asks you how it went on" in response.text and "Cancel reminder" in response.text

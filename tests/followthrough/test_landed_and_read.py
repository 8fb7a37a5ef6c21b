"""How my reflections landed (the page and the weekly job, with a moved clock), Read by N
colleagues (from visits: exactly what it counts), Insights, and the learning log."""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services as community
from community.models import ActivityVisit, Reflection
from followthrough import queries, services, tasks
from followthrough.insight import followthrough_section
from followthrough.models import ReadCount
from notifications.kinds import Delivery, Group, Kind
from notifications.models import Notification
from notifications.services import set_delivery

pytestmark = [pytest.mark.django_db, pytest.mark.enrolment]


def visit(user, prompt, when):
    community.record_visit(user=user, prompt=prompt)
    ActivityVisit.objects.filter(user=user, prompt=prompt).update(visited_at=when)


def test_the_week_shows_likes_with_reasons_replies_and_follow_ups_due_only_what_the_member_reads(
    client, world
):
    ada, ben, fay = world.users["ada"], world.users["ben"], world.users["fay"]
    mine = community.create_reflection(prompt=world.prompt, author=ada, body="Mine.")
    like = community.like_reflection(reflection=mine, user=ben)
    community.set_like_reason(like=like, reason="The huddle idea")
    community.create_reflection(prompt=world.prompt, author=ben, body="A reply.", parent=mine)
    # A private reply by the facilitator to ben's reply in ada's thread: ben and facilitators read it.
    bens = community.create_reflection(prompt=world.prompt, author=ben, body="Ben's own.")
    community.create_reflection(
        prompt=world.prompt, author=fay, body="Private.", parent=bens, for_facilitators=True
    )
    # Someone else's like on ben's post: not ada's to see.
    community.like_reflection(reflection=bens, user=ada)
    services.plan_follow_up(reflection=mine, user=ada, due_on=timezone.localdate() + timedelta(days=3))
    summary = queries.landed(ada)
    assert [like.user for like in summary.likes] == [ben]
    assert [like.reason for like in summary.reasons] == ["The huddle idea"]
    assert [reply.body for reply in summary.replies] == ["A reply."]
    assert len(summary.due) == 1
    assert (
        summary.line()
        == "How your reflections landed this week: 1 like (1 said why), 1 reply, 1 follow-up due"
    )
    client.force_login(ada)
    page = client.get(reverse("followthrough:landed")).text
    assert "The huddle idea" in page and "write your follow-up" in page and "Private." not in page
    client.force_login(ben)  # ben's week: ada's like, no reasons of others' posts
    page = client.get(reverse("followthrough:landed")).text
    assert "The huddle idea" not in page and "Ada</bdi> liked" in page


def test_a_week_later_it_is_gone(world):
    ada = world.users["ada"]
    mine = community.create_reflection(prompt=world.prompt, author=ada, body="Mine.")
    community.like_reflection(reflection=mine, user=world.users["ben"])
    assert queries.landed(ada, now=timezone.now() + timedelta(days=8)).empty


def test_the_weekly_job_tells_each_member_with_news_and_emails_by_their_settings(
    world, jobs, mailoutbox, committed
):
    ada, ben, cy = world.users["ada"], world.users["ben"], world.users["cy"]
    mine = community.create_reflection(prompt=world.prompt, author=ada, body="Mine.")
    community.like_reflection(reflection=mine, user=ben)
    bens = community.create_reflection(prompt=world.prompt, author=ben, body="Ben's.")
    community.like_reflection(reflection=bens, user=ada)
    set_delivery(user=ben, group=Group.LANDED, delivery=Delivery.NEVER)  # switched off: on the site only
    community.create_reflection(prompt=world.prompt, author=cy, body="Cy's, no news.")
    monday = timezone.now() + timedelta(days=2)
    with committed():
        tasks.weekly_landed(timestamp=int(monday.timestamp()))
    jobs.run()
    notices = Notification.objects.filter(kind=Kind.LANDED)
    assert sorted(notice.recipient.handle for notice in notices) == ["ada", "ben"]
    assert [message.to for message in mailoutbox] == [["ada@example.com"]]
    assert "How your reflections landed this week: 1 like" in mailoutbox[0].subject
    assert notices.get(recipient=ada).link == reverse("followthrough:landed")
    # Two weeks on, nothing new: nobody hears anything.
    with committed():
        tasks.weekly_landed(timestamp=int((monday + timedelta(days=14)).timestamp()))
    jobs.run()
    assert notices.count() == 2


def test_the_summary_is_a_setting_on_by_default(client, world):
    client.force_login(world.users["ada"])
    page = client.get(reverse("notifications:settings")).text
    assert "How my reflections landed" in page


def test_read_by_counts_later_visits_of_colleagues_who_may_read_it(world):
    """Exactly: other members whose latest visit to the space came after the post was posted and
    who may read it now. Not the author; not a visit before; not another cohort (cohort scope);
    private reflections never."""
    ada, ben, cy, dee, fay = (world.users[name] for name in ("ada", "ben", "cy", "dee", "fay"))
    post = community.create_reflection(prompt=world.prompt, author=ada, body="Mine.")
    private = community.create_reflection(prompt=world.prompt, author=ada, body="Only me.", is_private=True)
    posted = Reflection.objects.get(pk=post.pk).created_at
    visit(ben, world.prompt, posted + timedelta(minutes=5))  # counted
    visit(fay, world.prompt, posted + timedelta(minutes=6))  # a facilitator who reads it: counted
    visit(dee, world.prompt, posted - timedelta(minutes=5))  # before it was posted: not
    visit(cy, world.prompt, posted + timedelta(minutes=5))  # another cohort: may not read it
    visit(ada, world.prompt, posted + timedelta(minutes=9))  # the author: not
    services.count_readers(prompt_id=world.prompt.pk)
    assert ReadCount.objects.get(reflection=post).readers == 2
    assert not ReadCount.objects.filter(reflection=private).exists()


def test_the_periodic_job_counts_the_activities_visited_lately(world):
    post = community.create_reflection(prompt=world.prompt, author=world.users["ada"], body="Mine.")
    visit(world.users["ben"], world.prompt, timezone.now() + timedelta(minutes=1))
    tasks.count_readers(timestamp=int((timezone.now() + timedelta(minutes=5)).timestamp()))
    assert ReadCount.objects.get(reflection=post).readers == 1
    later = datetime.now(tz=UTC) + timedelta(hours=3)  # nothing visited since: nothing recounted
    ReadCount.objects.all().delete()
    tasks.count_readers(timestamp=int(later.timestamp()))
    assert not ReadCount.objects.exists()


def test_only_the_author_sees_read_by_and_never_on_a_private_reflection(client, world):
    ada, ben = world.users["ada"], world.users["ben"]
    post = community.create_reflection(prompt=world.prompt, author=ada, body="Mine.")
    community.create_reflection(prompt=world.prompt, author=ada, body="Only me.", is_private=True)
    visit(ben, world.prompt, timezone.now() + timedelta(minutes=1))
    services.count_readers(prompt_id=world.prompt.pk)
    client.force_login(ada)
    page = client.get(world.prompt.get_absolute_url()).text
    assert page.count("Read by 1 colleague<") == 1  # the shared one only
    assert "opened this activity after you posted it" in page
    client.force_login(ben)
    assert "Read by" not in client.get(world.prompt.get_absolute_url()).text
    assert client.get(post.get_absolute_url(), follow=True).status_code == HTTPStatus.OK


def test_a_new_count_moves_the_authors_page_version(client, world):
    ada = world.users["ada"]
    community.create_reflection(prompt=world.prompt, author=ada, body="Mine.")
    client.force_login(ada)
    first = client.get(world.prompt.get_absolute_url())
    etag = first.headers["ETag"]
    assert client.get(world.prompt.get_absolute_url(), headers={"if-none-match": etag}).status_code == 304
    visit(world.users["ben"], world.prompt, timezone.now() + timedelta(minutes=1))
    services.count_readers(prompt_id=world.prompt.pk)
    again = client.get(world.prompt.get_absolute_url(), headers={"if-none-match": etag})
    assert again.status_code == HTTPStatus.OK and "Read by 1 colleague" in again.text


def test_insights_counts_plans_followed_up_and_who_read_but_has_not_posted(client, world):
    ada, ben, dee = world.users["ada"], world.users["ben"], world.users["dee"]
    mine = community.create_reflection(prompt=world.prompt, author=ada, body="Mine.")
    bens = community.create_reflection(prompt=world.prompt, author=ben, body="Ben's.")
    hidden = community.create_reflection(prompt=world.prompt, author=dee, body="Private.", is_private=True)
    for post, author in ((mine, ada), (bens, ben), (hidden, dee)):
        services.plan_follow_up(reflection=post, user=author, due_on=timezone.localdate() + timedelta(days=1))
    services.write_follow_up(original=mine, author=ada, body="Done.")
    visit(dee, world.prompt, timezone.now())
    visit(ben, world.prompt, timezone.now())
    client.force_login(world.users["facil"])
    page = client.get(reverse("insights:activity", args=[world.prompt.pk])).text
    assert "2 “Come back to this” plans on shared reflections: 1 followed up" in page
    assert "Read but not yet posted: 1" in page and "@dee" in page.split("Read but not yet posted")[1]


def test_the_learning_log_keeps_a_follow_up_right_after_its_reflection(client, world):
    ada = world.users["ada"]
    first = community.create_reflection(prompt=world.prompt, author=ada, body="First plan.")
    Reflection.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=14))
    community.create_reflection(prompt=world.prompt, author=ada, body="Second, later.")
    services.write_follow_up(original=Reflection.objects.get(pk=first.pk), author=ada, body="How it went.")
    client.force_login(ada)
    page = client.get(reverse("journal:learning-log")).text
    assert page.index("First plan.") < page.index("Follow-up, 2 weeks later") < page.index("Second, later.")
    markdown = b"".join(client.get(reverse("journal:export-markdown")).streaming_content).decode()
    assert "Follow-up, 2 weeks later" in markdown
    assert markdown.index("First plan.") < markdown.index("How it went.") < markdown.index("Second, later.")
    csv_text = b"".join(client.get(reverse("journal:export-csv")).streaming_content).decode()
    assert "Follow-up, 2 weeks later" in csv_text
    from journal.exports import build_pdf
    from journal.queries import LogFilters
    from tests.journal.test_exports import pdf_text

    text = pdf_text(build_pdf(ada, LogFilters()).content)
    assert text.index("First plan.") < text.index("Follow-up, 2 weeks later") < text.index("Second, later.")


def test_the_section_is_none_of_the_private_plans_business(world):
    dee = world.users["dee"]
    private = community.create_reflection(prompt=world.prompt, author=dee, body="Only me.", is_private=True)
    services.plan_follow_up(reflection=private, user=dee, due_on=timezone.localdate() + timedelta(days=1))

    class Row:
        user_id, name, handle = dee.pk, "Dee", "dee"

    section = followthrough_section(prompt=world.prompt, learners=[Row()])
    assert section.plans == 0 and section.read_not_posted == []


def test_the_landed_page_lists_open_plans_to_change_or_cancel(client, world):
    ada = world.users["ada"]
    post = community.create_reflection(prompt=world.prompt, author=ada, body="Mine.")
    due = timezone.localdate() + timedelta(days=40)
    services.plan_follow_up(reflection=post, user=ada, due_on=due)
    client.force_login(ada)
    page = client.get(reverse("followthrough:landed")).text
    assert "Reflections you will come back to: 1" in page and f"{due:%-d %B %Y}" in page
    assert reverse("followthrough:cancel", args=[post.pk]) in page
    client.force_login(world.users["ben"])
    assert "Reflections you will come back to: 0" in client.get(reverse("followthrough:landed")).text

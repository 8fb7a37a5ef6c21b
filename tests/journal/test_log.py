"""The learning log page, /me/learning-log/: what it lists, what each post shows, the filters, and
its query count."""

import re
from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from community import services as community
from community.models import Like, Reflection
from journal.models import LogExport
from journal.queries import log_entries
from moderation.services import hide_reflection
from tests.factories import make_course, make_lesson, make_prompt, make_reflection, make_user
from tests.html_validation import nu_errors, require_java

pytestmark = pytest.mark.django_db
URL = reverse("journal:learning-log")


def listed_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-post-id="(\d+)"', html)]


def give_reason(post, liker, reason: str) -> None:
    """Like with a reason (the reason form is another app's; the schema is what we read)."""
    community.like_reflection(reflection=post, user=liker)
    Like.objects.filter(reflection=post, user=liker).update(reason=reason)


@pytest.fixture
def log(user, other_user, moderator):
    """Amara's posts in two courses (B-course listed after A-course), with replies, likes and
    reasons, one private, one hidden, one deleted; and posts by others that must not show."""
    a_course = make_course(title="A course on feedback")
    b_course = make_course(title="B course on safety")
    a1 = make_lesson(course=a_course, number=1, title="Asking")
    a2 = make_lesson(course=a_course, number=2, title="Listening")
    b1 = make_lesson(course=b_course, number=1, title="Speaking up")
    p_a1 = make_prompt(lesson=a1, title="When did asking help?")
    p_a2 = make_prompt(lesson=a2, title="Who listened to you?")
    p_b1 = make_prompt(lesson=b1, title="When did you speak up?")

    later_b = make_reflection(prompt=p_b1, author=user, body="My B reflection.")
    first_a2 = make_reflection(prompt=p_a2, author=user, body="Listening made the *difference*.")
    first_a1 = make_reflection(prompt=p_a1, author=user, body="Asking early saved a week.")
    theirs = make_reflection(prompt=p_a1, author=other_user, body="Ben's own reflection.")
    my_reply = make_reflection(parent=theirs, author=user, body="Amara replying to Ben.")
    # Replies received: Ben twice under first_a1 (once answering Amara's own reply in that thread
    # counts too), Amara's own reply in her thread does not count, a hidden or deleted reply neither.
    ben_reply = make_reflection(parent=first_a1, author=other_user, body="Ben answers.")
    follow_up = make_reflection(parent=first_a1, author=user, body="Amara follows up in her own thread.")
    make_reflection(parent=ben_reply, author=make_user(), body="A third member joins.")
    hidden_reply = make_reflection(parent=first_a1, author=other_user, body="Rude words.")
    hide_reflection(reflection=hidden_reply, moderator=moderator, reason="Rude")
    community.delete_reflection(reflection=make_reflection(parent=first_a1, author=other_user, body="Gone."))
    make_reflection(parent=my_reply, author=other_user, body="Ben answers Amara's reply.")
    give_reason(first_a1, other_user, "It named what I had felt.")
    give_reason(first_a1, make_user(display_name="Cleo Diaz"), '=HYPERLINK("x")')
    community.like_reflection(reflection=first_a1, user=make_user())  # a like without a reason

    private = make_reflection(prompt=p_a2, author=user, body="Only for me.")
    Reflection.objects.filter(pk=private.pk).update(is_private=True)
    hidden = make_reflection(prompt=p_b1, author=user, body="Hidden by a moderator, still mine.")
    hide_reflection(reflection=hidden, moderator=moderator, reason="Names")
    deleted = make_reflection(prompt=p_b1, author=user, body="Taken back.")
    community.delete_reflection(reflection=deleted)
    return {
        "a_course": a_course, "b_course": b_course, "first_a1": first_a1, "my_reply": my_reply,
        "first_a2": first_a2, "private": private, "later_b": later_b, "hidden": hidden,
        "deleted": deleted, "theirs": theirs, "follow_up": follow_up,
    }  # fmt: skip


def test_the_log_lists_the_members_live_posts_grouped_by_course_lesson_and_activity(auth_client, log):
    response = auth_client.get(URL)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    expected = [
        *(
            log[name]
            for name in ("first_a1", "my_reply", "follow_up", "first_a2", "private", "later_b", "hidden")
        )
    ]
    assert listed_ids(html) == [post.pk for post in expected]
    assert "Ben&#x27;s own reflection." not in html and "Taken back." not in html
    # Each heading once, in reading order: course → lesson → activity question.
    headings = re.findall(r"<h([234]) class=\"log__\w+\">(.*?)</h\1>", html, re.S)
    texts = [re.sub(r"<[^>]+>", "", text).strip() for _, text in headings]
    assert texts == [
        "A course on feedback",
        "Lesson 1: Asking",
        "Activity: When did asking help?",
        "Lesson 2: Listening",
        "Activity: Who listened to you?",
        "B course on safety",
        "Lesson 1: Speaking up",
        "Activity: When did you speak up?",
    ]
    assert "Listening made the <em>difference</em>." in html  # the post's rendered text


def test_private_and_hidden_posts_are_marked(auth_client, log):
    html = auth_client.get(URL).content.decode()
    articles = dict(re.findall(r'data-post-id="(\d+)">(.*?)</article>', html, re.S))
    assert "Private — only you can see this" in articles[str(log["private"].pk)]
    assert "Hidden by a moderator." in articles[str(log["hidden"].pk)]
    assert "Private" not in articles[str(log["first_a2"].pk)]
    assert "Hidden" not in articles[str(log["first_a2"].pk)]


def test_replies_received_count_others_live_replies_the_member_can_read(user, log):
    received = {post.pk: post.replies_received for post in log_entries(user)}
    # Ben's answer, the third member's answer to Ben: not Amara's own, the hidden or the deleted.
    assert received[log["first_a1"].pk] == 2
    log["first_a1"].refresh_from_db()
    assert log["first_a1"].reply_count == 4  # the stored counter counts what the log must not
    assert received[log["my_reply"].pk] == 1  # a reply: the replies answering it
    assert received[log["first_a2"].pk] == 0


def test_likes_and_the_reasons_given_with_them_show_on_the_post(auth_client, log):
    html = auth_client.get(URL).content.decode()
    article = dict(re.findall(r'data-post-id="(\d+)">(.*?)</article>', html, re.S))[str(log["first_a1"].pk)]
    assert "3 likes" in article and "2 replies" in article
    assert "It named what I had felt." in article and "Ben Carter" in article
    assert "=HYPERLINK(&quot;x&quot;)" in article and "Cleo Diaz" in article  # escaped, as typed
    assert article.count("<li>") == 2  # the like without a reason adds nothing


def test_the_log_filters_by_course(auth_client, log):
    response = auth_client.get(URL, {"course": log["b_course"].pk})
    assert listed_ids(response.content.decode()) == [log["later_b"].pk, log["hidden"].pk]


def test_the_log_filters_by_the_members_own_calendar_days(auth_client, user, log):
    user.time_zone = "Pacific/Auckland"
    user.save(update_fields=["time_zone"])
    zone = ZoneInfo("Pacific/Auckland")
    # 23:30 on 1 March in Auckland is still 28 February in London and UTC.
    late = datetime(2026, 3, 1, 23, 30, tzinfo=zone)
    Reflection.objects.filter(pk=log["first_a2"].pk).update(created_at=late)
    Reflection.objects.filter(pk=log["later_b"].pk).update(created_at=late + timedelta(days=1))
    response = auth_client.get(URL, {"from": "2026-03-01", "to": "2026-03-01"})
    assert listed_ids(response.content.decode()) == [log["first_a2"].pk]
    response = auth_client.get(URL, {"from": "2026-03-02"})
    assert log["later_b"].pk in listed_ids(response.content.decode())
    assert log["first_a2"].pk not in listed_ids(response.content.decode())


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "next tuesday"}, "from", "Enter a date as year-month-day"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to", "The end date is before the start date."),
        ({"course": "999999"}, "course", "Choose one of the courses you wrote in."),
        ({"course": "abc"}, "course", "Choose one of the courses you wrote in."),
    ],
)
def test_bad_filters_come_back_with_a_clear_error_and_no_list(auth_client, log, params, field, message):
    response = auth_client.get(URL, params)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert re.search(rf'id="id_{field}_error">.*?{re.escape(message)}', html, re.S)
    assert listed_ids(html) == []
    assert "Download PDF" not in html


def test_a_course_the_member_did_not_write_in_is_not_offered(auth_client, log):
    elsewhere = make_course(title="Never wrote here")
    html = auth_client.get(URL).content.decode()
    assert f'<option value="{log["a_course"].pk}">A course on feedback</option>' in html
    assert "Never wrote here" not in html
    assert auth_client.get(URL, {"course": elsewhere.pk}).context["form"].errors


def test_the_export_links_carry_the_filters(auth_client, log):
    course = log["a_course"].pk
    html = auth_client.get(URL, {"course": course, "from": "2020-01-01"}).content.decode()
    query = f"course={course}&amp;from=2020-01-01"
    assert f'href="{reverse("journal:export-markdown")}?{query}"' in html
    assert f'href="{reverse("journal:export-csv")}?{query}"' in html
    assert f'<input type="hidden" name="course" value="{course}">' in html
    assert '<input type="hidden" name="from" value="2020-01-01">' in html


def test_someone_elses_posts_never_appear(client, other_user, log):
    client.force_login(other_user)
    ids = listed_ids(client.get(URL).content.decode())
    assert log["theirs"].pk in ids and log["first_a1"].pk not in ids
    assert sorted(ids) == sorted(
        Reflection.objects.filter(author=other_user).live().values_list("pk", flat=True)
    )


def test_a_member_who_wrote_nothing_is_told_so(client):
    client.force_login(make_user())
    html = client.get(URL).content.decode()
    assert "Nothing here yet" in html


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('account_login')}?next={URL}"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/me/reflections/", "/me/learning-log/"),
        (
            "/me/reflections/?course=3&from=2026-03-01&page=2",
            "/me/learning-log/?course=3&from=2026-03-01&page=2",
        ),
        ("/me/reflections/export.csv?course=3", "/me/learning-log/export.csv?course=3"),
        ("/me/reflections/export.md", "/me/learning-log/export.md"),
        ("/me/reflections/pdf/12/", "/me/learning-log/pdf/12/"),
        ("/me/reflections/pdf/12/download/", "/me/learning-log/pdf/12/download/"),
    ],
)
def test_the_old_address_moved_permanently_with_its_query_string(client, old, new):
    """The log was at /me/reflections/ (bookmarks, browser history): each of its addresses
    now answers 301 with the same page under /me/learning-log/."""
    response = client.get(old)
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY and response.url == new


def test_a_pdf_asked_for_at_the_old_address_is_sent_again_to_the_new_one(auth_client):
    """308, not 301: the browser repeats the POST (a page loaded before the move), so no PDF is
    asked for here and none is lost."""
    response = auth_client.post("/me/reflections/pdf/")
    assert response.status_code == HTTPStatus.PERMANENT_REDIRECT
    assert response.url == reverse("journal:export-pdf") and not LogExport.objects.exists()


def test_only_the_logs_old_addresses_redirect(client):
    assert client.get("/me/reflections/anything-else/").status_code == HTTPStatus.NOT_FOUND


def _write(author, count: int, prompt) -> None:
    for n in range(count):
        post = make_reflection(prompt=prompt, author=author, body=f"Post {n}")
        give_reason(post, make_user(), f"Reason {n}")
        make_reflection(parent=post, body="A reply")


def test_the_page_runs_the_same_queries_however_many_posts(client, assert_exact_queries):
    """Session, member, their roles with their suspension (3), unread notices for the header (1),
    the courses for the filter (1), the count (1), the page of posts with their replies received
    (1), the reasons (1), and the member's last PDF (1)."""
    few, many = make_user(), make_user()
    prompt = make_prompt()
    _write(few, 1, prompt)
    _write(many, 60, make_prompt(lesson=make_lesson()))
    for member in (few, many):
        client.force_login(member)
        with assert_exact_queries(7):  # the session comes from the cache (cached_db)
            response = client.get(URL, {"page": 1})
        assert len(listed_ids(response.content.decode())) == (1 if member == few else 50)


def test_the_log_is_paginated_by_fifty(client):
    member = make_user()
    prompt = make_prompt()
    for n in range(51):
        make_reflection(prompt=prompt, author=member, body=f"Post {n}")
    client.force_login(member)
    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    assert len(listed_ids(first)) == 50 and len(listed_ids(second)) == 1
    assert "51 posts</strong>, page 2 of 2" in second


def test_the_log_offers_the_members_last_pdf(auth_client, user, log, committed):
    assert "Your last PDF" not in auth_client.get(URL).content.decode()
    with committed():
        auth_client.post(reverse("journal:export-pdf"))
    export = LogExport.objects.get(user=user)
    html = auth_client.get(URL).content.decode()
    assert f'is ready: <a href="{export.get_absolute_url()}">open it to download</a>' in html


def test_own_profile_links_to_the_learning_log_and_no_one_elses_does(client, user, other_user):
    client.force_login(user)
    assert f'href="{URL}"' in client.get(user.get_absolute_url()).content.decode().split("<main", 1)[1]
    other = client.get(other_user.get_absolute_url()).content.decode().split("<main", 1)[1]
    assert "Your learning log" not in other


def test_the_learning_log_pages_are_valid_html(client, user, log, request, jobs, committed):
    require_java(request.config)
    for n in range(55):  # a second page
        make_reflection(
            prompt=log["first_a1"].prompt,
            author=user,
            body=f"Entry {n} with `code` and a [link](https://example.com).",
        )
    client.force_login(user)
    pages = {
        "log": client.get(URL).content.decode(),
        "log, page 2": client.get(URL, {"page": 2}).content.decode(),
        "log, filtered to nothing": client.get(URL, {"from": "2099-01-01"}).content.decode(),
        "log, bad filters": client.get(
            URL, {"from": "x", "to": "2026-01-01", "course": "0"}
        ).content.decode(),
        "own profile": client.get(user.get_absolute_url()).content.decode(),
    }
    with committed():
        client.post(reverse("journal:export-pdf"))
    export = LogExport.objects.get(user=user)
    pages["PDF, being prepared"] = client.get(export.get_absolute_url()).content.decode()
    jobs.run()
    pages["PDF, ready"] = client.get(export.get_absolute_url()).content.decode()
    pages["log, with its last PDF"] = client.get(URL).content.decode()
    LogExport.objects.filter(pk=export.pk).update(status=LogExport.Status.FAILED)
    pages["PDF, failed"] = client.get(export.get_absolute_url()).content.decode()
    client.force_login(make_user())
    pages["log, empty"] = client.get(URL).content.decode()
    errors = nu_errors(pages)
    assert errors == {name: [] for name in pages}

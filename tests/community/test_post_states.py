"""Issue 12's post states: private reflections (saved privately, shared by choice), likes that say
why, and the facilitator's highlight. Visibility of private posts through every read path is in
``test_visibility.py`` (and the search and profile agreement tests that reuse its world)."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Suspension
from community import member_data, permissions, services
from community.models import Like, Reflection
from lessons.models import Cohort
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.templatetags.notifications import notice_text
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


def create_url(prompt):
    return reverse("community:reflection-create", args=[prompt.pk])


def url(name, post):
    return reverse(f"community:{name}", args=[post.pk])


def private(prompt, author, body="Only for me, for now."):
    return services.create_reflection(prompt=prompt, author=author, body=body, is_private=True)


# --- Private first, shared by choice ------------------------------------------------------------


def test_saving_privately_tells_no_one_and_leaves_the_public_post_count(committed, jobs, user, facilitator):
    prompt = make_prompt(author=facilitator)  # the facilitator follows their activity
    with committed():
        post = private(prompt, user, body="A thought for @fran")
    assert jobs.waiting() == []  # no fan-out queued: no reflection_posted
    user.refresh_from_db()
    assert post.is_private and post.shared_at is None and user.post_count == 0
    assert not Notification.objects.exists()
    assert list(Reflection.objects.visible_to(user)) == [post]
    assert not Reflection.objects.visible_to(facilitator).filter(pk=post.pk).exists()


def test_the_save_privately_button_saves_it_privately_and_marks_it(auth_client, user, other_user):
    prompt = make_prompt()
    response = auth_client.post(create_url(prompt), {"body": "My first go", "private": "1"}, follow=True)
    post = Reflection.objects.get(body="My first go")
    assert post.is_private
    assert "Saved privately: only you can see it." in response.text
    assert "Private — only you can see this" in response.text
    assert f'action="{url("reflection-share", post)}"' in response.text
    assert f'action="{url("reflection-reply", post)}"' not in response.text  # no replies while private
    auth_client.force_login(other_user)
    other_view = auth_client.get(prompt.get_absolute_url()).text
    assert "My first go" not in other_view and f'id="post-{post.pk}"' not in other_view


def test_posting_normally_is_not_private(auth_client, user):
    prompt = make_prompt()
    auth_client.post(create_url(prompt), {"body": "Out loud"})
    assert Reflection.objects.get(body="Out loud").is_private is False


def test_a_private_reflection_opens_no_gate_but_its_author_sees_it_there(auth_client, user, other_user):
    prompt = make_prompt(independent_reflection=True)
    make_reflection(prompt=prompt, author=other_user, body="Colleague's words")
    response = auth_client.post(create_url(prompt), {"body": "Mine, privately", "private": "1"}, follow=True)
    assert not permissions.can_read_reflections(user, prompt)
    assert "add yours to read theirs" in response.text  # the gate is still there
    assert "Mine, privately" in response.text and "Colleague&#x27;s words" not in response.text
    assert "Colleague's words" not in response.text
    post = Reflection.objects.get(body="Mine, privately")
    assert "Share with the course" in response.text
    # Sharing it is posting it: the gate opens (the redirect lands on the page ending at the
    # shared reflection, with the colleague's earlier one).
    page = auth_client.post(url("reflection-share", post), follow=True).text
    assert "Mine, privately" in page
    assert "Colleague&#x27;s words" in page or "Colleague's words" in page


def test_the_gate_counts_colleagues_who_shared_not_those_who_saved_privately(client, user, other_user):
    prompt = make_prompt(independent_reflection=True)
    make_reflection(prompt=prompt, author=other_user)
    private(prompt, make_user())
    client.force_login(user)
    assert "1 colleague has reflected" in client.get(prompt.get_absolute_url()).text


def test_sharing_keeps_its_date_counts_it_and_tells_followers(committed, jobs, user, facilitator):
    """Issue 23: a private reflection shared later keeps the date it was written (and its
    history); ``shared_at`` says when colleagues got it, which is what makes it new to them."""
    prompt = make_prompt(author=facilitator)
    post = private(prompt, user)
    written = timezone.now() - timedelta(days=2)
    Reflection.objects.filter(pk=post.pk).update(created_at=written)
    earlier = make_reflection(prompt=prompt, body="Public words written after it, before it was shared")
    before = timezone.now()
    with committed():
        shared = services.share_reflection(reflection=post)
    jobs.run()
    user.refresh_from_db()
    assert not shared.is_private and shared.shared_at >= before
    assert shared.created_at == written
    assert user.post_count == 1
    assert list(Reflection.objects.threads_for(prompt, order="oldest")) == [shared, earlier]  # by its date
    assert Notification.objects.filter(
        recipient=facilitator, reflection=shared, kind=Kind.NEW_REFLECTION
    ).exists()
    # Idempotent: sharing again changes nothing and tells no one twice.
    with committed():
        again = services.share_reflection(reflection=shared)
    jobs.run()
    user.refresh_from_db()
    assert again.shared_at == shared.shared_at and user.post_count == 1
    assert Notification.objects.filter(reflection=shared).count() == 1


def test_a_shared_reflection_is_new_since_the_last_visit(client, user, other_user):
    prompt = make_prompt()
    make_reflection(prompt=prompt, author=other_user)
    post = private(prompt, user)
    client.force_login(other_user)
    client.get(prompt.get_absolute_url())  # the visit: the private post already existed
    services.share_reflection(reflection=post)
    page = client.get(prompt.get_absolute_url()).text
    assert "<strong>1 new</strong> since your last visit" in page


def test_only_its_author_shares_a_private_reflection(client, user, other_user, moderator):
    post = private(make_prompt(), user)
    for someone in (other_user, moderator):
        client.force_login(someone)
        assert client.post(url("reflection-share", post)).status_code == HTTPStatus.NOT_FOUND
    Suspension.objects.create(user=user, reason="Cooling off", ends_at=timezone.now() + timedelta(days=1))
    client.force_login(user)
    assert client.post(url("reflection-share", post)).status_code == HTTPStatus.FORBIDDEN
    post.refresh_from_db()
    assert post.is_private
    assert client.get(url("reflection-share", post)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_a_private_reflection_takes_no_replies_and_no_reply_is_private(user):
    post = private(make_prompt(), user)
    with pytest.raises(ValueError):
        services.create_reflection(prompt=post.prompt, author=user, body="x", parent=post)
    public = make_reflection(prompt=post.prompt)
    with pytest.raises(ValueError):
        services.create_reflection(
            prompt=public.prompt, author=user, body="x", parent=public, is_private=True
        )
    post.prompt.lesson.course  # noqa: B018 (loads the course for the permission check)
    assert not permissions.can_reply(user, post)


def test_deleting_or_recounting_leaves_private_reflections_uncounted(user):
    prompt = make_prompt()
    make_reflection(prompt=prompt, author=user)
    kept = private(prompt, user)
    gone = private(prompt, user)
    services.delete_reflection(reflection=gone)
    user.refresh_from_db()
    assert user.post_count == 1
    services.resync_counts()
    user.refresh_from_db()
    assert user.post_count == 1
    services.share_reflection(reflection=kept)
    services.resync_counts()
    user.refresh_from_db()
    assert user.post_count == 2


def test_the_admin_shows_no_private_text_not_even_earlier_versions(client, user):
    post = private(make_prompt(), user, body="FIRST-PRIVATE-WORDS")
    services.edit_reflection(reflection=post, body="Second private words", editor=user)
    staff = make_user(role="", is_staff=True, is_superuser=True)
    client.force_login(staff)
    for page in ("revision", "reflection", "like"):
        html = client.get(reverse(f"admin:community_{page}_changelist")).text
        assert "FIRST-PRIVATE-WORDS" not in html and "Second private words" not in html
    assert (
        "1 private reflection not listed" in client.get(reverse("admin:community_reflection_changelist")).text
    )
    revision = post.revisions.get()
    change = reverse("admin:community_revision_change", args=[revision.pk])
    assert client.get(change).status_code in {HTTPStatus.FOUND, HTTPStatus.NOT_FOUND}
    assert client.get(reverse("admin:community_reflection_change", args=[post.pk])).status_code == 404


def test_the_export_has_private_reflections_and_the_reasons_one_gave(user, other_user):
    post = private(make_prompt(), user)
    like = services.like_reflection(reflection=make_reflection(author=other_user), user=user)
    services.set_like_reason(like=like, reason="The *example* helped")
    data = member_data.export(user)
    [exported] = data["reflections"]
    assert exported["id"] == post.pk and exported["private"] is True and exported["shared_at"] is None
    assert data["likes"][0]["reason"] == "The *example* helped"
    text = "\n".join(member_data.markdown(data))
    assert "- Private: only you can see it" in text and "What helped you: The *example* helped" in text


# --- Likes that say why -------------------------------------------------------------------------


def test_a_reason_is_one_short_line_of_inline_markdown(user, other_user):
    like = services.like_reflection(reflection=make_reflection(author=other_user), user=user)
    like = services.set_like_reason(
        like=like, reason="# Not a heading\n**bold** <script>x</script> ![img](https://e.x/i.png)"
    )
    assert like.reason == "# Not a heading **bold** <script>x</script> ![img](https://e.x/i.png)"
    assert like.reason_html.startswith("# Not a heading <strong>bold</strong> &lt;script&gt;")
    assert (
        "<h1" not in like.reason_html and "<img" not in like.reason_html and "<script" not in like.reason_html
    )
    assert like.reason_updated_at is not None
    with pytest.raises(ValueError):
        services.set_like_reason(like=like, reason="x" * 141)
    like = services.set_like_reason(like=like, reason="   ")
    assert like.reason == like.reason_html == "" and Like.objects.filter(pk=like.pk).exists()


def test_without_javascript_a_like_leads_to_what_helped_you_and_the_author_sees_it(client, user, other_user):
    post = make_reflection(author=other_user, body="Their words")
    onlooker = make_user(display_name="Olu Onlooker")
    client.force_login(user)
    response = client.post(url("reflection-like", post))
    assert response.status_code == HTTPStatus.FOUND and response.url == url("like-reason", post)
    form = client.get(response.url).text
    assert "What helped you?" in form and 'maxlength="140"' in form and "Skip" in form
    saved = client.post(url("like-reason", post), {"reason": "The **pivotal** step"}, follow=True)
    assert "You said why: “The <strong>pivotal</strong> step”" in saved.text
    client.force_login(other_user)
    author_view = client.get(post.prompt.get_absolute_url()).text
    assert (
        "1 person said why" in author_view
        and "Amara Osei</bdi>: “The <strong>pivotal</strong> step”" in author_view
    )
    client.force_login(onlooker)
    others_view = client.get(post.prompt.get_absolute_url()).text
    assert "pivotal" not in others_view and "said why" not in others_view and "1 like" in others_view
    likes_page = client.get(url("reflection-likes", post)).text
    assert "pivotal" not in likes_page


def test_with_htmx_the_like_offers_the_reason_in_place(auth_client, other_user):
    post = make_reflection(author=other_user)
    fragment = auth_client.post(url("reflection-like", post), HTTP_HX_REQUEST="true").text
    assert 'aria-pressed="true"' in fragment and "What helped you?" in fragment
    assert f'data-hx-post="{url("like-reason", post)}"' in fragment and "<html" not in fragment
    saved = auth_client.post(url("like-reason", post), {"reason": "Clear"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == HTTPStatus.OK
    assert 'role="status"' in saved.text and "You said why: “Clear”" in saved.text
    too_long = auth_client.post(url("like-reason", post), {"reason": "y" * 141}, HTTP_HX_REQUEST="true")
    assert "Keep it to 140 characters" in too_long.text and "y" * 141 in too_long.text
    assert Like.objects.get(reflection=post).reason == "Clear"
    removed = auth_client.post(url("like-reason-remove", post), HTTP_HX_REQUEST="true").text
    assert "Your reason is removed." in removed and Like.objects.get(reflection=post).reason == ""


def test_a_too_long_reason_comes_back_with_its_text_without_javascript(auth_client, other_user):
    post = make_reflection(author=other_user)
    services.like_reflection(
        reflection=post, user=Like._meta.apps.get_model("accounts", "User").objects.get(handle="amara")
    )
    response = auth_client.post(url("like-reason", post), {"reason": "z" * 150})
    assert response.status_code == HTTPStatus.BAD_REQUEST and "z" * 150 in response.text


def test_only_its_writer_changes_a_reason(client, user, other_user):
    post = make_reflection(author=other_user)
    like = services.set_like_reason(like=services.like_reflection(reflection=post, user=user), reason="Mine")
    third = make_user()
    client.force_login(third)  # never liked it: there is no reason of theirs to change
    assert client.post(url("like-reason", post), {"reason": "Hijack"}).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url("like-reason-remove", post)).status_code == HTTPStatus.NOT_FOUND
    client.force_login(other_user)  # the author cannot like their own post, nor give a reason
    assert client.post(url("like-reason", post), {"reason": "Hijack"}).status_code == HTTPStatus.FORBIDDEN
    like.refresh_from_db()
    assert like.reason == "Mine"


def test_the_author_hears_the_reason_in_the_like_notice_and_email(
    committed, jobs, settings, user, other_user
):
    from notifications.kinds import Delivery, Group
    from notifications.services import set_delivery

    settings.NOTIFY_EMAIL_DELAY_SECONDS = 0
    set_delivery(user=other_user, group=Group.LIKES, delivery=Delivery.IMMEDIATELY)
    post = make_reflection(author=other_user)
    with committed():
        like = services.like_reflection(reflection=post, user=user)
        services.set_like_reason(like=like, reason="The checklist idea")
    jobs.run()
    [notice] = Notification.objects.filter(recipient=other_user, kind=Kind.LIKES)
    assert (
        notice_text(notice) == "Amara Osei liked your reflection. Amara Osei said why: “The checklist idea”"
    )
    [email] = mail.outbox
    assert "The checklist idea" in email.body and "The checklist idea" in email.alternatives[0][0]
    with committed():
        services.remove_like_reason(like=like)
    jobs.run()
    notice.refresh_from_db()
    assert notice.text == "" and notice_text(notice) == "Amara Osei liked your reflection"


def test_the_space_page_query_count_is_the_same_for_an_author_reading_reasons(
    client, settings, assert_exact_queries, user
):
    """The viewer's likes and the reasons on their own posts come in the one likes query."""
    prompt = make_prompt()
    for n in range(3):
        post = make_reflection(prompt=prompt, author=user, body=f"Mine {n}")
        for _ in range(2):
            like = services.like_reflection(reflection=post, user=make_user())
            services.set_like_reason(like=like, reason=f"Reason for {n}")
    make_reflection(parent=make_reflection(prompt=prompt, body="Someone else's"))  # replies, as there
    client.force_login(user)
    client.get(prompt.get_absolute_url())  # the first visit writes the visit row once
    # 14: as test_views.test_space_query_count_is_flat, signed in (13), and follow-through's one
    # query for the author's own reflections shown (their "Come back to this" and "Read by N").
    with assert_exact_queries(14):
        page = client.get(prompt.get_absolute_url()).text
    assert page.count("2 people said why") == 3 and "Reason for 2" in page


# --- The facilitator's highlight ----------------------------------------------------------------


def test_who_may_highlight(user, other_user, facilitator, moderator):
    post = make_reflection(author=other_user)
    course = post.prompt.lesson.course
    cohort_lead = make_user(handle="lead")
    Cohort.objects.filter(course=course).first().facilitators.add(cohort_lead)
    staff = make_user(role="", is_staff=True)
    for who, allowed in [(user, False), (other_user, False), (cohort_lead, True), (facilitator, True),
                         (moderator, True), (staff, True)]:  # fmt: skip
        fresh = type(who).objects.get(pk=who.pk)  # no per-request cache carried over
        assert permissions.can_highlight(fresh, post) is allowed, who.handle
    reply = make_reflection(parent=post)
    secret = private(post.prompt, facilitator)
    assert not permissions.can_highlight(facilitator, reply) and not permissions.can_highlight(
        facilitator, secret
    )


def test_highlighting_marks_it_sorts_it_and_tells_the_author(
    client, committed, jobs, other_user, facilitator
):
    prompt = make_prompt()
    post = make_reflection(prompt=prompt, author=other_user, body="Worth highlighting")
    make_reflection(prompt=prompt, body="Another one")
    client.force_login(facilitator)
    assert f'action="{url("reflection-highlight", post)}"' in client.get(prompt.get_absolute_url()).text
    with committed():
        response = client.post(url("reflection-highlight", post))
    jobs.run()
    assert response.status_code == HTTPStatus.FOUND
    post.refresh_from_db()
    assert post.highlighted_at is not None and post.highlighted_by == facilitator
    [notice] = Notification.objects.filter(recipient=other_user, kind=Kind.HIGHLIGHTED)
    assert notice_text(notice) == f"Fran Okafor highlighted your reflection in “{prompt.title}”"
    highlighted = client.get(prompt.get_absolute_url() + "?order=highlighted").text
    assert re.findall(r'<article class="post[^"]*" id="post-(\d+)"', highlighted) == [str(post.pk)]
    assert (
        "Highlighted by the facilitator" in highlighted and 'aria-current="true">Highlighted<' in highlighted
    )
    # Highlighting twice tells no one twice; removing the mark takes the badge away.
    services.highlight_reflection(reflection=post, by=facilitator)
    assert Notification.objects.filter(kind=Kind.HIGHLIGHTED).count() == 1
    client.post(url("reflection-unhighlight", post))
    post.refresh_from_db()
    assert post.highlighted_at is None and post.highlighted_by is None
    assert "Highlighted by the facilitator" not in client.get(prompt.get_absolute_url()).text
    assert "Nothing highlighted yet" in client.get(prompt.get_absolute_url() + "?order=highlighted").text


def test_learners_cannot_highlight(auth_client, other_user):
    post = make_reflection(author=other_user)
    assert auth_client.post(url("reflection-highlight", post)).status_code == HTTPStatus.FORBIDDEN
    post.refresh_from_db()
    assert post.highlighted_at is None


def test_the_pages_with_the_new_controls_are_valid_html(request, client, user, other_user, facilitator):
    from tests.html_validation import nu_errors, require_java

    require_java(request.config)
    prompt = make_prompt()
    mine = make_reflection(prompt=prompt, author=user)
    theirs = make_reflection(prompt=prompt, author=other_user)
    private(prompt, user)
    services.highlight_reflection(reflection=theirs, by=facilitator)
    services.set_like_reason(
        like=services.like_reflection(reflection=mine, user=other_user), reason="Good **point**"
    )
    services.set_like_reason(like=services.like_reflection(reflection=theirs, user=user), reason="Yes")
    gated = make_prompt(independent_reflection=True)
    private(gated, user)
    pages = {}
    client.force_login(user)
    pages["space: author, liker, private post"] = client.get(prompt.get_absolute_url()).text
    pages["space: gate with a private post"] = client.get(gated.get_absolute_url()).text
    pages["what helped you"] = client.get(url("like-reason", theirs)).text
    client.force_login(facilitator)
    pages["space: facilitator"] = client.get(prompt.get_absolute_url() + "?order=highlighted").text
    assert "said why" in pages["space: author, liker, private post"]
    errors = {name: found for name, found in nu_errors(pages).items() if found}
    assert errors == {}, errors


def test_the_authors_own_profile_marks_a_private_reflection_and_others_do_not_list_it(
    client, user, other_user
):
    post = private(make_prompt(), user, body="PRIVATE-EXCERPT words")
    profile = reverse("accounts:profile", args=[user.handle])
    client.force_login(user)
    own = client.get(profile).text
    assert f'id="activity-{post.pk}"' in own and "Private — only you can see this" in own
    client.force_login(other_user)
    theirs = client.get(profile).text
    assert "PRIVATE-EXCERPT" not in theirs and f'id="activity-{post.pk}"' not in theirs

"""For the facilitator only, and private replies (issue 23): who reads them is the read rule's
(tests/community/test_visibility.py); here what they count, open and tell, and the buttons."""

import re

import pytest

from accounts import roles
from community import services
from community.models import Prompt, Reflection
from community.querysets import reads_reflections_in
from community.space_page import colleagues_reflected
from tests.factories import enrol, make_course, make_lesson, make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


def stored(prompt) -> int:
    return Prompt.objects.get(pk=prompt.pk).reflection_count


def heading_count(client, prompt) -> int:
    text = client.get(prompt.get_absolute_url()).text
    return int(re.search(r'Reflections <span class="muted">\((\d+)\)</span>', text).group(1))


def test_a_facilitator_only_reflection_is_in_no_public_count_and_the_heading_stays_exact(client):
    prompt = make_prompt()
    author = make_user()
    make_reflection(prompt=prompt)
    mine = services.create_reflection(prompt=prompt, author=author, body="For you", for_facilitators=True)
    assert mine.audience == Reflection.Audience.FACILITATORS and not mine.is_private
    assert stored(prompt) == 1
    author.refresh_from_db()
    assert author.post_count == 0
    services.resync_counts()
    author.refresh_from_db()
    assert stored(prompt) == 1 and author.post_count == 0
    client.force_login(author)
    assert heading_count(client, prompt) == 2  # their own, marked
    client.force_login(make_user())
    assert heading_count(client, prompt) == 1
    client.force_login(make_user(role=roles.FACILITATOR))
    page = client.get(prompt.get_absolute_url()).text
    assert heading_count(client, prompt) == 2 and "For the facilitator only" in page
    services.delete_reflection(reflection=mine)
    author.refresh_from_db()
    assert stored(prompt) == 1 and author.post_count == 0


@pytest.mark.enrolment
def test_a_cohort_facilitator_counts_the_facilitator_only_reflections_of_their_course(client):
    course = make_course()
    cohort = course.cohorts.first() or None
    learner, cofac = make_user(), make_user()
    cohort = enrol(learner, course=course)
    cohort.facilitators.add(cofac)
    prompt = make_prompt(lesson=make_lesson(course=course))
    make_reflection(prompt=prompt)
    services.create_reflection(prompt=prompt, author=learner, body="For you", for_facilitators=True)
    client.force_login(cofac)
    assert heading_count(client, prompt) == 2
    other_prompt = make_prompt()  # another course: they lead nothing there
    services.create_reflection(prompt=other_prompt, author=learner, body="Elsewhere", for_facilitators=True)
    make_reflection(prompt=other_prompt)
    assert heading_count(client, other_prompt) == 1


def test_it_counts_as_reflected_yet_colleagues_never_count_it_at_the_gate():
    prompt = make_prompt(independent_reflection=True)
    author, colleague = make_user(), make_user()
    assert colleagues_reflected(colleague, prompt) == 0
    services.create_reflection(prompt=prompt, author=author, body="For you", for_facilitators=True)
    assert reads_reflections_in(author, prompt)  # it opens the gate for its author
    assert colleagues_reflected(colleague, prompt) == 0  # no colleague will read it
    assert not reads_reflections_in(colleague, prompt)


def test_a_private_reflection_is_shared_with_the_facilitators_only():
    prompt = make_prompt()
    author = make_user()
    private = services.create_reflection(prompt=prompt, author=author, body="Later", is_private=True)
    shared = services.share_reflection(reflection=private, for_facilitators=True)
    assert not shared.is_private and shared.for_facilitators and shared.pk == private.pk
    assert stored(prompt) == 0
    assert not Reflection.objects.visible_to(make_user()).filter(pk=private.pk).exists()
    assert Reflection.objects.visible_to(make_user(role=roles.FACILITATOR)).filter(pk=private.pk).exists()


def test_a_private_reply_is_read_by_the_post_author_the_replier_and_the_leaders_and_tells_only_them(jobs):
    from notifications.models import Notification

    post = make_reflection()
    replier, colleague = make_user(), make_user()
    reply = services.create_reflection(  # a mention tells no one who may not read it
        prompt=post.prompt,
        author=replier,
        body=f"Between us @{colleague.handle}",
        parent=post,
        for_facilitators=True,
    )
    assert reply.private_to_id == post.author_id and reply.for_facilitators
    for viewer, reads in ((post.author, True), (replier, True), (colleague, False),
                          (make_user(role=roles.FACILITATOR), True), (make_user(role=roles.MODERATOR), True)):  # fmt: skip
        assert Reflection.objects.visible_to(viewer).filter(pk=reply.pk).exists() is reads
    # An answer to it stays private: to the replier now.
    answer = services.create_reflection(prompt=post.prompt, author=post.author, body="Yes", parent=reply)
    assert answer.for_facilitators and answer.private_to_id == replier.pk
    jobs.run()
    told = set(
        Notification.objects.filter(reflection__in=[reply, answer]).values_list("recipient_id", flat=True)
    )
    assert colleague.pk not in told


def test_the_composer_and_reply_buttons(client, settings):
    settings.RATELIMIT_ENABLE = False
    prompt = make_prompt()
    author = make_user()
    client.force_login(author)
    page = client.get(prompt.get_absolute_url()).text
    assert 'name="for_facilitators"' in page and "Share with the facilitator only" in page
    response = client.post(reverse_create(prompt), {"body": "Only for you", "for_facilitators": "1"})
    assert response.status_code == 302, response.text[-3000:]
    mine = Reflection.objects.get(author=author)
    assert mine.for_facilitators
    post = make_reflection(prompt=prompt)
    form = client.get(f"/posts/{post.pk}/reply/").text
    assert "Reply privately" in form
    response = client.post(f"/posts/{post.pk}/reply/", {"reply-body": "Just you", "for_facilitators": "1"})
    assert response.status_code == 302, response.text[-2000:]
    reply = Reflection.objects.get(author=author, parent=post)
    assert reply.for_facilitators and reply.private_to_id == post.author_id


def reverse_create(prompt) -> str:
    from django.urls import reverse

    return reverse("community:reflection-create", args=[prompt.pk])

import threading
import uuid

import pytest
from django.db import connection

from accounts.models import User
from community import services
from community.models import Like, Reflection
from tests.factories import make_prompt, make_reflection, make_user

pytestmark = pytest.mark.django_db


def test_posting_counts_towards_the_authors_post_count(user):
    prompt = make_prompt()
    services.create_reflection(prompt=prompt, author=user, body="One")
    services.create_reflection(prompt=prompt, author=user, body="Two")
    user.refresh_from_db()
    assert user.post_count == 2


def test_replies_join_the_thread_of_the_post_they_answer(user, other_user):
    top = make_reflection(author=user)
    reply = services.create_reflection(prompt=top.prompt, author=other_user, body="Yes", parent=top)
    deeper = services.create_reflection(prompt=top.prompt, author=user, body="And", parent=reply)
    assert (reply.thread, deeper.thread, deeper.parent) == (top, top, reply)
    top.refresh_from_db()
    assert top.reply_count == 2


def test_mentions_link_known_members_only(user, other_user):
    reflection = make_reflection(author=user, body="Thanks @Ben and @nobody_here, mail ben@example.com")
    assert '<a href="/u/ben/" class="mention"' in reflection.body_html
    assert "@nobody_here" in reflection.body_html and "/u/nobody_here/" not in reflection.body_html
    assert "/u/example" not in reflection.body_html


def test_same_submission_key_posts_once(user):
    prompt = make_prompt()
    key = uuid.uuid4()
    first = services.create_reflection(prompt=prompt, author=user, body="Once", submission_key=key)
    second = services.create_reflection(prompt=prompt, author=user, body="Once", submission_key=key)
    assert first.pk == second.pk
    assert Reflection.objects.filter(prompt=prompt).count() == 1
    user.refresh_from_db()
    assert user.post_count == 1


def test_liking_twice_keeps_one_like(user):
    reflection = make_reflection()
    services.like_reflection(reflection=reflection, user=user)
    services.like_reflection(reflection=reflection, user=user)
    reflection.refresh_from_db()
    assert reflection.like_count == 1 == Like.objects.filter(reflection=reflection).count()


def test_unliking_twice_takes_back_one_like(user):
    reflection = make_reflection(likes=2)
    services.like_reflection(reflection=reflection, user=user)
    services.unlike_reflection(reflection=reflection, user=user)
    services.unlike_reflection(reflection=reflection, user=user)
    reflection.refresh_from_db()
    assert reflection.like_count == 2 == Like.objects.filter(reflection=reflection).count()


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_and_unlikes_leave_an_exact_count():
    """Each member likes twice and unlikes once at the same moment as everyone else (the row lock
    serialises them): the counter equals the rows, whatever the interleaving."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    reflection = make_reflection()
    members = [make_user() for _ in range(8)]

    def act(index: int) -> None:
        try:
            member = members[index]
            services.like_reflection(reflection=reflection, user=member)
            services.like_reflection(reflection=reflection, user=member)
            if index % 2:
                services.unlike_reflection(reflection=reflection, user=member)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(act, range(8)))
    reflection.refresh_from_db()
    assert reflection.like_count == 4 == Like.objects.filter(reflection=reflection).count()


def test_editing_marks_the_post_edited_and_rerenders(user):
    reflection = make_reflection(author=user, body="*old*")
    services.edit_reflection(reflection=reflection, body="**new**", editor=user)
    reflection.refresh_from_db()
    assert reflection.edited_at is not None
    assert reflection.body_html == "<p><strong>new</strong></p>"


def test_deleting_a_post_without_replies_removes_it(user):
    reflection = make_reflection(author=user)
    assert services.delete_reflection(reflection=reflection) is None
    assert not Reflection.objects.filter(pk=reflection.pk).exists()
    user.refresh_from_db()
    assert user.post_count == 0


def test_deleting_a_post_with_replies_leaves_a_placeholder(user):
    reflection = make_reflection(author=user, body="private words", replies=2, likes=1)
    placeholder = services.delete_reflection(reflection=reflection)
    placeholder.refresh_from_db()
    assert placeholder.is_deleted and placeholder.body == "" and placeholder.like_count == 0
    assert Reflection.objects.filter(thread=reflection).count() == 2
    user.refresh_from_db()
    assert user.post_count == 0


def test_resync_counts_restores_exact_counters(user):
    reflection = make_reflection(author=user, replies=2, likes=3)
    Reflection.objects.update(like_count=99, reply_count=99)
    User.objects.update(post_count=99)
    services.resync_counts()
    reflection.refresh_from_db()
    user.refresh_from_db()
    assert (reflection.like_count, reflection.reply_count, user.post_count) == (3, 2, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_leave_an_exact_count():
    reflection = make_reflection()
    likers = [make_user() for _ in range(8)]
    barrier = threading.Barrier(len(likers) + 1)  # + the same member liking twice at once
    errors = []

    def like(member):
        try:
            barrier.wait()
            services.like_reflection(reflection=reflection, user=member)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=like, args=(m,)) for m in [*likers, likers[0]]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    reflection.refresh_from_db()
    assert reflection.like_count == 8 == Like.objects.filter(reflection=reflection).count()


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_at_the_same_moment_posts_once():
    prompt = make_prompt()
    author = make_user()
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    results = []

    def post():
        try:
            barrier.wait()
            results.append(
                services.create_reflection(prompt=prompt, author=author, body="Hi", submission_key=key).pk
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert Reflection.objects.filter(prompt=prompt).count() == 1

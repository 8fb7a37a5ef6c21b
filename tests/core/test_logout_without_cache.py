"""Issue 21, item 25: signing out ends the session whether or not the cache (Redis) answers.
Sessions are cached_db (accounts.sessions): a sign-out the cache dropped (FailOpenRedisCache, down
or stalled) is retried by a job, so the cached copy cannot sign the old cookie back in once the
cache answers again."""

from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.core.test_cache_outage import dead_cache  # noqa: F401  (fixture)
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def signed_in_client(user) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    return client


def reads_signed_in_page(cookie: str) -> bool:
    client = Client()
    client.cookies["sessionid"] = cookie
    return client.get(reverse("accounts:profile-edit")).status_code == HTTPStatus.OK


def test_signing_out_while_the_cache_stalls_ends_the_session(monkeypatch, django_capture_on_commit_callbacks):
    """The cache answered at sign-in, stalls during sign-out (its delete is dropped and its breaker
    opens, as FailOpenRedisCache's does), then answers again: the old cookie is signed out."""
    client = signed_in_client(make_user())
    cookie = client.cookies["sessionid"].value
    assert reads_signed_in_page(cookie)
    cache = caches["default"]
    with django_capture_on_commit_callbacks() as jobs, monkeypatch.context() as stalled:
        stalled.setattr(cache, "delete", lambda *args, **kwargs: False, raising=False)
        stalled.setattr(cache, "is_down", lambda: True, raising=False)
        client.post(reverse("account_logout"))
    assert jobs, "the dropped delete is queued to be retried"
    for job in jobs:  # the worker, once the cache answers again
        job()
    assert not reads_signed_in_page(cookie)


def test_signing_out_while_the_cache_is_down_ends_the_session(dead_cache):  # noqa: F811
    client = signed_in_client(make_user())
    cookie = client.cookies["sessionid"].value
    assert reads_signed_in_page(cookie)
    client.post(reverse("account_logout"))
    assert not reads_signed_in_page(cookie)


def test_a_cookie_whose_session_row_is_gone_is_signed_out_whatever_the_cache_holds():
    """The member is read with a check that their session's database row still exists (one query,
    accounts.backends): a sign-out deletes the row at once, so a cached copy that outlived it (the
    cache's delete dropped, and no job run yet) signs nobody in."""
    from django.contrib.sessions.models import Session

    client = signed_in_client(make_user())
    cookie = client.cookies["sessionid"].value
    assert reads_signed_in_page(cookie)
    Session.objects.filter(session_key=cookie).delete()  # as a sign-out does; the cached copy stays
    assert not reads_signed_in_page(cookie)

"""PostgreSQL is down: a post gets 503 with the text typed sent back (escaped, with its submission
key, never a password or the CSRF token), every other page a plain 503 without touching the
database; other errors still get the 500 page (core.middleware.DatabaseUnavailableMiddleware)."""

import uuid
from http import HTTPStatus

import pytest
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.urls import reverse

from community.models import Reflection
from tests.factories import make_prompt

pytestmark = pytest.mark.django_db


def _fail_inserts_into(table: str):
    def wrapper(execute, sql, params, many, context):
        if sql.startswith(f'INSERT INTO "{table}"'):
            raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
        return execute(sql, params, many, context)

    return wrapper


def _fail_every_query(error=OperationalError):
    def wrapper(execute, sql, params, many, context):
        raise error("server closed the connection unexpectedly")

    return wrapper


TYPED = "My words about <b>mistakes</b> & “blame”.\n\nSecond paragraph </textarea><script>alert(1)</script>"


def test_a_post_during_a_database_outage_gets_503_with_the_text_back(client, user):
    prompt = make_prompt()
    client.force_login(user)
    url = reverse("community:reflection-create", args=[prompt.pk])
    key = str(uuid.uuid4())
    with connection.execute_wrapper(_fail_inserts_into("community_reflection")):
        response = client.post(url, {"body": TYPED, "submission_key": key})
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Nothing you wrote is lost" in html
    # Escaped, inside a textarea, and sent again with the same key (a second post stays harmless).
    assert "My words about &lt;b&gt;mistakes&lt;/b&gt; &amp; “blame”." in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html and "<script>" not in html
    assert f'name="submission_key" value="{key}"' in html
    assert f'action="{url}"' in html
    assert not Reflection.objects.exists()


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_full_outage_answers_503_without_touching_the_database(client, user, error):
    """Every query fails, from the session lookup on: the page is rendered from nothing."""
    prompt = make_prompt()
    client.force_login(user)
    client.raise_request_exception = False  # the error is raised in a middleware, before any view
    url = reverse("community:reflection-create", args=[prompt.pk])
    with connection.execute_wrapper(_fail_every_query(error)):
        posted = client.post(url, {"body": "Words typed during the outage", "password": "hunter2-secret"})
        page = client.get(reverse("lessons:course-list"))
    assert posted.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert posted["Retry-After"] == "30"
    html = posted.content.decode()
    assert "Words typed during the outage" in html
    assert "hunter2-secret" not in html
    assert page.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "Nothing you wrote is lost" not in page.content.decode()  # nothing typed on a GET


def test_a_database_outage_never_echoes_passwords_or_the_csrf_token(rf):
    from core.middleware import database_unavailable_response

    request = rf.post(
        "/accounts/signup/",
        {
            "csrfmiddlewaretoken": "TOKEN-VALUE",
            "password1": "secret-one",
            "password2": "secret-two",
            "email": "nia@example.com",
            "display_name": "Nia Brooks",
            "reply-body": "A reply",
            "reason": "Because",
            "note": "A note",
        },
    )
    html = database_unavailable_response(request).content.decode()
    assert "secret-one" not in html and "secret-two" not in html and "TOKEN-VALUE" not in html
    for typed in ("Nia Brooks", "A reply", "Because", "A note"):
        assert f"\n{typed}</textarea>" in html


def test_other_errors_still_get_the_500_page(client, user):
    client.raise_request_exception = False
    client.force_login(user)

    def boom(execute, sql, params, many, context):
        raise ValueError("not a database outage")

    with connection.execute_wrapper(boom):
        response = client.get("/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Something went wrong on our side" in response.content.decode()

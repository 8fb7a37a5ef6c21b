"""Scale-out settings (issue 13): sessions in the shared cache with the database behind them, the
readiness probe, the benchmark's trivial view and the PgBouncer switch."""

import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db.utils import OperationalError

from config import views
from tests.factories import PASSWORD, make_user

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_sign_in_survives_losing_the_cache(client):
    """cached_db: the session is written to the database too, so an emptied (restarted) cache signs
    nobody out, and the next request puts it back in the cache."""
    member = make_user()
    assert client.post("/accounts/login/", {"login": member.email, "password": PASSWORD}).status_code == 302
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    cache.clear()
    response = client.get(f"/u/{member.handle}/")
    assert response.status_code == HTTPStatus.OK
    assert response.wsgi_request.user == member
    assert cache.get("django.contrib.sessions.cached_db" + key) is not None


@pytest.mark.django_db
def test_readyz_is_200_when_the_database_answers_and_migrations_are_applied(client):
    response = client.get("/readyz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok", "database": "ok", "migrations": "ok", "cache": "ok",
        "workers": "none checked in within 60 s",  # reported, never a 503: the site works without
    }  # fmt: skip


@pytest.mark.django_db
def test_readyz_and_check_workers_report_a_worker_that_checked_in(client):
    from django.core.management import CommandError, call_command
    from django.db import connection

    with pytest.raises(CommandError, match="No worker has checked in"):
        call_command("check_workers")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now())")
    assert client.get("/readyz").json()["workers"] == "1 alive"
    call_command("check_workers", stdout=__import__("io").StringIO())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '5 minutes'")
    assert client.get("/readyz").json()["workers"].startswith("none")


@pytest.mark.django_db
def test_readyz_is_503_while_a_migration_is_unapplied(client, monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)
    with mock.patch.object(views.MigrationExecutor, "migration_plan", return_value=[("m", False)]):
        response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["migrations"] == "1 unapplied"
    assert views._migrations_applied is False  # asks again next time


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_fails(client):
    with mock.patch("config.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_the_trivial_view_is_off_unless_switched_on(client, settings):
    assert client.get("/bench/trivial").status_code == HTTPStatus.NOT_FOUND
    settings.BENCH_TRIVIAL_VIEW = True
    assert client.get("/bench/trivial").content == b"ok visitor\n"
    client.force_login(make_user())
    response = client.get("/bench/trivial")
    assert response.content == b"ok member\n"
    assert "Content-Security-Policy" in response.headers  # the same middleware as every page


def _settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({expression})",
        ],
        cwd=PROJECT_DIR,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )


def test_pgbouncer_switches_server_side_cursors_off():
    expression = 'settings.DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False)'
    assert _settings_value(expression).stdout.strip() == "False"
    assert _settings_value(expression, DATABASE_POOLER="pgbouncer").stdout.strip() == "True"
    wrong = _settings_value(expression, DATABASE_POOLER="odyssey")
    assert wrong.returncode != 0 and "DATABASE_POOLER" in wrong.stderr


@pytest.mark.django_db
def test_readyz_answers_plain_http_even_when_https_is_enforced(client, settings):
    """Load balancers probe over plain http (SECURE_REDIRECT_EXEMPT), as for /healthz."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/readyz").status_code == HTTPStatus.OK
    assert client.get("/").status_code == HTTPStatus.MOVED_PERMANENTLY

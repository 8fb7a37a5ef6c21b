"""Signed-in pages are ``Cache-Control: private`` (no shared cache keeps a member's page) and
downloads are ``no-store`` (core.middleware.PrivatePagesMiddleware)."""

import pytest
from django.urls import reverse

from tests.factories import make_reflection

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part.strip()}


def test_a_signed_in_members_pages_are_private(auth_client):
    for url in ("/", reverse("notifications:list"), reverse("accounts:export")):
        response = auth_client.get(url)
        assert response.status_code == 200, url
        assert "private" in _directives(response), url


def test_a_visitors_pages_are_not_marked_private(client):
    response = client.get("/")
    assert response.status_code == 200 and "private" not in _directives(response)


def test_downloads_are_never_stored(auth_client, user):
    make_reflection(author=user, body="Mine")
    for name in ("journal:export-markdown", "journal:export-csv"):
        response = auth_client.get(reverse(name))
        assert response.status_code == 200, name
        assert {"private", "no-store"} <= _directives(response), name

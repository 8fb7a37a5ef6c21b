"""``make run`` (DEBUG on) answers an unknown address with the real 404 page, not Django's debug
page listing every route (core.middleware.DevelopmentNotFoundMiddleware)."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_an_unknown_address_in_development_gets_the_real_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Django tried these URL patterns" not in response.text
    assert "admin/" not in response.text and "<main" in response.text

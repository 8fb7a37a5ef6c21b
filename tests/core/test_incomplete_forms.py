"""A multipart form cut short (its closing boundary missing) is a 400 with a clear message, never
a post saved with part of its text (core.middleware.multipart_cut_short)."""

import pytest

from community.models import Reflection
from tests.factories import make_prompt

pytestmark = pytest.mark.django_db


def _post(auth_client, prompt, body: bytes):
    return auth_client.generic(
        "POST", f"/activities/{prompt.pk}/reflect/", body, content_type="multipart/form-data; boundary=XYZ"
    )


def test_a_multipart_body_without_its_closing_boundary_is_refused(auth_client):
    prompt = make_prompt()
    cut = b'--XYZ\r\nContent-Disposition: form-data; name="body"\r\n\r\nThe first half of my thou'
    response = _post(auth_client, prompt, cut)
    assert response.status_code == 400 and "arrived incomplete" in response.text
    assert not Reflection.objects.exists()


def test_a_whole_multipart_form_is_posted(auth_client):
    prompt = make_prompt()
    whole = b'--XYZ\r\nContent-Disposition: form-data; name="body"\r\n\r\nA whole thought\r\n--XYZ--\r\n'
    assert _post(auth_client, prompt, whole).status_code == 302
    assert Reflection.objects.get().body == "A whole thought"

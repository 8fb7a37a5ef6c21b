"""The follow-through's pages and parts are valid HTML (vnu), as the facilitator and the offered
colleague see them."""

import pytest
from django.urls import reverse

from facilitation import services
from tests.facilitation.conftest import seen
from tests.factories import make_reflection, make_user
from tests.html_validation import nu_errors, require_java

pytestmark = pytest.mark.django_db


def test_follow_through_pages_are_valid_html(request, client, heard_prompt, lead):
    require_java(request.config)
    colleague = seen(make_user())[0]
    quoted = make_reflection(prompt=heard_prompt, body="Worth quoting, with *emphasis*.")
    make_reflection(parent=quoted, body="Heard.")
    services.offer_reflection(reflection_id=make_reflection(prompt=heard_prompt).pk)
    services.publish_summary(prompt=heard_prompt, by=lead, body="We **learned**.", quoted_ids=[quoted.pk])
    services.save_to_library(prompt=heard_prompt, by=lead)
    pages = {}
    client.force_login(lead)
    for name, url in {
        "follow-through": reverse("facilitation:activity", args=[heard_prompt.pk]),
        "library": reverse("facilitation:library"),
        "worklist": reverse("insights:worklist"),
        "insights": reverse("insights:activity", args=[heard_prompt.pk]),
        "space (facilitator)": heard_prompt.get_absolute_url(),
    }.items():
        pages[name] = client.get(url).text
    client.force_login(colleague)
    pages["space (offered)"] = client.get(heard_prompt.get_absolute_url()).text
    assert "is waiting to hear from you" in pages["space (offered)"]
    errors = {name: found for name, found in nu_errors(pages).items() if found}
    assert errors == {}

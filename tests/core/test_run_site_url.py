"""`make run` serves on PORT, and links in emails (built from SITE_URL) must lead there:
`PORT=8001 make run` sets SITE_URL to http://127.0.0.1:8001 unless SITE_URL is given."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from tests.notifications.test_emails import reply_to

ROOT = Path(settings.BASE_DIR)


def run_command(**env: str) -> str:
    """The commands `make run` would run (make -n: printed, not run)."""
    environ = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "MAKEFLAGS"}}
    result = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, env={**environ, **env}, capture_output=True, text=True, check=True
    )
    [line] = [line for line in result.stdout.splitlines() if "scripts/dev.py" in line]
    return line


def site_url_of(command: str) -> str:
    return re.search(r"\bSITE_URL=(\S+)", command).group(1)


def test_make_run_derives_site_url_from_port():
    command = run_command(PORT="8001")
    assert "127.0.0.1:8001" in command.split("scripts/dev.py", 1)[1]
    assert site_url_of(command) == "http://127.0.0.1:8001"


def test_make_run_keeps_a_given_site_url():
    assert site_url_of(run_command(PORT="8001", SITE_URL="https://reflect.example.org")) == (
        "https://reflect.example.org"
    )


@pytest.mark.django_db
def test_an_emailed_notification_link_leads_to_the_port_make_run_serves(user, committed, settings):
    settings.SITE_URL = site_url_of(run_command(PORT="8001"))
    message = reply_to(user, body="I see it differently", committed=committed)
    assert re.search(r"http://127\.0\.0\.1:8001/notifications/\d+/", message.body)
    assert mail.outbox

"""The Learning Record Store over HTTP: one POST of a batch of statements (xAPI 1.0.3,
``POST <LRS_URL>/statements``). The standard library's client: nothing else to install or pin."""

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings


class Unreachable(Exception):
    """No answer from the LRS (refused, timed out, name not found): try again later."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str

    @property
    def stored(self) -> bool:
        return self.status in (200, 204)


def _headers() -> dict[str, str]:
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"}
    if settings.LRS_TOKEN:
        headers["Authorization"] = f"Bearer {settings.LRS_TOKEN}"
    elif settings.LRS_USERNAME:
        pair = f"{settings.LRS_USERNAME}:{settings.LRS_PASSWORD}".encode()
        headers["Authorization"] = f"Basic {base64.b64encode(pair).decode('ascii')}"
    return headers


def post_statements(statements: list[dict]) -> Answer:
    """Send ``statements`` in one request. A statement's ``id`` makes a second send of it harmless:
    the LRS keeps the one it has (xAPI: same id, same statement)."""
    url = settings.LRS_URL.rstrip("/") + "/statements"
    request = urllib.request.Request(
        url, data=json.dumps(statements).encode(), headers=_headers(), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.LRS_TIMEOUT_SECONDS) as response:
            return Answer(response.status, response.read(2000).decode(errors="replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(2000).decode(errors="replace"))
    except (urllib.error.URLError, OSError) as error:  # refused, reset, timed out, DNS
        raise Unreachable(str(getattr(error, "reason", error))) from error

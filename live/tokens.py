"""The opaque ``since`` tokens of the news checks: what a page (or the last check) has seen, signed
so that a browser cannot make one up and bound to the member it was given to.

A space's token holds the activity, its course, the viewer, a moment, the ids of posts the page
already shows, and the versions (``core.versions``) of the scopes the last answer depended on: the
space, the course and the viewer. A check whose scopes have not moved answers 304 from that one
read.

The page itself carries no token (a page the browser keeps must be the same as one built afresh):
its first check sends the ids of the posts it shows, and the moment is taken ``OVERLAP`` before
that check, so a post committed between the page's reads and the first check is still found, while
those the page does show are left out by id; none is counted twice."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core import signing
from django.utils import timezone

SALT = "live.since"
OVERLAP = timedelta(seconds=10)
SEEN_KEPT = 300  # ids of shown posts a token carries at most


class BadToken(Exception):
    """A token that was not ours, or not given to this member."""


@dataclass
class SpaceSince:
    prompt_id: int
    course_id: int
    user_id: int | None
    after: datetime  # posts created after this moment are news…
    seen: list[int] = field(default_factory=list)  # …but these the viewer has on the page
    numbers: list | None = None  # the scopes' versions at the last check (None: none yet)

    def dumps(self) -> str:
        payload = {
            "k": "s", "p": self.prompt_id, "c": self.course_id, "u": self.user_id,
            "t": round(self.after.timestamp() * 1000), "x": self.seen, "v": self.numbers,
        }  # fmt: skip
        return signing.dumps(payload, salt=SALT, compress=True)


@dataclass
class NoticesSince:
    user_id: int
    scopes: list[str]
    numbers: list

    def dumps(self) -> str:
        payload = {"k": "n", "u": self.user_id, "s": self.scopes, "v": self.numbers}
        return signing.dumps(payload, salt=SALT, compress=True)


def _load(token: str, kind: str, user) -> dict:
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise BadToken from error
    if not isinstance(payload, dict) or payload.get("k") != kind:
        raise BadToken
    if payload.get("u") != (user.pk if user.is_authenticated else None):
        raise BadToken  # another member's token: as if there were none
    return payload


def load_space(token: str, user) -> SpaceSince:
    payload = _load(token, "s", user)
    try:
        after = datetime.fromtimestamp(int(payload["t"]) / 1000, tz=timezone.get_fixed_timezone(0))
        return SpaceSince(
            prompt_id=int(payload["p"]), course_id=int(payload["c"]), user_id=payload["u"], after=after,
            seen=[int(pk) for pk in payload["x"]], numbers=payload["v"],
        )  # fmt: skip
    except (KeyError, TypeError, ValueError) as error:
        raise BadToken from error


def load_notices(token: str, user) -> NoticesSince:
    payload = _load(token, "n", user)
    try:
        return NoticesSince(user_id=payload["u"], scopes=[str(s) for s in payload["s"]], numbers=payload["v"])
    except (KeyError, TypeError) as error:
        raise BadToken from error

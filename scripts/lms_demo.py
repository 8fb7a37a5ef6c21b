"""A small learning platform on loopback, registered with the local Reflect, to try LTI 1.3.

    make run        # Reflect on http://127.0.0.1:8000 (one terminal)
    make lms-demo   # this platform on http://127.0.0.1:8010 (another terminal)

Open http://127.0.0.1:8010/ and, as Alan (instructor), add a Reflect activity (deep linking: pick a
course, lesson and activity, with or without a participation grade); then, as Ada or Grace
(learners), open it: Reflect opens in the platform's frame, signed in and enrolled. Post a
reflection there; the gradebook on this page shows the score Reflect sends (the worker of
`make run` sends changed scores every ten minutes, and at each launch of the activity). Reflect's
roster page for the course ("Sync roster now") reads this platform's members.

It plays the platform's side of LTI 1.3 only as far as a demo needs: OIDC login, signed launches,
deep-linking responses checked against Reflect's published key set, a roster (NRPS), a gradebook
(AGS scores), its key set. Everything is in memory; it registers itself at every start
(`lti.registrations.register_platform`) and opens every published course to itself. Not for tests
(tests/lti has its own) and never for production.
"""

import contextlib
import html
import json
import os
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import jwt  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from jwcrypto.jwk import JWK  # noqa: E402

PORT = int(os.environ.get("LMS_DEMO_PORT", "8010"))
ISSUER = f"http://127.0.0.1:{PORT}"
REFLECT = os.environ.get("REFLECT_URL", os.environ.get("SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
CLIENT_ID, DEPLOYMENT_ID, CONTEXT_ID = "reflect-demo", "demo-deployment", "demo-course"
LTI = "https://purl.imsglobal.org/spec/lti/claim"
ROLES = "http://purl.imsglobal.org/vocab/lis/v2/membership"
PEOPLE = {
    "alan": ("demo-alan", "Alan Turing", f"{ROLES}#Instructor"),
    "ada": ("demo-ada", "Ada Lovelace", f"{ROLES}#Learner"),
    "grace": ("demo-grace", "Grace Hopper", f"{ROLES}#Learner"),
}

PRIVATE = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PEM = PRIVATE.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
PUBLIC_JWK = {
    **json.loads(JWK.from_pem(PEM).export_public()),
    "kid": "lms-demo",
    "alg": "RS256",
    "use": "sig",
}

ITEMS: list[dict] = []  # content items Reflect returned by deep linking
SCORES: dict[tuple[int, str], dict] = {}  # (item, user id) → the last score received


def register() -> None:
    from lessons.models import Course
    from lti.registrations import register_platform, tool_urls

    registration, _ = register_platform(
        name="Demo LMS (scripts/lms_demo.py)", issuer=ISSUER, client_id=CLIENT_ID, deployment_id=DEPLOYMENT_ID,
        auth_url=f"{ISSUER}/auth", token_url=f"{ISSUER}/token", keyset_url=f"{ISSUER}/jwks",
    )  # fmt: skip
    registration.reflect_platform.courses.set(Course.objects.filter(published=True))
    print(f"lms-demo: registered with Reflect ({json.dumps(tool_urls(registration))})")


def page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        "<style>body{font:16px system-ui;margin:2rem;max-width:70rem}iframe{width:100%;height:46rem;"
        "border:1px solid #999}td,th{padding:.2rem .8rem;text-align:left}</style></head>"
        f"<body>{body}</body></html>"
    )


def autosubmit(action: str, fields: dict) -> str:
    inputs = "".join(
        f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(str(v))}'>"
        for k, v in fields.items()
    )
    return page(
        "…",
        f"<form id='f' method='post' action='{html.escape(action)}'>{inputs}<button>Continue</button></form>"
        "<script>document.getElementById('f').submit()</script>",
    )


def home(who: str) -> str:
    from lti.models import CourseLink

    link = CourseLink.objects.filter(context__id_on_platform=CONTEXT_ID).select_related("course").first()
    people = " · ".join(
        f"<a href='/?as={key}'>{'<b>' if key == who else ''}{name}{'</b>' if key == who else ''}</a>"
        for key, (_, name, _) in PEOPLE.items()
    )
    sub, name, role = PEOPLE[who]
    rows = []
    for n, item in enumerate(ITEMS):
        graded = "graded" if item.get("lineItem") else "not graded"
        rows.append(
            f"<li>{html.escape(item.get('title') or 'Reflect')} ({graded}) — <a href='/frame?as={who}&item={n}'>open</a></li>"
        )
    activities = "<ul>" + "".join(rows) + "</ul>" if rows else "<p>No Reflect activity yet.</p>"
    add = (
        f"<p><a href='/frame?as={who}&item=deep'>Add a Reflect activity</a> (deep linking)</p>"
        if role.endswith("#Instructor")
        else ""
    )
    grades = "".join(
        f"<tr><td>{html.escape(ITEMS[n].get('title') or '')}</td><td>{html.escape(next((p[1] for p in PEOPLE.values() if p[0] == user), user))}</td>"
        f"<td>{s.get('scoreGiven')}/{s.get('scoreMaximum')}</td><td>{html.escape(s.get('activityProgress', ''))}</td></tr>"
        for (n, user), s in sorted(SCORES.items())
    )
    roster = (
        f"<p>Reflect course: <a href='{REFLECT}{link.course.get_absolute_url()}'>{html.escape(link.course.title)}</a>; "
        f"its roster page (as a facilitator, “Sync roster now”): <a href='{REFLECT}/lti/courses/{link.course.slug}/roster/'>"
        f"{REFLECT}/lti/courses/{link.course.slug}/roster/</a></p>"
        if link
        else "<p>This course is not linked to a Reflect course yet: add an activity as Alan.</p>"
    )
    return page(
        "Demo LMS",
        f"<h1>Demo LMS: Leadership 101</h1><p>You are: {people} ({html.escape(role.rsplit('#', 1)[1])})</p>"
        f"<h2>Activities</h2>{add}{activities}{roster}"
        f"<h2>Gradebook</h2><table><tr><th>Activity</th><th>Learner</th><th>Score</th><th>Progress</th></tr>{grades}</table>",
    )


def claims(who: str, item: str, nonce: str) -> dict:
    sub, name, role = PEOPLE[who]
    now = int(time.time())
    body = {
        "iss": ISSUER, "aud": CLIENT_ID, "sub": sub, "iat": now, "exp": now + 300, "nonce": nonce, "name": name,
        f"{LTI}/deployment_id": DEPLOYMENT_ID, f"{LTI}/version": "1.3.0", f"{LTI}/roles": [role],
        f"{LTI}/context": {"id": CONTEXT_ID, "label": "LEAD101", "title": "Leadership 101"},
        f"{LTI}/launch_presentation": {"document_target": "iframe", "return_url": f"{ISSUER}/?as={who}"},
        "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
            "context_memberships_url": f"{ISSUER}/memberships", "service_versions": ["2.0"],
        },
    }  # fmt: skip
    if item == "deep":
        body[f"{LTI}/message_type"] = "LtiDeepLinkingRequest"
        body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
            "deep_link_return_url": f"{ISSUER}/deep-link-return",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe"],
            "data": who,
        }
        return body
    n = int(item)
    content = ITEMS[n]
    body[f"{LTI}/message_type"] = "LtiResourceLinkRequest"
    body[f"{LTI}/target_link_uri"] = content.get("url")
    body[f"{LTI}/resource_link"] = {"id": f"demo-link-{n}", "title": content.get("title")}
    body[f"{LTI}/custom"] = content.get("custom") or {}
    if content.get("lineItem"):
        body["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
            "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
            "lineitem": f"{ISSUER}/lineitems/{n}",
        }
    return body


class Handler(BaseHTTPRequestHandler):
    def _send(
        self, status: int, body: str, content_type: str = "text/html; charset=utf-8", headers=()
    ) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict:
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        return raw if self.headers.get("Content-Type", "").endswith("json") else {
            k: v[0] for k, v in parse_qs(raw).items()
        }  # fmt: skip

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        who = query.get("as", "alan") if query.get("as") in PEOPLE else "alan"
        if url.path == "/":
            return self._send(200, home(who))
        if url.path == "/frame":
            src = f"/start?{urlencode({'as': who, 'item': query.get('item', '')})}"
            return self._send(
                200,
                page(
                    "Reflect",
                    f"<p><a href='/?as={who}'>← Back to the course</a></p><iframe src='{html.escape(src)}'></iframe>",
                ),
            )
        if url.path == "/start":
            fields = {
                "iss": ISSUER, "client_id": CLIENT_ID, "lti_deployment_id": DEPLOYMENT_ID,
                "login_hint": who, "lti_message_hint": query.get("item", ""), "target_link_uri": f"{REFLECT}/lti/launch/",
            }  # fmt: skip
            return self._send(200, autosubmit(f"{REFLECT}/lti/login/", fields))
        if url.path == "/auth":
            token = jwt.encode(
                claims(query["login_hint"], query.get("lti_message_hint", ""), query["nonce"]),
                PEM, algorithm="RS256", headers={"kid": "lms-demo"},
            )  # fmt: skip
            return self._send(
                200, autosubmit(query["redirect_uri"], {"id_token": token, "state": query["state"]})
            )
        if url.path == "/jwks":
            return self._send(200, json.dumps({"keys": [PUBLIC_JWK]}), "application/json")
        if url.path == "/memberships":
            members = [
                {"user_id": sub, "name": name, "roles": [role], "status": "Active"}
                for sub, name, role in PEOPLE.values()
            ]
            return self._send(200, json.dumps({"id": url.path, "context": {"id": CONTEXT_ID}, "members": members}),
                              "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")  # fmt: skip
        return self._send(404, page("Not found", "<p>Not found.</p>"))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        form = self._form()
        if url.path == "/token":
            return self._send(
                200,
                json.dumps({"access_token": uuid.uuid4().hex, "token_type": "Bearer", "expires_in": 3600}),
                "application/json",
            )
        if url.path == "/deep-link-return":
            keys = jwt.PyJWKClient(f"{REFLECT}/.well-known/jwks.json")
            token = form["JWT"]
            message = jwt.decode(
                token, keys.get_signing_key_from_jwt(token).key, algorithms=["RS256"], audience=ISSUER
            )
            ITEMS.extend(message.get("https://purl.imsglobal.org/spec/lti-dl/claim/content_items", []))
            who = message.get("https://purl.imsglobal.org/spec/lti-dl/claim/data") or "alan"
            return self._send(
                200,
                page(
                    "Added",
                    f"<p>Added (signature checked with Reflect's key set). <a href='/?as={who}' target='_top'>Back to the course</a></p>",
                ),
            )
        if url.path.startswith("/lineitems/") and url.path.endswith("/scores"):
            score = json.loads(form)
            SCORES[(int(url.path.split("/")[2]), score["userId"])] = score
            print(f"lms-demo: score received {score}")
            return self._send(200, "{}", "application/json")
        return self._send(404, page("Not found", "<p>Not found.</p>"))

    def log_message(self, format, *args) -> None:  # noqa: A002
        print(f"lms-demo: {self.command} {self.path.split('?')[0]}")


def main() -> None:
    register()
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    print(f"lms-demo: the demo learning platform is on {ISSUER}/ (Reflect at {REFLECT}); Ctrl-C stops it")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()

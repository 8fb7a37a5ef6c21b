"""A fake learning platform for the LTI tests: its own RSA key, made here, and its key set served
by a real HTTP server on loopback, which Reflect (PyLTI1p3) fetches as it would a platform's."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

LTI = "https://purl.imsglobal.org/spec/lti/claim"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership"
INSTRUCTOR, LEARNER = f"{ROLE}#Instructor", f"{ROLE}#Learner"
TEACHING_ASSISTANT = f"{ROLE}/Instructor#TeachingAssistant"
CONTENT_DEVELOPER, ADMINISTRATOR = f"{ROLE}#ContentDeveloper", f"{ROLE}#Administrator"
INSTITUTION_ADMIN = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"


def rsa_key(kid: str):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwcrypto.jwk import JWK

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = json.loads(JWK.from_pem(pem).export_public())
    public.update(kid=kid, alg="RS256", use="sig")
    return pem, public


class FakePlatform:
    client_id = "reflect-client"
    deployment_id = "deployment-1"

    def __init__(self):
        self.pem, self.public_jwk = rsa_key("platform-key-1")
        self.requests: list[str] = []
        self.token_requests: list[dict] = []
        self.member_pages: list[list[dict]] = []  # the roster, page by page (NRPS)
        self.scores: list[tuple[str, dict]] = []  # (path, score) received (AGS)
        self.registrations: list[dict] = []  # tool configurations received (dynamic registration)
        self.openid_issuer = ""  # the issuer its OpenID configuration names (default: its own)
        self.failing = False
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status, payload, headers=()):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _html(self, html: str):
                body = html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                platform.requests.append(self.path)
                if self.path in ("/course", "/start-launch") or self.path.startswith("/auth?"):
                    return self._html(platform.browser_page(self.path))
                if self.path == "/jwks":
                    return self._send(200, {"keys": [platform.public_jwk]})
                if platform.failing:
                    return self._send(503, {"error": "down for maintenance"})
                if self.path == "/.well-known/openid-configuration":
                    assert self.headers["Authorization"] == "Bearer registration-token-1"
                    return self._send(200, {
                        "issuer": platform.openid_issuer or platform.issuer,
                        "authorization_endpoint": f"{platform.issuer}/auth",
                        "token_endpoint": f"{platform.issuer}/token",
                        "jwks_uri": f"{platform.issuer}/jwks",
                        "registration_endpoint": f"{platform.issuer}/register",
                        "https://purl.imsglobal.org/spec/lti-platform-configuration": {"product_family_code": "moodle"},
                    })  # fmt: skip
                if self.path.startswith("/memberships"):
                    assert self.headers["Authorization"] == "Bearer platform-token"
                    number = int(parse_qs(urlsplit(self.path).query).get("page", ["1"])[0])
                    headers = []
                    if number < len(platform.member_pages):
                        headers.append(
                            ("Link", f'<{platform.issuer}/memberships?page={number + 1}>; rel="next"')
                        )
                    members = platform.member_pages[number - 1] if platform.member_pages else []
                    return self._send(
                        200, {"id": "x", "context": {"id": "context-1"}, "members": members}, headers
                    )
                return self._send(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode()
                platform.requests.append(self.path)
                if platform.failing:
                    return self._send(503, {"error": "down for maintenance"})
                if self.path.startswith("/lineitems/"):
                    assert self.headers["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
                    platform.scores.append((self.path, json.loads(raw)))
                    return self._send(200, {})
                if self.path == "/register":
                    assert self.headers["Authorization"] == "Bearer registration-token-1"
                    platform.registrations.append(json.loads(raw))
                    tool = {"deployment_id": "deployment-dyn"}
                    return self._send(200, {
                        "client_id": "dynamic-client",
                        "https://purl.imsglobal.org/spec/lti-tool-configuration": tool,
                    })  # fmt: skip
                form = {key: values[0] for key, values in parse_qs(raw).items()}
                platform.token_requests.append(form)
                return self._send(
                    200, {"access_token": "platform-token", "token_type": "Bearer", "expires_in": 3600}
                )

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    # --- What a browser meets: a course page with Reflect in a frame, and the platform's side of
    # the OIDC flow (tests/browser/test_lti_launch.py) ---

    tool_login_url = ""
    browser_claims: dict = {}

    def browser_page(self, path: str) -> str:
        from html import escape

        def autosubmit(action: str, fields: dict) -> str:
            inputs = "".join(
                f'<input type="hidden" name="{escape(k)}" value="{escape(str(v))}">'
                for k, v in fields.items()
            )
            return (
                f'<form id="f" method="post" action="{escape(action)}">{inputs}</form>'
                "<script>document.getElementById('f').submit()</script>"
            )

        if path == "/course":
            return '<h1>Leadership 101</h1><iframe name="tool" src="/start-launch" width="1000" height="800"></iframe>'
        if path == "/start-launch":
            return autosubmit(self.tool_login_url, {
                "iss": self.issuer, "login_hint": "hint-1", "client_id": self.client_id,
                "lti_deployment_id": self.deployment_id, "target_link_uri": self.tool_login_url,
            })  # fmt: skip
        sent = {key: values[0] for key, values in parse_qs(urlsplit(path).query).items()}
        token = self.sign(self.claims(sent["nonce"], **self.browser_claims))
        return autosubmit(sent["redirect_uri"], {"id_token": token, "state": sent["state"]})

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def register(self, **options) -> dict:
        from io import StringIO

        out = StringIO()
        call_command(
            "lti_register", "--json", "--name", "Fake LMS", "--issuer", self.issuer,
            "--client-id", self.client_id, "--deployment-id", self.deployment_id,
            "--auth-url", f"{self.issuer}/auth", "--token-url", f"{self.issuer}/token",
            "--keyset-url", f"{self.issuer}/jwks", stdout=out, **options,
        )  # fmt: skip
        return json.loads(out.getvalue())

    def claims(self, nonce: str, *, roles=(LEARNER,), sub="lms-user-1", **extra) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Ada Lovelace",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "email": "ada@example.org",
            f"{LTI}/deployment_id": self.deployment_id,
            f"{LTI}/message_type": "LtiResourceLinkRequest",
            f"{LTI}/version": "1.3.0",
            f"{LTI}/roles": list(roles),
            f"{LTI}/resource_link": {"id": "resource-1", "title": "Reflect"},
            f"{LTI}/target_link_uri": "http://testserver/lti/launch/",
            f"{LTI}/context": {"id": "context-1", "label": "LEAD101", "title": "Leadership 101"},
            f"{LTI}/launch_presentation": {
                "document_target": "iframe",
                "return_url": "https://lms.example.edu/course/1",
            },
        }
        claims.update(extra)
        return {key: value for key, value in claims.items() if value is not None}

    def sign(self, claims: dict, *, pem: bytes | None = None, kid: str = "platform-key-1") -> str:
        import jwt

        return jwt.encode(claims, pem or self.pem, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def platform():
    fake = FakePlatform()
    yield fake
    fake.close()


@pytest.fixture
def registered(platform, db):
    urls = platform.register()
    platform.urls = urls
    return platform


def start_login(client, platform, **params):
    """Login initiation as the platform sends it (the cookie check already passed); the state and
    nonce Reflect asks the platform to sign back."""
    query = {
        "iss": platform.issuer,
        "login_hint": "hint-1",
        "target_link_uri": "http://testserver/lti/launch/",
        "lti_message_hint": "message-hint-1",
        "client_id": platform.client_id,
        "lti_deployment_id": platform.deployment_id,
        "reflect_checked": "1",
        **params,
    }
    response = client.get(urlsplit(platform.urls["login_url"]).path, query)
    assert response.status_code == 302, response.content
    sent = parse_qs(urlsplit(response["Location"]).query)
    return sent["state"][0], sent["nonce"][0]


def launch(client, platform, *, state_nonce=None, token=None, **claim_options):
    state, nonce = state_nonce or start_login(client, platform)
    token = token or platform.sign(platform.claims(nonce, **claim_options))
    return client.post("/lti/launch/", {"id_token": token, "state": state})


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"

"""Single sign-on with OpenID Connect, end to end and offline: each test starts a small OpenID
Connect provider on loopback (``LocalOIDCProvider``: discovery, a key set from an RSA key made
here, authorize, token with a signed id_token, userinfo) and signs in through Django's test client
from the "Sign in with <Organisation>" button, as a browser would."""

import base64
import hashlib
import json
import re
import secrets
import threading
import time
from datetime import timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import roles, sso_settings
from accounts.models import Suspension, User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

CLIENT_ID = "reflect-test"
CLIENT_SECRET = "s3cret-for-the-test"


class LocalOIDCProvider:
    """An OpenID Connect provider on 127.0.0.1, in a thread, for one test. ``claims`` is who signs
    in next; ``id_token_changes`` alters the next id_token (to test what Reflect refuses)."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.claims: dict = {}
        self.id_token_changes: dict = {}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def authorize(self, query: dict) -> tuple[int, dict]:
        """The member has signed in at the provider: back to Reflect with a code (or an error)."""
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return HTTPStatus.BAD_REQUEST, {}
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "challenge": query.get("code_challenge"),
            "nonce": query.get("nonce"),
            "claims": dict(self.claims),
        }
        back = {"code": code, "state": query.get("state", "")}
        return HTTPStatus.FOUND, {"Location": f"{query['redirect_uri']}?{urlencode(back)}"}

    def token(self, form: dict) -> tuple[int, dict]:
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return HTTPStatus.BAD_REQUEST, {"error": "invalid_grant"}
        if grant["challenge"]:  # PKCE (S256): the verifier must hash to the challenge
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                return HTTPStatus.BAD_REQUEST, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "jti": secrets.token_hex(8),
            **({"nonce": grant["nonce"]} if grant["nonce"] else {}),
            **grant["claims"],
            **self.id_token_changes,
        }
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = grant["claims"]
        return HTTPStatus.OK, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status, body=None, headers=None):
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                payload = json.dumps(body).encode() if body is not None else b""
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                path, _, query = self.path.partition("?")
                provider.requests.append(path)
                if path == "/.well-known/openid-configuration":
                    return self._send(HTTPStatus.OK, provider.discovery())
                if path == "/jwks":
                    return self._send(HTTPStatus.OK, provider.jwks())
                if path == "/authorize":
                    status, headers = provider.authorize({k: v[0] for k, v in parse_qs(query).items()})
                    return self._send(status, None, headers)
                if path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self._send(HTTPStatus.UNAUTHORIZED, {"error": "invalid_token"})
                    return self._send(HTTPStatus.OK, provider.tokens[token])
                return self._send(HTTPStatus.NOT_FOUND, {})

            def do_POST(self):
                provider.requests.append(self.path)
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    return self._send(*provider.token(form))
                return self._send(HTTPStatus.NOT_FOUND, {})

        return Handler


def configure(settings, provider: LocalOIDCProvider, **extra) -> None:
    """Reflect's settings as SSO_OIDC_PROVIDERS would give them, for the local provider."""
    entry = {
        "id": "contoso",
        "name": "Contoso",
        "server_url": provider.url,
        "client_id": CLIENT_ID,
        "secret": CLIENT_SECRET,
        "domains": ["contoso.example"],
        **extra,
    }
    parsed = sso_settings.parse(json.dumps([entry]))
    assert parsed.errors == []
    settings.SOCIALACCOUNT_PROVIDERS = parsed.socialaccount_providers()


@pytest.fixture
def provider(settings):
    with LocalOIDCProvider() as provider:
        configure(settings, provider)
        provider.claims = {
            "sub": "contoso-000123",
            "email": "amara.osei@contoso.example",
            "email_verified": True,
            "name": "Amara Osei",
            "preferred_username": "amara.osei@contoso.example",
        }
        yield provider


def sign_in_button(client, page="/accounts/login/", name="Contoso") -> str:
    """The address the "Sign in with <name>" button posts to, read from the page."""
    html = client.get(page).content.decode()
    match = re.search(
        r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrfmiddlewaretoken"[^>]*>\s*'
        rf'<button type="submit" class="button button--secondary">Sign in with {name}</button>',
        html,
    )
    assert match, f"no “Sign in with {name}” button on {page}"
    return match.group(1).replace("&amp;", "&")


def go_to_provider(client, button: str) -> str:
    """Press the button: Reflect sends the browser to the provider's authorize endpoint."""
    response = client.post(button)
    assert response.status_code == HTTPStatus.FOUND
    return response["Location"]


def at_provider(authorize_url: str) -> str:
    """The browser at the provider: it answers with a redirect back to Reflect's callback."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == HTTPStatus.FOUND
    back = urlsplit(response.headers["Location"])
    assert back.netloc == "testserver"
    return f"{back.path}?{back.query}"


def sign_in(client, page="/accounts/login/", name="Contoso"):
    callback = at_provider(go_to_provider(client, sign_in_button(client, page, name)))
    return client.get(callback)


def signed_in_member(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_new_member_signs_in_with_their_organisation(client, provider):
    authorize = go_to_provider(client, sign_in_button(client))
    assert authorize.startswith(f"{provider.url}/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}

    response = client.get(at_provider(authorize))

    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/"
    member = signed_in_member(client)
    assert member.email == "amara.osei@contoso.example"
    assert member.display_name == "Amara Osei"
    assert member.handle == "amara_osei"
    assert member.role_names == {roles.LEARNER}
    assert not member.has_usable_password()
    assert EmailAddress.objects.get(user=member).verified  # the provider said so
    account = SocialAccount.objects.get(user=member)
    assert (account.provider, account.uid) == ("contoso", "contoso-000123")
    assert "/token" in provider.requests and "/userinfo" in provider.requests


def test_a_provider_that_gives_no_address_asks_for_one(client, provider, django_capture_on_commit_callbacks):
    del provider.claims["email"], provider.claims["email_verified"]
    response = sign_in(client)
    assert response["Location"] == "/accounts/3rdparty/signup/"
    page = client.get("/accounts/3rdparty/signup/")
    assert page.status_code == HTTPStatus.OK and "amara_osei" in page.content.decode()  # the handle offered
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/3rdparty/signup/", {"email": "amara@example.com", "username": "amara_osei"})
    member = User.objects.get()
    assert (member.email, member.handle, member.display_name) == (
        "amara@example.com",
        "amara_osei",
        "Amara Osei",
    )
    assert member.role_names == {roles.LEARNER}
    assert [message.to for message in mail.outbox] == [["amara@example.com"]]  # confirms it as any sign-up


def test_signing_in_again_opens_the_same_account(client, provider):
    sign_in(client)
    first = signed_in_member(client)
    client.logout()
    provider.claims["name"] = "Amara O."  # a later change at the provider keeps the account
    response = sign_in(client)
    assert response.status_code == HTTPStatus.FOUND
    assert signed_in_member(client) == first
    assert User.objects.count() == 1


def test_where_the_member_was_going_is_kept(client, provider):
    course = "/courses/"
    button = sign_in_button(client, f"/accounts/login/?next={course}")
    assert "next=%2Fcourses%2F" in button
    response = client.get(at_provider(go_to_provider(client, button)))
    assert response["Location"] == course


def test_the_button_is_on_the_sign_up_page_too(client, provider):
    assert sign_in_button(client, "/accounts/signup/")


def test_no_button_without_an_organisation(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()
    assert "Sign in with" not in client.get("/accounts/signup/").content.decode()


def test_a_refused_state_is_a_clear_page(client, provider):
    callback = at_provider(go_to_provider(client, sign_in_button(client)))
    tampered = re.sub(r"state=[^&]+", "state=forged", callback)
    response = client.get(tampered)
    assert response.status_code < 500
    assert "Sign-in didn’t work" in response.content.decode()
    assert signed_in_member(client) is None
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"aud": "another-client"}, "a token for another application"),
        ({"iss": "http://127.0.0.1:1/"}, "a token from another issuer"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "an expired token"),
    ],
)
def test_a_token_that_fails_its_checks_is_a_clear_page(client, provider, change, why):
    provider.id_token_changes = change
    response = sign_in(client)
    assert response.status_code < 500, why
    assert "Sign-in didn’t work" in response.content.decode(), why
    assert signed_in_member(client) is None
    assert User.objects.count() == 0


def test_a_code_used_twice_signs_no_one_in(client, provider):
    callback = at_provider(go_to_provider(client, sign_in_button(client)))
    client.get(callback)
    client.logout()
    response = client.get(callback)  # replayed: the state was used up, the code too
    assert response.status_code < 500
    assert "Sign-in didn’t work" in response.content.decode()
    assert signed_in_member(client) is None


def test_a_provider_that_is_down_is_a_clear_page(client, provider):
    callback = at_provider(go_to_provider(client, sign_in_button(client)))
    provider.stop()
    response = client.get(callback)
    assert response.status_code == HTTPStatus.BAD_GATEWAY
    assert "sign-in could not be reached just now" in response.content.decode()
    assert signed_in_member(client) is None


def test_a_provider_that_is_down_before_the_button_is_a_clear_page(client, provider):
    button = sign_in_button(client)
    provider.stop()
    response = client.post(button)
    assert response.status_code == HTTPStatus.BAD_GATEWAY
    assert "sign-in could not be reached just now" in response.content.decode()


def test_cancelling_at_the_provider_signs_no_one_in(client, provider):
    authorize = go_to_provider(client, sign_in_button(client))
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    response = client.get(
        f"/accounts/oidc/contoso/login/callback/?error=access_denied&state={state}", follow=True
    )
    assert "Sign-in cancelled" in response.content.decode()
    assert signed_in_member(client) is None


# --- An address that already has an account: never merged silently ---


def test_an_existing_address_is_not_merged_by_default(client, provider, django_capture_on_commit_callbacks):
    amara = make_user(email="amara.osei@contoso.example", handle="amara")
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client)
    assert signed_in_member(client) is None
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 1 and amara.has_usable_password()
    # allauth's answer: as a sign-up with a taken address, the owner is told by email (no one
    # learns here whether the address has an account) and can connect the identity once signed in.
    assert response["Location"] == "/accounts/confirm-email/"  # "we have sent you an email"
    assert [message.to for message in mail.outbox] == [["amara.osei@contoso.example"]]


def test_linking_by_email_needs_the_organisation_to_allow_it(client, settings, provider):
    configure(settings, provider, link_by_email=True)
    amara = make_user(email="amara.osei@contoso.example", handle="amara")
    sign_in(client)
    assert signed_in_member(client) == amara
    assert SocialAccount.objects.get(user=amara).uid == "contoso-000123"  # connected from now on


def test_linking_by_email_needs_an_address_the_provider_verified(client, settings, provider):
    configure(settings, provider, link_by_email=True)
    provider.claims["email_verified"] = False
    make_user(email="amara.osei@contoso.example", handle="amara")
    sign_in(client)
    assert signed_in_member(client) is None
    assert not SocialAccount.objects.exists()


# --- Standing: suspended members stay suspended, closed accounts stay closed ---


def test_a_suspended_member_stays_suspended_after_signing_in_with_sso(client, settings, provider):
    configure(settings, provider, link_by_email=True)
    amara = make_user(email="amara.osei@contoso.example", handle="amara")
    moderator = make_user(role=roles.MODERATOR)
    Suspension.objects.create(
        user=amara, reason="spam", ends_at=timezone.now() + timedelta(days=2), created_by=moderator
    )
    sign_in(client)
    member = signed_in_member(client)
    assert member == amara and member.is_suspended
    assert "suspended" in client.get("/").content.decode().lower()


def test_a_closed_account_is_not_opened_by_its_organisation(client, provider):
    sign_in(client)
    member = signed_in_member(client)
    client.logout()
    User.objects.filter(pk=member.pk).update(is_active=False)
    response = sign_in(client)
    assert response["Location"] == "/accounts/inactive/"
    assert signed_in_member(client) is None


def test_a_deleted_account_lets_its_member_join_again_through_their_organisation(client, provider):
    from accounts.services import delete_account

    sign_in(client)
    member = signed_in_member(client)
    client.logout()
    delete_account(user=member, remove_posts=False)
    response = sign_in(client)
    assert response.status_code == HTTPStatus.FOUND and response["Location"] != "/accounts/inactive/"
    again = signed_in_member(client)
    assert again is not None and again.pk != member.pk


# --- The organisation's own sign-in, where it requires it ---


def test_password_sign_in_is_refused_for_an_organisation_that_requires_its_own(client, settings, provider):
    configure(settings, provider, enforce=True)
    make_user(email="amara.osei@contoso.example", handle="amara")
    response = client.post("/accounts/login/", {"login": "Amara.Osei@contoso.example", "password": PASSWORD})
    assert response.status_code == HTTPStatus.OK
    assert (
        "Contoso addresses sign in through Contoso: use “Sign in with Contoso”." in response.content.decode()
    )
    assert signed_in_member(client) is None
    # Other addresses still sign in with their password.
    other = make_user(email="someone@example.com", handle="someone")
    client.post("/accounts/login/", {"login": other.email, "password": PASSWORD})
    assert signed_in_member(client) == other


def test_a_member_with_a_password_moves_to_their_organisations_sign_in(client, settings, provider):
    """Once an organisation requires its sign-in, its members' password no longer works: their
    first sign-in through it opens the account they already have (their address was verified)."""
    configure(settings, provider, enforce=True)
    provider.claims["email_verified"] = False  # Entra ID sends none: the enforcing domain vouches
    amara = make_user(email="amara.osei@contoso.example", handle="amara")
    sign_in(client)
    assert signed_in_member(client) == amara
    assert SocialAccount.objects.get(user=amara).provider == "contoso"
    assert User.objects.count() == 1


def test_sign_up_is_pointed_to_the_organisation(client, settings, provider):
    configure(settings, provider, enforce=True)
    response = client.post(
        "/accounts/signup/",
        {"display_name": "Amara", "email": "amara@contoso.example", "username": "amara",
         "password1": "a long passphrase 42", "password2": "a long passphrase 42"},
    )  # fmt: skip
    assert "Contoso addresses sign in through Contoso" in response.content.decode()
    assert not User.objects.exists()


def test_the_organisation_itself_still_signs_in_when_it_requires_its_own(client, settings, provider):
    configure(settings, provider, enforce=True)
    sign_in(client)
    assert signed_in_member(client).email == "amara.osei@contoso.example"


def test_another_organisation_cannot_claim_an_enforced_address(client, settings, provider):
    parsed = sso_settings.parse(
        json.dumps(
            [
                {"id": "contoso", "name": "Contoso", "server_url": "https://login.contoso.example",
                 "client_id": "x", "domains": ["contoso.example"], "enforce": True},
                {"id": "fabrikam", "name": "Fabrikam", "server_url": provider.url,
                 "client_id": CLIENT_ID, "secret": CLIENT_SECRET},
            ]
        )
    )  # fmt: skip
    settings.SOCIALACCOUNT_PROVIDERS = parsed.socialaccount_providers()
    response = sign_in(client, name="Fabrikam")  # Fabrikam's provider asserts a Contoso address
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "use “Sign in with Contoso”" in response.content.decode()
    assert signed_in_member(client) is None and not User.objects.exists()


# --- Connecting an organisation to an account one already has ---


def test_the_account_settings_lead_to_the_organisation_sign_in_only_where_there_is_one(
    client, settings, provider
):
    client.force_login(make_user())
    link = f'href="{reverse("socialaccount_connections")}"'
    assert link in client.get(reverse("account_email")).text
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert link not in client.get(reverse("account_email")).text


def test_a_signed_in_member_connects_their_organisation(client, provider):
    amara = make_user(email="amara@example.com", handle="amara")
    client.force_login(amara)
    page = client.get("/accounts/3rdparty/")
    assert page.status_code == HTTPStatus.OK
    button = re.search(r'<form method="post" action="([^"]*process=connect[^"]*)">', page.content.decode())
    assert button, "no way to connect an organisation on /accounts/3rdparty/"
    response = client.get(at_provider(go_to_provider(client, button.group(1).replace("&amp;", "&"))))
    assert response.status_code == HTTPStatus.FOUND
    assert SocialAccount.objects.get(user=amara).uid == "contoso-000123"
    client.logout()
    sign_in(client)  # from now on the organisation's sign-in opens Amara's account
    assert signed_in_member(client) == amara


# --- The pages are valid HTML ---


def test_the_sign_in_pages_with_buttons_are_valid_html(request, client, provider):
    from tests.html_validation import nu_errors, require_java

    require_java(request.config)
    pages = {path: client.get(path).content.decode() for path in ("/accounts/login/", "/accounts/signup/")}
    callback = at_provider(go_to_provider(client, sign_in_button(client)))
    pages["sign-in error"] = client.get(re.sub(r"state=[^&]+", "state=forged", callback)).content.decode()
    del provider.claims["email"]
    sign_in(client)
    pages["sign-up asking for an address"] = client.get("/accounts/3rdparty/signup/").content.decode()
    client.force_login(make_user())
    pages["connections"] = client.get("/accounts/3rdparty/").content.decode()
    errors = {name: found for name, found in nu_errors(pages).items() if found}
    assert errors == {}

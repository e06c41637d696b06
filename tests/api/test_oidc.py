"""Company sign-in (OIDC) at the API: the authorization-code flow against a real
provider on localhost (oidc-provider-mock: the test picks the subject and the
claims), and ID tokens that must be refused, from a fake provider whose keys the
test holds (a real provider will not sign a token with a wrong audience)."""

from __future__ import annotations

import base64
import json
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey

from aimee.api.app import create_app
from aimee.config import ConfigError, Settings, load_settings
from aimee.services import oidc, users
from aimee.store.db import create_db_engine, session_factory, transaction
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW

with warnings.catch_warnings():  # the mock provider imports Authlib's old jose module
    import authlib.deprecate  # its own "always" filter first, then ours over it

    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    import oidc_provider_mock

pytestmark = [
    pytest.mark.filterwarnings("ignore:authlib.jose module is deprecated"),
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
]
DASHBOARD = "https://aimee.example.jp"
FAKE_ISSUER = "https://idp.example.jp/realms/ops"
CLIENT_ID = "aimee-dashboard"


@pytest.fixture(scope="module")
def idp() -> Iterator[str]:
    """A real OpenID provider on localhost for this module's tests (stopped after)."""
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(autouse=True)
def fresh_providers() -> Iterator[None]:
    """Each test's app fetches its provider's metadata and keys itself."""
    oidc.provider.cache_clear()
    yield
    oidc.provider.cache_clear()


def api(database_url: str, folder: Path, **oidc_settings: Any) -> TestClient:
    """The API over HTTP (no start-up warm-up: sign-in needs none)."""
    settings = Settings(
        data_dir=folder / "data",
        database_url=database_url,
        now=DEMO_NOW,
        dashboard_url=DASHBOARD,
        **oidc_settings,
    )
    app: FastAPI = create_app(settings)
    return TestClient(app)


def a_person(idp: str, **claims: Any) -> str:
    """A subject at the provider with ``claims``; returns the subject."""
    subject = f"sub-{uuid.uuid4().hex[:10]}"
    answer = httpx.put(f"{idp}/users/{quote(subject)}", json=claims)
    assert answer.status_code == 204
    return subject


def company_sign_in(client: TestClient, idp: str, subject: str) -> httpx.Response:
    """What the dashboard does: begin, let the provider authorize ``subject``, hand the
    code to the API."""
    start = client.get("/api/v1/auth/oidc/start")
    assert start.status_code == 200, start.text
    flow = start.json()
    assert flow["authorization_url"].startswith(f"{idp}/oauth2/authorize?")
    query = parse_qs(urlsplit(flow["authorization_url"]).query)
    assert query["redirect_uri"] == [f"{DASHBOARD}/signin/oidc/callback"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"] == [oidc.code_challenge(flow["code_verifier"])]
    assert query["client_id"] == [CLIENT_ID] and "openid" in query["scope"][0].split()
    back = httpx.post(flow["authorization_url"], data={"sub": subject})
    assert back.status_code == 302
    returned = parse_qs(urlsplit(back.headers["location"]).query)
    assert returned["state"] == [flow["state"]]
    body = {
        "code": returned["code"][0],
        "code_verifier": flow["code_verifier"],
        "nonce": flow["nonce"],
    }
    return client.post("/api/v1/auth/login", json={"oidc": body})


@pytest.fixture
def with_idp(demo_sqlite_url: str, tmp_path: Path, idp: str) -> Callable[..., TestClient]:
    def make(**extra: Any) -> TestClient:
        return api(
            demo_sqlite_url,
            tmp_path,
            oidc_issuer=idp,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret="s3cret",
            **extra,
        )

    return make


def test_off_without_an_issuer(demo_sqlite_url: str, tmp_path: Path) -> None:
    client = api(demo_sqlite_url, tmp_path)
    assert client.get("/api/v1/auth/methods").json() == {"password": True, "oidc": False}
    start = client.get("/api/v1/auth/oidc/start")
    assert start.status_code == 404
    assert start.json()["error"] == "会社のアカウントでのログインは設定されていません。"
    body = {"code": "c", "code_verifier": "v" * 43, "nonce": "n"}
    assert client.post("/api/v1/auth/login", json={"oidc": body}).status_code == 404


def test_a_first_sign_in_creates_the_user_with_the_mapped_role(
    with_idp: Callable[..., TestClient], idp: str
) -> None:
    client = with_idp(oidc_roles="aimee-admin:admin,aimee-approver:approver,ops:viewer")
    assert client.get("/api/v1/auth/methods").json()["oidc"] is True
    name = f"yamada-{uuid.uuid4().hex[:6]}@example.jp"
    subject = a_person(idp, preferred_username=name, roles=["ops", "aimee-approver", "x"])
    answer = company_sign_in(client, idp, subject)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["user_name"] == name
    assert (body["role"], body["role_label"]) == ("approver", "承認者")  # the highest found
    assert body["token"].startswith("aimee_ses_") and body["expires_in_s"] == 12 * 3600
    me = client.get("/api/v1/me", headers=auth(body["token"]))
    assert me.status_code == 200
    assert (me.json()["user_name"], me.json()["role"]) == (name, "approver")


def test_the_role_follows_the_provider_at_every_sign_in(
    with_idp: Callable[..., TestClient], idp: str
) -> None:
    client = with_idp()
    name = f"sato-{uuid.uuid4().hex[:6]}"
    subject = a_person(idp, preferred_username=name, roles=["aimee-viewer"])
    first = company_sign_in(client, idp, subject).json()
    assert first["role"] == "viewer"
    a_person_again = httpx.put(
        f"{idp}/users/{subject}", json={"preferred_username": name, "roles": ["aimee-admin"]}
    )
    assert a_person_again.status_code == 204
    assert company_sign_in(client, idp, subject).json()["role"] == "admin"
    # the earlier session is the same user: it has the new role too
    assert client.get("/api/v1/me", headers=auth(first["token"])).json()["role"] == "admin"
    httpx.put(f"{idp}/users/{subject}", json={"preferred_username": name, "roles": []})
    refused = company_sign_in(client, idp, subject)
    assert refused.status_code == 403
    assert refused.json()["error"] == oidc.NO_ROLE


def test_a_default_role_lets_unmapped_users_in(
    with_idp: Callable[..., TestClient], idp: str
) -> None:
    client = with_idp(oidc_default_role="viewer")
    subject = a_person(idp, email=f"kato-{uuid.uuid4().hex[:6]}@example.jp")  # no roles
    answer = company_sign_in(client, idp, subject)
    assert answer.status_code == 200 and answer.json()["role"] == "viewer"
    assert answer.json()["user_name"].startswith("kato-")  # email when no preferred_username


def test_a_user_revoked_in_aimee_is_refused(
    with_idp: Callable[..., TestClient], idp: str, demo_sqlite_url: str
) -> None:
    client = with_idp()
    name = f"suzuki-{uuid.uuid4().hex[:6]}"
    subject = a_person(idp, preferred_username=name, roles=["aimee-approver"])
    assert company_sign_in(client, idp, subject).status_code == 200
    engine = create_db_engine(demo_sqlite_url)
    with transaction(session_factory(engine)) as session:
        users.revoke(session, name, now=DEMO_NOW)
    engine.dispose()
    refused = company_sign_in(client, idp, subject)
    assert refused.status_code == 403 and refused.json()["error"] == oidc.REVOKED


def test_a_code_works_once(with_idp: Callable[..., TestClient], idp: str) -> None:
    client = with_idp()
    subject = a_person(
        idp, preferred_username=f"ito-{uuid.uuid4().hex[:6]}", roles=["aimee-viewer"]
    )
    flow = client.get("/api/v1/auth/oidc/start").json()
    back = httpx.post(flow["authorization_url"], data={"sub": subject})
    code = parse_qs(urlsplit(back.headers["location"]).query)["code"][0]
    body = {"code": code, "code_verifier": flow["code_verifier"], "nonce": flow["nonce"]}
    assert client.post("/api/v1/auth/login", json={"oidc": body}).status_code == 200
    again = client.post("/api/v1/auth/login", json={"oidc": body})
    assert again.status_code == 401 and again.json()["error"] == oidc.NOT_VERIFIED


def test_an_unreachable_provider_is_a_503_in_japanese(demo_sqlite_url: str, tmp_path: Path) -> None:
    client = api(
        demo_sqlite_url, tmp_path, oidc_issuer="http://127.0.0.1:9", oidc_client_id=CLIENT_ID
    )
    answer = client.get("/api/v1/auth/oidc/start")
    assert answer.status_code == 503 and answer.json()["error"] == oidc.UNREACHABLE


# --- tokens that must be refused: a fake provider whose keys the test holds ---------


class FakeProvider:
    """Discovery, keys and a token endpoint answering with whatever token is next."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
        self.published = [self.key]
        self.id_token = ""
        self.token_requests: list[httpx.Request] = []
        self.key_fetches = 0
        self.metadata: dict[str, Any] = {}

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/.well-known/openid-configuration"):
            return httpx.Response(
                200,
                json={
                    "issuer": FAKE_ISSUER,
                    "authorization_endpoint": f"{FAKE_ISSUER}/auth",
                    "token_endpoint": f"{FAKE_ISSUER}/token",
                    "jwks_uri": f"{FAKE_ISSUER}/certs",
                }
                | self.metadata,
            )
        if path.endswith("/certs"):
            self.key_fetches += 1
            return httpx.Response(200, json={"keys": [k.as_dict() for k in self.published]})
        if path.endswith("/token"):
            self.token_requests.append(request)
            return httpx.Response(200, json={"id_token": self.id_token, "token_type": "Bearer"})
        return httpx.Response(404)


@pytest.fixture
def fake(
    demo_sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeProvider, TestClient]]:
    provider = FakeProvider()
    monkeypatch.setattr(oidc, "TRANSPORT", httpx.MockTransport(provider.handle))
    oidc.provider.cache_clear()
    client = api(
        demo_sqlite_url,
        tmp_path,
        oidc_issuer=FAKE_ISSUER,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret="p@ss word",
    )
    yield provider, client


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())  # a real token's lifetime runs on the real clock
    base = {
        "iss": FAKE_ISSUER,
        "aud": CLIENT_ID,
        "sub": "s-1",
        "iat": now,
        "exp": now + 300,
        "nonce": "nonce-1",
        "preferred_username": "fake-user",
        "roles": ["aimee-viewer"],
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def sign(payload: dict[str, Any], key: RSAKey, alg: str = "RS256") -> str:
    return jwt.encode({"alg": alg, "kid": key.kid}, payload, key, algorithms=[alg])


def log_in(client: TestClient, nonce: str = "nonce-1") -> httpx.Response:
    body = {"code": "the-code", "code_verifier": "v" * 43, "nonce": nonce}
    return client.post("/api/v1/auth/login", json={"oidc": body})


def test_a_good_token_from_the_fake_provider_signs_in(
    fake: tuple[FakeProvider, TestClient],
) -> None:
    provider, client = fake
    provider.id_token = sign(claims(), provider.key)
    answer = log_in(client)
    assert answer.status_code == 200, answer.text
    assert answer.json()["user_name"] == "fake-user"
    sent = provider.token_requests[-1]
    assert sent.headers["authorization"].startswith("Basic ")  # client_secret_basic
    form = parse_qs(sent.content.decode())
    assert form["code_verifier"] == ["v" * 43] and form["code"] == ["the-code"]
    assert form["redirect_uri"] == [f"{DASHBOARD}/signin/oidc/callback"]


def test_the_client_authenticates_as_the_provider_supports(
    fake: tuple[FakeProvider, TestClient], demo_sqlite_url: str, tmp_path: Path
) -> None:
    provider, client = fake
    provider.metadata = {"token_endpoint_auth_methods_supported": ["client_secret_post"]}
    provider.id_token = sign(claims(), provider.key)
    assert log_in(client).status_code == 200
    form = parse_qs(provider.token_requests[-1].content.decode())
    assert form["client_id"] == [CLIENT_ID] and form["client_secret"] == ["p@ss word"]
    assert "authorization" not in provider.token_requests[-1].headers

    oidc.provider.cache_clear()
    public = api(demo_sqlite_url, tmp_path, oidc_issuer=FAKE_ISSUER, oidc_client_id=CLIENT_ID)
    assert log_in(public).status_code == 200  # no secret: PKCE alone
    form = parse_qs(provider.token_requests[-1].content.decode())
    assert form["client_id"] == [CLIENT_ID] and "client_secret" not in form
    assert "authorization" not in provider.token_requests[-1].headers


def test_a_provider_naming_another_issuer_is_not_trusted(
    fake: tuple[FakeProvider, TestClient],
) -> None:
    provider, client = fake
    provider.metadata = {"issuer": "https://idp.example.jp/realms/other"}
    answer = client.get("/api/v1/auth/oidc/start")
    assert answer.status_code == 503 and answer.json()["error"] == oidc.UNREACHABLE


def _unsigned(payload: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part(payload)}."


@pytest.mark.parametrize(
    "case",
    [
        "wrong audience",
        "wrong issuer",
        "expired",
        "bad signature",
        "unsigned",
        "wrong nonce",
        "another client's azp",
        "no subject",
    ],
)
def test_a_token_failing_a_check_is_refused_401_in_japanese(
    fake: tuple[FakeProvider, TestClient], case: str
) -> None:
    provider, client = fake
    other = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)  # same kid
    token = {
        "wrong audience": lambda: sign(claims(aud="another-app"), provider.key),
        "wrong issuer": lambda: sign(claims(iss="https://evil.example.jp"), provider.key),
        "expired": lambda: sign(claims(exp=int(time.time()) - 120), provider.key),
        "bad signature": lambda: sign(claims(), other),
        "unsigned": lambda: _unsigned(claims()),
        "wrong nonce": lambda: sign(claims(nonce="someone-elses"), provider.key),
        "another client's azp": lambda: sign(claims(aud=[CLIENT_ID, "x"], azp="x"), provider.key),
        "no subject": lambda: sign(claims(sub=None), provider.key),
    }[case]()
    provider.id_token = token
    answer = log_in(client)
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"] == oidc.NOT_VERIFIED


def test_a_key_rotated_in_is_fetched_again(
    fake: tuple[FakeProvider, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    provider, client = fake
    provider.id_token = sign(claims(), provider.key)
    assert log_in(client).status_code == 200  # keys fetched and kept
    assert provider.key_fetches == 1
    new = RSAKey.generate_key(2048, parameters={"kid": "k2"}, private=True)
    provider.published = [provider.key, new]
    provider.id_token = sign(claims(), new)
    # within a minute of the last fetch an unknown key id fetches nothing (a flood of
    # made-up key ids must not turn into requests to the provider)
    assert log_in(client).status_code == 401 and provider.key_fetches == 1
    monkeypatch.setattr(oidc, "KEYS_REFETCH_S", 0.0)  # the minute has passed
    assert log_in(client).status_code == 200 and provider.key_fetches == 2


# --- the pieces ----------------------------------------------------------------------


def config(**changes: Any) -> oidc.OidcConfig:
    base: dict[str, Any] = {
        "issuer": FAKE_ISSUER,
        "client_id": CLIENT_ID,
        "client_secret": None,
        "scopes": "openid",
        "role_claim": "roles",
        "roles": (("aimee-viewer", "viewer"), ("aimee-admin", "admin"), ("g-1", "approver")),
        "default_role": None,
        "redirect_uri": f"{DASHBOARD}/signin/oidc/callback",
    }
    return oidc.OidcConfig(**(base | changes))


@pytest.mark.parametrize(
    ("claim_name", "token_claims", "role"),
    [
        ("roles", {"roles": ["aimee-viewer", "aimee-admin"]}, "admin"),
        ("roles", {"roles": "g-1"}, "approver"),  # one value as a string
        ("roles", {"roles": ["other"]}, None),
        ("roles", {}, None),
        ("realm_access.roles", {"realm_access": {"roles": ["aimee-admin"]}}, "admin"),  # Keycloak
        ("groups", {"groups": ["g-1", 7]}, "approver"),  # Entra group ids
        ("https://x.example/roles", {"https://x.example/roles": ["aimee-viewer"]}, "viewer"),
    ],
)
def test_the_role_claim_is_mapped(
    claim_name: str, token_claims: dict[str, Any], role: str | None
) -> None:
    assert oidc.role_for(token_claims, config(role_claim=claim_name)) == role


def test_the_lifetime_is_checked_at_the_time_given() -> None:
    issued = datetime(2026, 1, 5, 9, 0)  # naive UTC, as clock.utc_now() gives it
    stamp = int(issued.replace(tzinfo=UTC).timestamp())
    token = claims(iat=stamp, exp=stamp + 300)

    def problem(at: datetime) -> str | None:
        return oidc._claims_problem(token, config(), nonce="nonce-1", now=at)

    assert problem(issued) is None
    assert problem(issued + timedelta(seconds=359)) is None  # a minute of clock skew
    assert problem(issued + timedelta(seconds=360)) == "expired"
    assert problem(issued - timedelta(seconds=61)) == "issued in the future"


def test_the_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMEE_OIDC_ISSUER", "https://login.example.jp/tenant/v2.0")
    with pytest.raises(ConfigError, match="AIMEE_OIDC_CLIENT_ID is required"):
        load_settings()
    monkeypatch.setenv("AIMEE_OIDC_CLIENT_ID", "abc")
    monkeypatch.setenv("AIMEE_OIDC_ROLES", "grp:admin, ops:viewer")
    monkeypatch.setenv("AIMEE_OIDC_SCOPES", "profile,email")
    settings = load_settings()
    assert settings.oidc_roles == {"grp": "admin", "ops": "viewer"}
    assert settings.oidc_scopes == "openid profile email"
    assert settings.oidc_default_role is None
    monkeypatch.setenv("AIMEE_OIDC_ROLES", "grp:root")
    with pytest.raises(ConfigError, match="AIMEE_OIDC_ROLES"):
        load_settings()
    monkeypatch.setenv("AIMEE_OIDC_ROLES", "")
    monkeypatch.setenv("AIMEE_OIDC_ISSUER", "http://login.example.jp/")
    with pytest.raises(ConfigError, match="AIMEE_OIDC_ISSUER"):
        load_settings()


def test_company_sign_in_attempts_are_limited_per_client_address(
    fake: tuple[FakeProvider, TestClient], demo_sqlite_url: str, tmp_path: Path
) -> None:
    """Each attempt makes the API call the provider: AIMEE_SIGN_IN_RATE_LIMIT × 6 per
    5 minutes per address (an office signs in together), then 429 without a call."""
    provider, _ = fake
    client = api(
        demo_sqlite_url,
        tmp_path / "limited",
        oidc_issuer=FAKE_ISSUER,
        oidc_client_id=CLIENT_ID,
        sign_in_rate_limit=1,
    )
    answers = [log_in(client).status_code for _ in range(7)]
    assert 429 not in answers[:6]
    assert answers[6] == 429
    assert len(provider.token_requests) == 6
    refused = log_in(client)
    assert "分ほど待ってから" in refused.json()["error"] and refused.headers["Retry-After"]

"""Company sign-in: OpenID Connect (Entra ID, Keycloak, any certified provider).

The dashboard's gate runs the browser's part of the authorization-code flow; this
module is the rest, and the authority on who signed in:

1. ``Provider.authorization()``: a fresh ``state``, ``nonce`` and PKCE verifier, and
   the provider's URL to send the browser to (``code_challenge`` S256). The gate
   keeps the three in a short-lived cookie of the browser that started.
2. The provider sends the browser back to ``<AIMEE_DASHBOARD_URL>/signin/oidc/callback``
   with a code; the gate checks ``state`` and hands the code, the verifier and the
   nonce to the API, which calls ``sign_in_with_code``: the code is exchanged at the
   provider's token endpoint (with the client secret, which never leaves the API),
   and the ID token is verified here: signature against the issuer's published keys
   (JWKS; an unknown key id fetches them again, for key rotation), ``iss`` equal to
   ``AIMEE_OIDC_ISSUER``, ``aud`` holding the client id (``azp`` too when there are
   several audiences), ``exp`` not passed (a minute of clock skew), ``nonce`` equal
   to the one this browser's flow began with, and a subject.
3. The user is the claim ``preferred_username`` (else ``email``): created on first
   sign-in (with a random API token nobody is shown: an unusable one), given the
   role the claim ``AIMEE_OIDC_ROLE_CLAIM`` maps to at every sign-in, refused when
   none maps (unless ``AIMEE_OIDC_DEFAULT_ROLE``) or when revoked in AIMEE; then a
   session opens exactly as after a password.

The provider's metadata (``/.well-known/openid-configuration``) and keys are kept
per process for an hour.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus, urlencode, urlsplit

import httpx
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session

from aimee.config import Settings
from aimee.errors import Forbidden, ServiceUnavailable, Unauthorized
from aimee.services.sign_in import SignedIn, open_session
from aimee.services.users import ROLE_RANK, hash_token, new_token
from aimee.store.models import User
from aimee.store.repositories import users as repo

log = logging.getLogger(__name__)

CALLBACK_PATH = "/signin/oidc/callback"
"""The dashboard's route the provider sends the browser back to (register
``<AIMEE_DASHBOARD_URL>/signin/oidc/callback`` at the provider)."""
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
"""Signatures accepted: asymmetric only (never ``none``, never a shared secret)."""
LEEWAY_S = 60
METADATA_TTL_S = 3600.0
KEYS_REFETCH_S = 60.0
"""An unknown key id fetches the keys again at most this often."""
HTTP_TIMEOUT_S = 10.0
NAME_CLAIMS = ("preferred_username", "email")

OFF = "会社のアカウントでのログインは設定されていません。"
UNREACHABLE = "認証サーバーに接続できません。しばらくしてからお試しください。"
NOT_VERIFIED = "会社のアカウントでのログインを確認できませんでした。もう一度ログインしてください。"
NO_ROLE = "AIMEEを使う権限がありません。管理者にロールの付与を依頼してください。"
REVOKED = "このユーザーはAIMEEで無効にされています。管理者にお問い合わせください。"
NO_NAME = "会社のアカウントにユーザー名（preferred_username または email）がありません。"

TRANSPORT: httpx.BaseTransport | None = None
"""The HTTP transport to the provider (tests put a fake provider here)."""


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str | None
    scopes: str
    role_claim: str
    roles: tuple[tuple[str, str], ...]
    """(claim value, AIMEE role) pairs."""
    default_role: str | None
    redirect_uri: str

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcConfig | None:
        """The configuration, or None when company sign-in is off."""
        if not settings.oidc_issuer or not settings.oidc_client_id:
            return None
        secret = settings.oidc_client_secret
        return cls(
            issuer=settings.oidc_issuer,
            client_id=settings.oidc_client_id,
            client_secret=secret.get_secret_value() if secret else None,
            scopes=settings.oidc_scopes,
            role_claim=settings.oidc_role_claim,
            roles=tuple(settings.oidc_roles.items()),
            default_role=settings.oidc_default_role,
            redirect_uri=settings.dashboard_url.rstrip("/") + CALLBACK_PATH,
        )


@dataclass(frozen=True)
class Authorization:
    url: str
    """Where to send the browser."""
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class Identity:
    subject: str
    user_name: str
    role: str


def code_challenge(verifier: str) -> str:
    """PKCE S256 (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def claim(claims: Mapping[str, Any], path: str) -> Any:
    """A claim by its name, else by a dotted path into objects (``realm_access.roles``)."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def role_for(claims: Mapping[str, Any], config: OidcConfig) -> str | None:
    """The highest AIMEE role the role claim's values map to (else the default role)."""
    raw = claim(claims, config.role_claim)
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    mapping = dict(config.roles)
    found = {mapping[value] for value in values if isinstance(value, str) and value in mapping}
    if not found:
        return config.default_role
    return max(found, key=ROLE_RANK.__getitem__)


def identity(claims: Mapping[str, Any], config: OidcConfig) -> Identity:
    """Who the verified claims name, and their role; Forbidden without a mapped role."""
    name = next(
        (
            value.strip()
            for key in NAME_CLAIMS
            if isinstance(value := claims.get(key), str) and value.strip()
        ),
        None,
    )
    if name is None or len(name) > 100:
        raise Unauthorized(NO_NAME)
    role = role_for(claims, config)
    if role is None:
        log.info("company sign-in refused: no role mapped from claim %r", config.role_claim)
        raise Forbidden(NO_ROLE)
    return Identity(subject=str(claims["sub"]), user_name=name, role=role)


class Provider:
    """One identity provider as this process knows it: its metadata and keys (kept an
    hour), the token exchange and the ID token's verification."""

    def __init__(self, config: OidcConfig, *, transport: httpx.BaseTransport | None = None):
        self.config = config
        self._transport = transport
        self._lock = threading.Lock()
        self._metadata: tuple[float, dict[str, Any]] | None = None
        self._keys: tuple[float, KeySet] | None = None

    def _http(self) -> httpx.Client:
        return httpx.Client(timeout=HTTP_TIMEOUT_S, transport=self._transport)

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            with self._http() as http:
                answer = http.get(url, headers={"Accept": "application/json"})
                answer.raise_for_status()
                body = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("OIDC provider: %s failed (%s)", url, type(exc).__name__)
            raise ServiceUnavailable(UNREACHABLE) from None
        if not isinstance(body, dict):
            raise ServiceUnavailable(UNREACHABLE)
        return body

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (its ``issuer`` must be ours exactly)."""
        with self._lock:
            if self._metadata is not None and time.monotonic() < self._metadata[0]:
                return self._metadata[1]
        url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
        found = self._get_json(url)
        if found.get("issuer") != self.config.issuer:
            log.error("OIDC provider: discovery names issuer %r", found.get("issuer"))
            raise ServiceUnavailable(UNREACHABLE)
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(found.get(key), str) or not _is_web_url(found[key]):
                raise ServiceUnavailable(UNREACHABLE)
        with self._lock:
            self._metadata = (time.monotonic() + METADATA_TTL_S, found)
        return found

    def keys(self, *, refetch: bool = False) -> KeySet:
        """The issuer's signing keys; ``refetch``: again, unless fetched a minute ago."""
        with self._lock:
            kept = self._keys
        now = time.monotonic()
        if kept is not None:
            fetched_at = kept[0] - METADATA_TTL_S
            if not (now >= kept[0] or (refetch and now - fetched_at >= KEYS_REFETCH_S)):
                return kept[1]
        body = self._get_json(self.metadata()["jwks_uri"])
        try:
            keys = KeySet.import_key_set(body)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError):
            log.warning("OIDC provider: the JWKS holds no usable key")
            raise ServiceUnavailable(UNREACHABLE) from None
        with self._lock:
            self._keys = (now + METADATA_TTL_S, keys)
        return keys

    def authorization(self) -> Authorization:
        """A new flow: where to send the browser, and what to keep until it returns."""
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(64)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.config.client_id,
                "redirect_uri": self.config.redirect_uri,
                "scope": self.config.scopes,
                "state": state,
                "nonce": nonce,
                "code_challenge": code_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        endpoint: str = self.metadata()["authorization_endpoint"]
        separator = "&" if urlsplit(endpoint).query else "?"
        return Authorization(endpoint + separator + query, state, nonce, verifier)

    def exchange(self, code: str, code_verifier: str) -> str:
        """The ID token for ``code`` (Unauthorized when the provider refuses it)."""
        metadata = self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.config.redirect_uri,
            "code_verifier": code_verifier,
        }
        headers = {"Accept": "application/json"}
        secret = self.config.client_secret
        methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if secret is None:
            form["client_id"] = self.config.client_id
        elif "client_secret_basic" in methods:  # RFC 6749 2.3.1: form-encoded, then Basic
            pair = f"{quote_plus(self.config.client_id)}:{quote_plus(secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form |= {"client_id": self.config.client_id, "client_secret": secret}
        try:
            with self._http() as http:
                answer = http.post(
                    metadata["token_endpoint"],
                    data=form,
                    headers=headers,
                )
        except httpx.HTTPError as exc:
            log.warning("OIDC provider: token request failed (%s)", type(exc).__name__)
            raise ServiceUnavailable(UNREACHABLE) from None
        if answer.status_code >= 500:
            raise ServiceUnavailable(UNREACHABLE)
        try:
            body = answer.json()
        except ValueError:
            body = None
        if answer.status_code != 200 or not isinstance(body, dict):
            error = body.get("error") if isinstance(body, dict) else None
            log.info("OIDC provider refused the code (%s, %s)", answer.status_code, error)
            raise Unauthorized(NOT_VERIFIED)
        id_token = body.get("id_token")
        if not isinstance(id_token, str):
            log.warning("OIDC provider: the token answer holds no id_token")
            raise Unauthorized(NOT_VERIFIED)
        return id_token

    def verify(self, id_token: str, *, nonce: str, now: datetime) -> dict[str, Any]:
        """The claims of ``id_token`` once every check passed (Unauthorized otherwise,
        with one message: what failed goes to the log)."""
        try:
            try:
                token = jwt.decode(id_token, self.keys(), algorithms=list(ALGORITHMS))
            except InvalidKeyIdError:  # a key the provider rotated in since
                token = jwt.decode(id_token, self.keys(refetch=True), algorithms=list(ALGORITHMS))
        except (JoseError, ValueError) as exc:
            log.info("ID token refused: %s", type(exc).__name__)
            raise Unauthorized(NOT_VERIFIED) from None
        problem = _claims_problem(token.claims, self.config, nonce=nonce, now=now)
        if problem is not None:
            log.info("ID token refused: %s", problem)
            raise Unauthorized(NOT_VERIFIED)
        return token.claims


def _claims_problem(  # noqa: PLR0911 - one return per check, in the spec's order
    claims: Mapping[str, Any], config: OidcConfig, *, nonce: str, now: datetime
) -> str | None:
    """What is wrong with verified claims (OIDC Core 3.1.3.7), or None."""
    if claims.get("iss") != config.issuer:
        return "iss"
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or config.client_id not in audiences:
        return "aud"
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != config.client_id:
        return "azp"
    stamp = now.replace(tzinfo=UTC).timestamp() if now.tzinfo is None else now.timestamp()
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        return "exp missing"
    if expires + LEEWAY_S <= stamp:
        return "expired"
    issued = claims.get("iat")
    if isinstance(issued, int | float) and issued - LEEWAY_S > stamp:
        return "issued in the future"
    sent = claims.get("nonce")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), nonce.encode()):
        return "nonce"
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        return "sub"
    return None


def _is_web_url(value: str) -> bool:
    return urlsplit(value).scheme in ("https", "http") and bool(urlsplit(value).hostname)


@lru_cache(maxsize=8)
def provider(config: OidcConfig) -> Provider:
    """The process's provider for ``config`` (tests clear it: ``provider.cache_clear()``)."""
    return Provider(config, transport=TRANSPORT)


def user_for(session: Session, person: Identity, *, now: datetime) -> User:
    """The AIMEE user ``person`` is: created on first sign-in (an API token nobody is
    shown), their role set from the provider; Forbidden when revoked in AIMEE."""
    user = repo.by_name(session, person.user_name)
    if user is None:
        user = repo.add(
            session,
            User(
                user_name=person.user_name,
                role=person.role,
                token_hash=hash_token(new_token()),  # unusable: never shown to anyone
                created_at=now,
            ),
        )
        log.info("company sign-in: a new user with role %s", person.role)
        return user
    if user.revoked_at is not None:
        raise Forbidden(REVOKED)
    if user.role != person.role:
        log.info("company sign-in: a user's role %s -> %s", user.role, person.role)
        user.role = person.role
        session.flush()
    return user


def sign_in_with_code(
    session: Session,
    config: OidcConfig,
    *,
    code: str,
    code_verifier: str,
    nonce: str,
    now: datetime,
    ttl: timedelta,
    business_now: datetime,
) -> SignedIn:
    """The provider's code in, a session out (see the module's docstring). ``now`` is
    the wall clock in UTC (the token's and the session's lifetimes); a new user's
    ``created_at`` is ``business_now``, as for ``aimee user add``."""
    idp = provider(config)
    claims = idp.verify(idp.exchange(code, code_verifier), nonce=nonce, now=now)
    user = user_for(session, identity(claims, config), now=business_now)
    return open_session(session, user, now=now, ttl=ttl)

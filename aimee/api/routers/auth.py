"""Sign-in for the dashboard: a user name and password (an API token, or the code of a
company sign-in) in, a session token out; sign-out ends the session. ``/auth/login``,
``/auth/methods`` and ``/auth/oidc/start`` are open (they are how one gets a token);
``/auth/logout`` needs the session token it ends. Company sign-in (OIDC):
``services/oidc.py``."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Annotated, Self

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, model_validator

from aimee import clock
from aimee.api.deps import ComponentsDep, CurrentUser, SessionDep, SettingsDep
from aimee.api.rate_limit import RATE_LIMITED
from aimee.api.schemas import error_responses
from aimee.errors import BadRequest, NotFound, TooManyRequests, Unauthorized
from aimee.services import oidc, sign_in
from aimee.services.rate_limit import RateLimiter
from aimee.services.users import ROLE_LABELS, authenticate

log = logging.getLogger(__name__)
router = APIRouter(prefix="/auth", tags=["auth"])
_bearer = HTTPBearer(auto_error=False)


class OidcCallback(BaseModel):
    """What the provider sent the browser back with, and what its flow began with
    (``GET /auth/oidc/start``)."""

    code: str = Field(min_length=1, max_length=3_000)
    code_verifier: str = Field(min_length=43, max_length=128)
    nonce: str = Field(min_length=1, max_length=200)


class SignInRequest(BaseModel):
    """Either ``user_name`` and ``password``, ``token`` (an API token), or ``oidc``
    (the dashboard's company sign-in)."""

    user_name: str | None = Field(None, min_length=1, max_length=100)
    password: str | None = Field(None, min_length=1, max_length=sign_in.MAX_PASSWORD_CHARS)
    token: str | None = Field(None, min_length=1, max_length=200)
    oidc: OidcCallback | None = None

    @model_validator(mode="after")
    def one_way_in(self) -> Self:
        with_password = self.user_name is not None and self.password is not None
        ways = [with_password, self.token is not None, self.oidc is not None]
        if sum(ways) != 1 or (self.oidc is not None and (self.user_name or self.password)):
            raise ValueError(
                "ユーザー名とパスワード、またはAPIトークンのどちらかを送ってください。"
            )
        return self


class SessionPublic(BaseModel):
    token: str
    """The session token: send it as ``Authorization: Bearer`` (the dashboard keeps it in
    an HttpOnly cookie)."""
    expires_at: datetime
    """UTC."""
    expires_in_s: int
    """Seconds the session lasts (the dashboard's cookie lasts as long)."""
    user_name: str
    role: str
    role_label: str


class AuthMethods(BaseModel):
    password: bool
    """User name and password (always)."""
    oidc: bool
    """Company sign-in (``AIMEE_OIDC_ISSUER`` set): the dashboard shows its button."""


class OidcStart(BaseModel):
    authorization_url: str
    """Where to send the browser."""
    state: str
    nonce: str
    code_verifier: str
    """Keep these three with the browser (the dashboard: an HttpOnly cookie) until it
    comes back; send the code with the verifier and the nonce to ``/auth/login``."""


@router.get("/methods", response_model=AuthMethods)
def methods(settings: SettingsDep) -> AuthMethods:
    """The ways to sign in."""
    return AuthMethods(password=True, oidc=oidc.OidcConfig.from_settings(settings) is not None)


@router.get("/oidc/start", response_model=OidcStart, responses=error_responses(404, 503))
def oidc_start(settings: SettingsDep) -> OidcStart:
    """Begin a company sign-in (authorization code with PKCE): 404 when it is off."""
    config = oidc.OidcConfig.from_settings(settings)
    if config is None:
        raise NotFound(oidc.OFF)
    flow = oidc.provider(config).authorization()
    return OidcStart(
        authorization_url=flow.url,
        state=flow.state,
        nonce=flow.nonce,
        code_verifier=flow.code_verifier,
    )


def _count_attempt(limiter: RateLimiter, subject: str, what: str) -> None:
    """429 when ``subject`` is over ``limiter``'s limit of sign-in attempts."""
    decision = limiter.hit(subject)
    if decision.allowed:
        return
    if decision.count == limiter.limit + 1:  # once per window
        log.warning("sign-in attempts limited for one %s", what)
    minutes = -(-decision.retry_after_s // 60)
    raise TooManyRequests(
        f"ログインの試行が続いたため、{minutes}分ほど待ってからお試しください。",
        retry_after_s=decision.retry_after_s,
    )


@router.post(
    "/login",
    response_model=SessionPublic,
    responses={**error_responses(401, 403, 404, 422, 503), **RATE_LIMITED},
)
def log_in(
    body: SignInRequest,
    request: Request,
    session: SessionDep,
    components: ComponentsDep,
    settings: SettingsDep,
) -> SessionPublic:
    """Open a dashboard session (valid ``AIMEE_SESSION_HOURS``). Password attempts are
    limited per user name (``AIMEE_SIGN_IN_RATE_LIMIT`` per 5 minutes). A company
    sign-in (``oidc``) is verified with the provider: 401 when its ID token fails a
    check, 403 when no role is mapped or the user is revoked, 404 when it is off."""
    now, ttl = clock.utc_now(), timedelta(hours=settings.session_hours)
    if body.oidc is not None:
        config = oidc.OidcConfig.from_settings(settings)
        if config is None:
            raise NotFound(oidc.OFF)
        # each attempt costs a call to the provider: limited per client address
        address = request.client.host if request.client else "unknown"
        _count_attempt(components.oidc_limiter, address, "client address")
        signed = oidc.sign_in_with_code(
            session,
            config,
            code=body.oidc.code,
            code_verifier=body.oidc.code_verifier,
            nonce=body.oidc.nonce,
            now=now,
            ttl=ttl,
            business_now=clock.now(settings),
        )
    elif body.token is not None:
        user = authenticate(session, body.token)
        if user is None:
            raise Unauthorized("トークンが正しくないか、失効しています。")
        signed = sign_in.open_session(session, user, now=now, ttl=ttl)
    else:
        assert body.user_name is not None and body.password is not None
        _count_attempt(components.sign_in_limiter, body.user_name, "user name")
        signed = sign_in.sign_in(session, body.user_name, body.password, now=now, ttl=ttl)
    user = signed.user
    return SessionPublic(
        token=signed.token,
        expires_at=signed.expires_at,
        expires_in_s=int(ttl.total_seconds()),
        user_name=user.user_name,
        role=user.role,
        role_label=ROLE_LABELS[user.role],
    )


@router.post("/logout", status_code=204, responses=error_responses(400, 401))
def log_out(
    _user: CurrentUser,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Response:
    """End the session whose token is sent (an API token is not ended here:
    ``aimee user revoke``)."""
    assert credentials is not None  # CurrentUser answered 401 otherwise
    if not sign_in.is_session(credentials.credentials):
        raise BadRequest(
            "APIトークンはログアウトでは失効しません（aimee user revoke で失効させます）。"
        )
    sign_in.sign_out(session, credentials.credentials, now=clock.utc_now())
    return Response(status_code=204)

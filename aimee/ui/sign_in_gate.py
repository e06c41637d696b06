"""The dashboard's sign-in, in front of Streamlit.

Streamlit cannot set a cookie, so signing in happens on two plain routes of the
served app (``serve.py``):

- ``/signin`` (GET: the form; POST: the user name and password, or an API token,
  sent to the API's ``POST /auth/login``). On success the session token goes into
  an HttpOnly cookie (``aimee_session``, SameSite=Lax, Secure over HTTPS, as long
  as the session lasts) and the browser is sent on to the page it asked for.
- ``/signout``: ends the session at the API, clears the cookie, back to the form.

``SignInGate`` sends every page load (a navigation, not an asset or the
websocket) without a valid session to ``/signin?next=<the page>``, so a reload
or a deep link such as ``/alerts`` either shows the page signed in or the form,
never Streamlit's "page not found". The app reads the cookie with
``st.context.cookies`` (``state.adopt_session``). Nothing secret is ever in a URL.

Company sign-in (OIDC, when the API says it is on: ``GET /auth/methods``): the form
shows 「会社のアカウントでログイン」, a link to ``/signin/oidc``, which asks the API to
begin (``GET /auth/oidc/start``), keeps the flow's state, nonce and PKCE verifier in
an HttpOnly cookie of its own (``aimee_oidc``, ten minutes, only sent to
``/signin/oidc``) and sends the browser to the provider. The provider sends it back to
``/signin/oidc/callback``; a state other than the cookie's is refused (no login
CSRF), and the code goes with the verifier and the nonce to ``POST /auth/login``,
where the API exchanges and verifies it (``services/oidc.py``). Then the session
cookie, as after a password. With company sign-in off both routes answer 404.

Lax, not Strict: a link in a notification (another site) must open the page
signed in, and the provider's redirect back must carry the flow's cookie.
Cross-site requests that could change something are refused: a POST to ``/signin``
must come from this origin (no login CSRF), and ``/signout`` only acts on a
same-origin click or a typed address.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import html
import json
import logging
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from aimee.ui.client import API
from aimee.ui.state import api_url

log = logging.getLogger(__name__)

COOKIE = "aimee_session"
FLOW_COOKIE = "aimee_oidc"
SIGN_IN, SIGN_OUT = "/signin", "/signout"
OIDC, OIDC_CALLBACK = "/signin/oidc", "/signin/oidc/callback"
FLOW_SECONDS = 600
"""How long a company sign-in may take at the provider."""
MAX_FORM_BYTES = 8_192
API_TIMEOUT_S = 10.0
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; frame-ancestors 'none'"
)
WRONG = "ユーザー名またはパスワードが正しくありません。"
OIDC_BUTTON = "会社のアカウントでログイン"
OIDC_OFF = "会社のアカウントでのログインは設定されていません。"
OIDC_RESTART = "ログインの手続きが途中で切れました。もう一度ログインしてください。"
OIDC_CANCELLED = "会社のアカウントでのログインが完了しませんでした。"
API_DOWN = "APIに接続できません。しばらくしてからお試しください。"


async def _call_api(method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request to the API (a client per call: page loads and sign-ins are rare,
    and a client must not outlive the event loop it was made in)."""
    base = api_url().rstrip("/") + API
    async with httpx.AsyncClient(base_url=base, timeout=API_TIMEOUT_S) as http:
        return await http.request(method, path, **kwargs)


def safe_next(value: str | None) -> str:
    """A path on this site to go on to after signing in ("/" for anything else:
    no open redirect to another host)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if urlsplit(value).netloc or value.startswith((SIGN_IN, SIGN_OUT)):
        return "/"
    return value


def _cookie_token(headers: dict[str, str], name: str = COOKIE) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except CookieError:  # a malformed Cookie header is no session
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None and morsel.value else None


def _is_https(request_scheme: str, headers: dict[str, str]) -> bool:
    return request_scheme == "https" or headers.get("x-forwarded-proto", "") == "https"


async def session_is_valid(token: str) -> bool | None:
    """True/False as the API says; None when the API cannot be asked (the page then
    loads and shows the API's error itself)."""
    try:
        answer = await _call_api("GET", "/me", headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        log.warning("sign-in gate: API unreachable (%s)", type(exc).__name__)
        return None
    if answer.status_code == 401:
        return False
    return True if answer.status_code == 200 else None


def _is_page_load(scope: Scope, headers: dict[str, str]) -> bool:
    """A navigation to one of the app's pages (not an asset, the websocket, a health
    check or the sign-in routes)."""
    if scope["method"] != "GET":
        return False
    path: str = scope["path"]
    if path in (SIGN_IN, SIGN_OUT) or path.startswith((SIGN_IN + "/", "/_stcore/")):
        return False
    destination = headers.get("sec-fetch-dest")
    if destination is not None:
        return destination == "document"
    return "text/html" in headers.get("accept", "")


class SignInGate:
    """Pure ASGI middleware: page loads without a valid session go to ``/signin``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            if _is_page_load(scope, headers):
                token = _cookie_token(headers)
                valid = await session_is_valid(token) if token else False
                if valid is False:
                    target = scope["path"]
                    if scope.get("query_string"):
                        target += "?" + scope["query_string"].decode("latin-1")
                    response = RedirectResponse(
                        f"{SIGN_IN}?next={quote(safe_next(target), safe='/')}", status_code=303
                    )
                    if token:
                        response.delete_cookie(COOKIE, path="/")
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def page(
    *,
    error: str | None = None,
    notice: str | None = None,
    user_name: str = "",
    next_path: str = "/",
    status: int = 200,
    oidc: bool = False,
) -> HTMLResponse:
    """The sign-in form (Japanese, no script, nothing from another host); ``oidc``:
    with the company sign-in's button above it."""
    esc = html.escape
    company = ""
    if oidc:
        link = f"{OIDC}?next={quote(next_path, safe='/')}"
        company = f'<a class="company" href="{esc(link)}">{OIDC_BUTTON}</a><p class="or">または</p>'
    lead = (
        "会社のアカウント、またはユーザー名とパスワードでログインしてください。"
        if oidc
        else "ユーザー名とパスワードでログインしてください。"
    )
    message = ""
    if error:
        message = f'<p class="error" role="alert">{esc(error)}</p>'
    elif notice:
        message = f'<p class="notice" role="status">{esc(notice)}</p>'
    body = f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ログイン - AIMEE</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'
 viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%23ff4b4b'/%3E%3C/svg%3E">
<style>
body{{font-family:"Noto Sans CJK JP","Hiragino Sans",sans-serif;background:#f5f6f8;color:#1f2430;
margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}}
main{{background:#fff;border-radius:12px;box-shadow:0 2px 12px #0001;padding:2rem 2.2rem;
width:22rem}}
h1{{font-size:1.3rem;margin:0 0 .3rem}}p.lead{{margin:0 0 1.2rem;color:#555;font-size:.9rem}}
label{{display:block;font-size:.9rem;margin:.8rem 0 .3rem}}
input{{width:100%;box-sizing:border-box;padding:.55rem .6rem;border:1px solid #c8ccd4;
border-radius:6px;font-size:1rem}}
button{{margin-top:1.2rem;width:100%;padding:.6rem;border:0;border-radius:6px;
background:#ff4b4b;color:#fff;font-size:1rem;cursor:pointer}}
.error{{background:#fdecec;color:#9b1c1c;padding:.6rem .8rem;border-radius:6px}}
.notice{{background:#e8f4ec;color:#1d5b33;padding:.6rem .8rem;border-radius:6px}}
details{{margin-top:1.4rem;font-size:.9rem;color:#444}}
a.company{{display:block;text-align:center;padding:.6rem;border-radius:6px;
background:#1f2430;color:#fff;text-decoration:none;font-size:1rem}}
p.or{{text-align:center;color:#888;font-size:.85rem;margin:1rem 0 0}}
</style></head>
<body><main>
<h1>AIMEE 配置最適化ダッシュボード</h1>
<p class="lead">{lead}</p>
{message}
{company}
<form method="post" action="{SIGN_IN}">
<input type="hidden" name="next" value="{esc(next_path)}">
<label for="user_name">ユーザー名</label>
<input id="user_name" name="user_name" value="{esc(user_name)}" autocomplete="username"
 maxlength="100" required autofocus>
<label for="password">パスワード</label>
<input id="password" name="password" type="password" autocomplete="current-password"
 maxlength="256" required>
<button type="submit">ログイン</button>
</form>
<details><summary>APIトークンでログイン（連携用）</summary>
<form method="post" action="{SIGN_IN}">
<input type="hidden" name="next" value="{esc(next_path)}">
<label for="token">APIトークン</label>
<input id="token" name="token" type="password" autocomplete="off" maxlength="200" required>
<button type="submit">トークンでログイン</button>
</form></details>
</main></body></html>"""
    return HTMLResponse(
        body,
        status_code=status,
        headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store"},
    )


def _same_origin(request: Request) -> bool:
    """Whether a state-changing request comes from this site: Fetch Metadata
    (``Sec-Fetch-Site``, sent by every current browser), else ``Origin`` (which is
    "null" under the pages' no-referrer policy, so it cannot come first); a request
    with neither is not from a browser (a script holding the password): allowed."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is not None:
        return urlsplit(origin).netloc == request.headers.get("host", "")
    return True


def _signed_in(request: Request, token: str, expires_in_s: int, next_path: str) -> Response:
    response = RedirectResponse(next_path, status_code=303)
    headers = {k.lower(): v for k, v in request.headers.items()}
    if FLOW_COOKIE in headers.get("cookie", ""):
        response.delete_cookie(FLOW_COOKIE, path=OIDC)
    response.set_cookie(
        COOKIE,
        token,
        max_age=max(1, expires_in_s),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_is_https(request.url.scheme, headers),
    )
    return response


async def sign_in(request: Request) -> Response:
    if request.method == "POST":
        return await _submit(request)
    next_path = safe_next(request.query_params.get("next"))
    token = _cookie_token({k.lower(): v for k, v in request.headers.items()})
    if token and await session_is_valid(token):
        return RedirectResponse(next_path, status_code=303)
    notice = "ログアウトしました。" if request.query_params.get("signed_out") else None
    return page(notice=notice, next_path=next_path, oidc=await oidc_enabled())


async def _submit(request: Request) -> Response:
    """The form sent: ask the API, then the cookie and the page asked for, or the
    form again with the reason (the user name kept, never the password)."""
    if not _same_origin(request):
        return page(error="別のサイトからのログインは受け付けません。", status=403)
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        return page(error="入力が長すぎます。", status=413)
    form = {key: values[0] for key, values in parse_qs(raw.decode("utf-8", "replace")).items()}
    next_path = safe_next(form.get("next"))
    user_name = form.get("user_name", "").strip()
    if "token" in form:
        payload = {"token": form["token"].strip()}
    else:
        payload = {"user_name": user_name, "password": form.get("password", "")}
    if not all(payload.values()):
        return page(
            error="すべての項目を入力してください。",
            user_name=user_name,
            next_path=next_path,
            status=400,
        )
    try:
        answer = await _call_api("POST", "/auth/login", json=payload)
    except httpx.HTTPError:
        return page(
            error="APIに接続できません。しばらくしてからお試しください。",
            user_name=user_name,
            next_path=next_path,
            status=503,
        )
    if answer.status_code == 200:
        body = answer.json()
        return _signed_in(request, body["token"], int(body["expires_in_s"]), next_path)
    return _refused(answer, token_used="token" in payload, user_name=user_name, next_path=next_path)


def _refused(
    answer: httpx.Response, *, token_used: bool, user_name: str, next_path: str
) -> HTMLResponse:
    try:
        error = str(answer.json().get("error") or WRONG)
    except ValueError:
        error = WRONG
    if answer.status_code == 422:  # a field over its length: no such user or token
        error = "トークンが正しくないか、失効しています。" if token_used else WRONG
    status = answer.status_code if answer.status_code in (401, 429, 503) else 400
    return page(error=error, user_name=user_name, next_path=next_path, status=status)


async def sign_out(request: Request) -> Response:
    headers = {k.lower(): v for k, v in request.headers.items()}
    token = _cookie_token(headers)
    response = RedirectResponse(f"{SIGN_IN}?signed_out=1", status_code=303)
    if token is None or not _same_origin(request):
        return RedirectResponse(SIGN_IN, status_code=303)
    try:
        await _call_api("POST", "/auth/logout", headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        log.warning("sign-out: API unreachable; the cookie is cleared, the session expires")
    response.delete_cookie(COOKIE, path="/")
    return response


async def oidc_enabled() -> bool:
    """Whether the API offers company sign-in (False when it cannot be asked)."""
    try:
        answer = await _call_api("GET", "/auth/methods")
    except httpx.HTTPError:
        return False
    if answer.status_code != 200:
        return False
    try:
        return answer.json().get("oidc") is True
    except ValueError:
        return False


def _pack_flow(flow: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(flow).encode()).decode().rstrip("=")


def _unpack_flow(value: str | None) -> dict[str, str] | None:
    if not value or len(value) > 2_000:
        return None
    try:
        flow = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError):
        return None
    keys = ("state", "nonce", "code_verifier", "next")
    if not isinstance(flow, dict) or not all(isinstance(flow.get(key), str) for key in keys):
        return None
    return {key: flow[key] for key in keys}


async def oidc_start(request: Request) -> Response:
    """Begin a company sign-in: the flow's secrets into a cookie, the browser to the
    provider (404 when company sign-in is off)."""
    next_path = safe_next(request.query_params.get("next"))
    try:
        answer = await _call_api("GET", "/auth/oidc/start")
    except httpx.HTTPError:
        return page(error=API_DOWN, next_path=next_path, status=503)
    if answer.status_code == 404:
        return page(error=OIDC_OFF, next_path=next_path, status=404)
    if answer.status_code != 200:
        return _api_error(answer, next_path)
    body = answer.json()
    flow = {key: str(body[key]) for key in ("state", "nonce", "code_verifier")}
    response = RedirectResponse(str(body["authorization_url"]), status_code=303)
    headers = {k.lower(): v for k, v in request.headers.items()}
    response.set_cookie(
        FLOW_COOKIE,
        _pack_flow({**flow, "next": next_path}),
        max_age=FLOW_SECONDS,
        path=OIDC,
        httponly=True,
        samesite="lax",
        secure=_is_https(request.url.scheme, headers),
    )
    return response


async def oidc_callback(request: Request) -> Response:  # noqa: PLR0911 - one per outcome
    """The provider sent the browser back: the state must be this browser's, then
    the API turns the code into a session."""
    headers = {k.lower(): v for k, v in request.headers.items()}
    flow = _unpack_flow(_cookie_token(headers, FLOW_COOKIE))
    params = request.query_params
    if flow is None:
        if not await oidc_enabled():
            return page(error=OIDC_OFF, status=404)
        return _flow_ended(page(error=OIDC_RESTART, status=400, oidc=True))
    next_path = safe_next(flow["next"])
    code = params.get("code")
    if params.get("error") or not code:  # denied or cancelled: nothing to sign in with
        log.info("company sign-in: the provider answered %s", params.get("error", "no code"))
        return _flow_ended(page(error=OIDC_CANCELLED, next_path=next_path, status=401, oidc=True))
    state = params.get("state", "")
    if not hmac.compare_digest(state.encode(), flow["state"].encode()):
        log.info("company sign-in: the state is not this browser's")
        return _flow_ended(page(error=OIDC_RESTART, next_path=next_path, status=400, oidc=True))
    payload = {
        "oidc": {"code": code, "code_verifier": flow["code_verifier"], "nonce": flow["nonce"]}
    }
    try:
        answer = await _call_api("POST", "/auth/login", json=payload)
    except httpx.HTTPError:
        return page(error=API_DOWN, next_path=next_path, status=503, oidc=True)
    if answer.status_code == 200:
        body = answer.json()
        return _signed_in(request, body["token"], int(body["expires_in_s"]), next_path)
    return _flow_ended(_api_error(answer, next_path))


def _api_error(answer: httpx.Response, next_path: str) -> HTMLResponse:
    """The form with the API's reason for refusing a company sign-in."""
    try:
        error = str(answer.json().get("error") or OIDC_CANCELLED)
    except ValueError:
        error = OIDC_CANCELLED
    if answer.status_code == 422:  # a code or verifier no provider would send
        error = OIDC_CANCELLED
    status = answer.status_code if answer.status_code in (401, 403, 404, 503) else 400
    return page(error=error, next_path=next_path, status=status, oidc=status != 404)


def _flow_ended(response: Response) -> Response:
    response.delete_cookie(FLOW_COOKIE, path=OIDC)
    return response


ROUTES = [
    Route(SIGN_IN, sign_in, methods=["GET", "POST"]),
    Route(SIGN_OUT, sign_out, methods=["GET"]),
    Route(OIDC, oidc_start, methods=["GET"]),
    Route(OIDC_CALLBACK, oidc_callback, methods=["GET"]),
]

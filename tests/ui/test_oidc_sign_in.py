"""Company sign-in (OIDC) through the dashboard's gate, all over HTTP: a browser (the
test client, following each redirect by hand) at the gate, the gate at a live API,
the API at a real OpenID provider on localhost (oidc-provider-mock)."""

from __future__ import annotations

import os
import re
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from aimee.config import Settings
from aimee.services import oidc
from aimee.ui.sign_in_gate import COOKIE, FLOW_COOKIE, ROUTES, SignInGate
from aimee.ui.state import API_URL_ENV
from tests.api.test_approvals_concurrency import serve
from tests.conftest import DEMO_NOW

with warnings.catch_warnings():  # the mock provider imports Authlib's old jose module
    import authlib.deprecate  # its own "always" filter first, then ours over it

    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    import oidc_provider_mock

pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")

PAGE = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "none"}
DASHBOARD = "http://127.0.0.1:8501"
BUTTON = "会社のアカウントでログイン"


@pytest.fixture(scope="module")
def idp() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def _stand_in(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"page {request.url.path}")


@pytest.fixture
def dashboard(
    demo_sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., TestClient]]:
    """The gate in front of a stand-in for Streamlit, talking to a live API with
    the given settings."""
    stack: list[Iterator[str]] = []
    oidc.provider.cache_clear()

    def make(**settings: Any) -> TestClient:
        serving = serve(
            Settings(
                data_dir=tmp_path / "data",
                database_url=demo_sqlite_url,
                now=DEMO_NOW,
                dashboard_url=DASHBOARD,
                **settings,
            ),
            lifespan="off",
        )
        stack.append(serving)
        monkeypatch.setenv(API_URL_ENV, next(serving))
        app = Starlette(
            routes=[*ROUTES, Route("/{path:path}", _stand_in)],
            middleware=[Middleware(SignInGate)],
        )
        return TestClient(app, follow_redirects=False)

    yield make
    for serving in stack:
        for _ in serving:  # runs the server's teardown
            pass
    oidc.provider.cache_clear()


def a_person(idp: str, **claims: Any) -> str:
    subject = f"sub-{uuid.uuid4().hex[:10]}"
    assert httpx.put(f"{idp}/users/{quote(subject)}", json=claims).status_code == 204
    return subject


def at_the_provider(authorization_url: str, subject: str, **form: str) -> str:
    """The person signs in at the provider; returns the callback's path and query
    (the provider sends the browser to the registered dashboard address)."""
    answer = httpx.post(authorization_url, data={"sub": subject, **form})
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    assert f"{back.scheme}://{back.netloc}" == DASHBOARD
    assert back.path == "/signin/oidc/callback"
    return f"{back.path}?{back.query}"


def test_company_sign_in_through_the_gate(dashboard: Callable[..., TestClient], idp: str) -> None:
    browser = dashboard(
        oidc_issuer=idp,
        oidc_client_id="aimee",
        oidc_client_secret="s3cret",
        oidc_role_claim="realm_access.roles",  # as Keycloak sends realm roles
    )
    name = f"takahashi-{uuid.uuid4().hex[:6]}"
    subject = a_person(idp, preferred_username=name, realm_access={"roles": ["aimee-approver"]})

    first = browser.get("/alerts?tab=open", headers=PAGE)
    assert first.headers["location"] == "/signin?next=/alerts%3Ftab%3Dopen"
    form = browser.get(first.headers["location"], headers=PAGE)
    assert form.status_code == 200 and BUTTON in form.text
    assert 'href="/signin/oidc?next=/alerts%3Ftab%3Dopen"' in form.text

    start = browser.get("/signin/oidc?next=/alerts%3Ftab%3Dopen", headers=PAGE)
    assert start.status_code == 303
    assert start.headers["location"].startswith(f"{idp}/oauth2/authorize?")
    flow_cookie = start.headers["set-cookie"]
    assert f"{FLOW_COOKIE}=" in flow_cookie and "HttpOnly" in flow_cookie
    assert "Path=/signin/oidc" in flow_cookie and "SameSite=lax" in flow_cookie
    assert "Max-Age=600" in flow_cookie

    callback = at_the_provider(start.headers["location"], subject)
    signed = browser.get(callback, headers=PAGE)
    assert signed.status_code == 303, signed.text
    assert signed.headers["location"] == "/alerts?tab=open"
    token = browser.cookies[COOKIE]
    assert token.startswith("aimee_ses_")
    assert FLOW_COOKIE not in browser.cookies  # the flow is over
    assert browser.get("/alerts?tab=open", headers=PAGE).text == "page /alerts"  # a reload

    api = httpx.get(
        os.environ[API_URL_ENV] + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 200
    assert (api.json()["user_name"], api.json()["role"]) == (name, "approver")

    again = browser.get(callback, headers=PAGE)  # the callback replayed: the flow is gone
    assert again.status_code == 400


def test_a_callback_from_another_browsers_flow_is_refused(
    dashboard: Callable[..., TestClient], idp: str
) -> None:
    """Login CSRF: an attacker's own code, sent to the victim's browser, must not sign
    the victim in as the attacker."""
    victim = dashboard(oidc_issuer=idp, oidc_client_id="aimee")
    attacker = TestClient(victim.app, follow_redirects=False)
    subject = a_person(idp, preferred_username="attacker", roles=["aimee-admin"])
    start = attacker.get("/signin/oidc", headers=PAGE)
    callback = at_the_provider(start.headers["location"], subject)

    no_flow = victim.get(callback, headers=PAGE)  # the victim started nothing
    assert no_flow.status_code == 400
    assert "もう一度ログインしてください" in no_flow.text
    victim.get("/signin/oidc", headers=PAGE)  # the victim's own flow, another state
    other_state = victim.get(callback, headers=PAGE)
    assert other_state.status_code == 400 and COOKIE not in victim.cookies


def test_refusals_show_the_reason_in_japanese(
    dashboard: Callable[..., TestClient], idp: str
) -> None:
    browser = dashboard(oidc_issuer=idp, oidc_client_id="aimee", oidc_client_secret="s3cret")
    no_role = a_person(idp, preferred_username=f"no-role-{uuid.uuid4().hex[:6]}", roles=["x"])
    start = browser.get("/signin/oidc", headers=PAGE)
    refused = browser.get(at_the_provider(start.headers["location"], no_role), headers=PAGE)
    assert refused.status_code == 403
    assert oidc.NO_ROLE in refused.text and COOKIE not in browser.cookies

    start = browser.get("/signin/oidc", headers=PAGE)
    denied = httpx.post(start.headers["location"], data={"action": "deny"})
    back = urlsplit(denied.headers["location"])
    cancelled = browser.get(f"{back.path}?{back.query}", headers=PAGE)
    assert cancelled.status_code == 401
    assert "会社のアカウントでのログインが完了しませんでした。" in cancelled.text


def test_off_there_is_no_button_and_the_routes_are_404(
    dashboard: Callable[..., TestClient],
) -> None:
    browser = dashboard()
    form = browser.get("/signin", headers=PAGE)
    assert form.status_code == 200 and BUTTON not in form.text
    assert "ユーザー名とパスワードでログインしてください。" in form.text
    for path in ("/signin/oidc", "/signin/oidc/callback?code=x&state=y"):
        answer = browser.get(path, headers=PAGE)
        assert answer.status_code == 404
        assert "会社のアカウントでのログインは設定されていません。" in answer.text


def test_company_sign_in_in_a_browser(
    demo_sqlite_url: str, idp: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real dashboard (Streamlit behind the gate) in headless Chromium: a deep link,
    the company button, the provider's own form, back on the page asked for and signed
    in with the mapped role; a reload stays signed in. The provider is another site
    (localhost vs 127.0.0.1): the flow's SameSite=Lax cookie must come back with it."""
    from tests.ui.test_browser import chromium, free_port, new_page, running_dashboard

    name = f"nakamura-{uuid.uuid4().hex[:6]}"
    subject = a_person(idp, preferred_username=name, roles=["aimee-admin"])
    port = free_port()
    dashboard_url = f"http://127.0.0.1:{port}"
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=demo_sqlite_url,
        now=DEMO_NOW,
        dashboard_url=dashboard_url,
        oidc_issuer=idp,
        oidc_client_id="aimee",
        oidc_client_secret="s3cret",
    )
    oidc.provider.cache_clear()
    serving = serve(settings, lifespan="off")
    api_url = next(serving)
    try:
        with (
            running_dashboard(api_url, port),
            chromium(tmp_path, width=1440, height=900) as browser,
        ):
            from playwright.sync_api import expect

            page = new_page(browser)
            page.goto(f"{dashboard_url}/alerts")
            expect(page).to_have_url(re.compile(r"/signin\?next=/alerts$"))
            page.get_by_role("link", name=BUTTON).click()
            expect(page).to_have_url(re.compile(rf"^{re.escape(idp)}/oauth2/authorize\?"))
            page.get_by_placeholder("sub").fill(subject)
            page.get_by_role("button", name="Authorize").click()
            expect(page).to_have_url(f"{dashboard_url}/alerts")
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar.get_by_text(name, exact=False)).to_be_visible()
            expect(sidebar.get_by_text("管理者", exact=False).first).to_be_visible()
            cookie = next(c for c in browser.cookies() if c["name"] == COOKIE)
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
            assert not [c for c in browser.cookies() if c["name"] == FLOW_COOKIE]
            page.reload()
            expect(page).to_have_url(f"{dashboard_url}/alerts")
            expect(sidebar.get_by_text(name, exact=False)).to_be_visible()
    finally:
        for _ in serving:  # stops the API
            pass
        oidc.provider.cache_clear()

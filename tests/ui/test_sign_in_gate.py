"""The dashboard's sign-in routes and gate over HTTP, against the live API: what a
browser (or an attacker with curl) gets for each kind of request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from aimee.ui.sign_in_gate import COOKIE, ROUTES, SignInGate, safe_next
from tests.ui.conftest import PASSWORD, LiveApi

PAGE = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "none"}
FORM = {"Sec-Fetch-Site": "same-origin"}


def _streamlit_stand_in(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"page {request.url.path}")


@pytest.fixture
def browser(api: LiveApi) -> Iterator[TestClient]:
    """The gate and routes in front of a stand-in for Streamlit's pages."""
    app = Starlette(
        routes=[*ROUTES, Route("/{path:path}", _streamlit_stand_in)],
        middleware=[Middleware(SignInGate)],
    )
    with TestClient(app, follow_redirects=False) as client:
        yield client


def signed_in(browser: TestClient) -> str:
    answer = browser.post(
        "/signin",
        data={"user_name": "ui-viewer", "password": PASSWORD, "next": "/alerts"},
        headers=FORM,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/alerts"
    return browser.cookies[COOKIE]


def test_a_deep_link_goes_to_the_form_and_comes_back(browser: TestClient) -> None:
    first = browser.get("/alerts?tab=open", headers=PAGE)
    assert first.status_code == 303
    assert first.headers["location"] == "/signin?next=/alerts%3Ftab%3Dopen"
    form = browser.get(first.headers["location"], headers=PAGE)
    assert form.status_code == 200
    assert 'name="next" value="/alerts?tab=open"' in form.text
    assert "frame-ancestors 'none'" in form.headers["content-security-policy"]
    token = signed_in(browser)
    assert token.startswith("aimee_ses_")
    cookie = browser.post(  # the attributes the browser is told
        "/signin", data={"user_name": "ui-viewer", "password": PASSWORD}, headers=FORM
    ).headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Max-Age=43200" in cookie  # AIMEE_SESSION_HOURS=12
    assert browser.get("/alerts", headers=PAGE).text == "page /alerts"  # a reload
    assert browser.get("/signin", headers=PAGE).headers["location"] == "/"  # already in


def test_assets_and_health_checks_are_not_redirected(browser: TestClient) -> None:
    script = {"Sec-Fetch-Dest": "script"}
    assert browser.get("/static/js/main.js", headers=script).status_code == 200
    assert browser.get("/_stcore/health", headers={"Accept": "text/html"}).status_code == 200
    assert browser.get("/alerts", headers={"Accept": "application/json"}).status_code == 200
    assert browser.get("/alerts", headers={"Accept": "text/html"}).status_code == 303


def test_a_wrong_password_keeps_the_user_name_and_not_the_password(browser: TestClient) -> None:
    answer = browser.post(
        "/signin", data={"user_name": "ui-viewer", "password": "hunter22"}, headers=FORM
    )
    assert answer.status_code == 401
    assert "ユーザー名またはパスワードが正しくありません。" in answer.text
    assert 'value="ui-viewer"' in answer.text and "hunter22" not in answer.text
    assert COOKIE not in browser.cookies
    empty = browser.post("/signin", data={"user_name": "", "password": ""}, headers=FORM)
    assert empty.status_code == 400 and "すべての項目を入力してください。" in empty.text


def test_an_api_token_signs_in_too(browser: TestClient, api: LiveApi) -> None:
    answer = browser.post("/signin", data={"token": api.tokens["admin"]}, headers=FORM)
    assert answer.status_code == 303
    assert browser.cookies[COOKIE].startswith("aimee_ses_")  # a session, not the token
    wrong = browser.post("/signin", data={"token": "aimee_wrong"}, headers=FORM)
    assert wrong.status_code == 401 and "トークンが正しくないか" in wrong.text


def test_a_sign_in_from_another_site_is_refused(browser: TestClient) -> None:
    data = {"user_name": "ui-viewer", "password": PASSWORD}
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://evil.example"}):
        answer = browser.post("/signin", data=data, headers=headers)
        assert answer.status_code == 403
        assert "別のサイトからのログインは受け付けません。" in answer.text
    assert COOKIE not in browser.cookies


@pytest.mark.parametrize(
    ("asked", "goes_to"),
    [
        ("/alerts", "/alerts"),
        ("/history?suggestion=SGT-1", "/history?suggestion=SGT-1"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/signout", "/"),
        (None, "/"),
    ],
)
def test_only_pages_of_this_site_are_gone_on_to(asked: str | None, goes_to: str) -> None:
    assert safe_next(asked) == goes_to


def test_sign_out_ends_the_session_at_the_api(browser: TestClient) -> None:
    token = signed_in(browser)
    ignored = browser.get("/signout", headers={"Sec-Fetch-Site": "cross-site"})
    assert ignored.headers["location"] == "/signin"  # a link on another site does nothing
    assert browser.get("/alerts", headers=PAGE).status_code == 200
    out = browser.get("/signout", headers=FORM)
    assert out.status_code == 303 and out.headers["location"] == "/signin?signed_out=1"
    assert COOKIE not in browser.cookies
    assert "ログアウトしました。" in browser.get("/signin?signed_out=1", headers=PAGE).text
    browser.cookies.set(COOKIE, token)  # the old cookie, replayed
    again = browser.get("/alerts", headers=PAGE)
    assert again.status_code == 303 and again.headers["location"] == "/signin?next=/alerts"
    assert f"{COOKIE}=" in again.headers["set-cookie"]  # the dead cookie is cleared

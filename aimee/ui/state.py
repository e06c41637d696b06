"""What the dashboard keeps per browser session: the API client (built once,
holding the user's token) and who is logged in. The HTTP connection pool is
shared by all sessions (``st.cache_resource``)."""

from __future__ import annotations

import os
from typing import cast

import httpx
import streamlit as st

from aimee.ui.client import DEFAULT_API_URL, ApiClient, ApiError, make_http
from aimee.ui.format import ROLE_RANK
from aimee.ui.models import Me

API_URL_ENV = "AIMEE_API_URL"
CLIENT_KEY = "api_client"
USER_KEY = "user"
SESSION_KEY = "session_cookie"
"""The sign-in cookie's token this browser session was signed in with."""
SESSION_ERROR_KEY = "session_error"


def api_url() -> str:
    return os.environ.get(API_URL_ENV, DEFAULT_API_URL)


@st.cache_resource
def shared_http(base_url: str) -> httpx.Client:
    return make_http(base_url)


def client() -> ApiClient:
    """The session's API client, created on first use."""
    if CLIENT_KEY not in st.session_state:
        st.session_state[CLIENT_KEY] = ApiClient(shared_http(api_url()))
    return cast(ApiClient, st.session_state[CLIENT_KEY])


def user() -> Me | None:
    return cast(Me | None, st.session_state.get(USER_KEY))


def log_in(token: str) -> Me:
    """Check the token with the API and keep it for the session (ApiError when refused)."""
    candidate = client().with_token(token.strip())
    me = candidate.me()
    st.session_state[CLIENT_KEY] = candidate
    st.session_state[USER_KEY] = me
    return me


def adopt_session(token: str | None) -> None:
    """Sign in with the browser's session cookie (set by ``/signin``), once per token:
    a reload or a new tab opens signed in. A token the API refuses (expired, signed
    out elsewhere) leaves the session signed out, with the reason kept for the page."""
    if not token or st.session_state.get(SESSION_KEY) == token:
        return
    st.session_state[SESSION_KEY] = token
    st.session_state.pop(SESSION_ERROR_KEY, None)
    try:
        log_in(token)
    except ApiError as exc:
        st.session_state[SESSION_ERROR_KEY] = exc


def signed_in_with_cookie() -> bool:
    """Whether the current sign-in came from the cookie (sign out at ``/signout``)."""
    token = st.session_state.get(SESSION_KEY)
    return token is not None and user() is not None and client().token == token


def log_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def can(role: str) -> bool:
    """Whether the logged-in user has ``role`` or a higher one."""
    me = user()
    return me is not None and ROLE_RANK.get(me.role, -1) >= ROLE_RANK[role]

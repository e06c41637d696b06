"""The sidebar's account box: who is logged in, with which role, to which API."""

from __future__ import annotations

import streamlit as st

from aimee.ui import state
from aimee.ui.sign_in_gate import SIGN_OUT


def log_out_control(key: str) -> None:
    """Sign out: a cookie session ends at ``/signout`` (the cookie goes too, in this
    tab); a session signed in with a token here ends in this browser session."""
    if state.signed_in_with_cookie():
        st.markdown(
            f'<a href="{SIGN_OUT}" target="_self">:material/logout: ログアウト</a>',
            unsafe_allow_html=True,
        )
    elif st.button("ログアウト", key=key):
        state.log_out()
        st.rerun()


def account_sidebar() -> None:
    me = state.user()
    with st.sidebar:
        if me is None:
            st.caption(f"API: {state.client().base_url}")
            return
        st.markdown(f":material/person: **{me.user_name}**（{me.role_label}）")
        if me.site:
            st.caption(f"担当拠点: {me.site}（チャットの「うち」）")
        st.caption(f"API: {state.client().base_url}")
        log_out_control("account_logout")

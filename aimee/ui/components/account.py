"""The sidebar's account box: who is logged in, with which role, to which API."""

from __future__ import annotations

import streamlit as st

from aimee.ui import state


def account_sidebar() -> None:
    me = state.user()
    with st.sidebar:
        if me is None:
            st.caption(f"API: {state.client().base_url}")
            return
        st.markdown(f":material/person: **{me.user_name}**（{me.role_label}）")
        st.caption(f"API: {state.client().base_url}")
        if st.button("ログアウト", key="account_logout"):
            state.log_out()
            st.rerun()

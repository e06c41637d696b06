"""Logging in with an API token."""

from __future__ import annotations

import streamlit as st

from aimee.ui import state
from aimee.ui.client import ApiError
from aimee.ui.components.errors import show_error

REDIRECT_KEY = "login_redirect"
ROLE_ABILITIES = {
    "viewer": "閲覧者: 進捗・アラート・提案・履歴・ナレッジ・スキル表の閲覧、"
    "チャット、アラートの確認ができます。",
    "approver": "承認者: 閲覧者の操作に加えて、提案の承認・却下・修正、アラートからの提案作成、"
    "実行状況の更新ができます。",
    "admin": "管理者: 承認者の操作に加えて、ナレッジの追加・編集・削除ができます。",
}


def try_log_in(token: str) -> None:
    """Log in and go to the dashboard, or say why not."""
    if not token.strip():
        st.warning("トークンを入力してください。")
        return
    try:
        state.log_in(token)
    except ApiError as exc:
        if exc.status == 401:
            st.error("トークンが正しくないか、失効しています。", icon=":material/error:")
        else:
            show_error(exc)
        return
    st.session_state[REDIRECT_KEY] = True
    st.rerun()

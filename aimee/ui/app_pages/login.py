"""ログイン / アカウント: signed in with the session cookie (``/signin``) or an API
token; the role decides what the pages offer."""

import streamlit as st

from aimee.ui import state
from aimee.ui.components.account import log_out_control
from aimee.ui.components.errors import show_error
from aimee.ui.components.login import ROLE_ABILITIES, try_log_in
from aimee.ui.sign_in_gate import SIGN_IN

st.title(":material/explore: AIMEE 配置最適化ダッシュボード")
me = state.user()

if me is None:
    problem = st.session_state.get(state.SESSION_ERROR_KEY)
    if problem is not None and getattr(problem, "status", None) == 401:
        st.warning(
            "ログインの有効期限が切れたか、ログアウトされました。もう一度ログインしてください。",
            icon=":material/lock_clock:",
        )
    elif problem is not None:
        show_error(problem)
    st.markdown(
        f'<a href="{SIGN_IN}" target="_self">:material/login: ユーザー名とパスワードでログイン</a>',
        unsafe_allow_html=True,
    )
    st.caption("APIトークンでもログインできます。トークンは管理者が発行します。")
    with st.form("login_form"):
        token = st.text_input("APIトークン", type="password", key="login_token")
        submitted = st.form_submit_button("ログイン", type="primary")
    if submitted:
        try_log_in(token)
else:
    st.subheader("アカウント")
    st.markdown(f"**{me.user_name}** さん（{me.role_label}）としてログインしています。")
    st.markdown(ROLE_ABILITIES.get(me.role, ""))
    log_out_control("login_logout")

"""ログイン / アカウント: an API token in, the role decides what the pages offer."""

import streamlit as st

from aimee.ui import state
from aimee.ui.components.login import ROLE_ABILITIES, try_log_in

st.title(":material/explore: AIMEE 配置最適化ダッシュボード")
me = state.user()

if me is None:
    st.markdown("APIトークンでログインしてください。トークンは管理者が発行します。")
    with st.form("login_form"):
        token = st.text_input("APIトークン", type="password", key="login_token")
        submitted = st.form_submit_button("ログイン", type="primary")
    if submitted:
        try_log_in(token)
else:
    st.subheader("アカウント")
    st.markdown(f"**{me.user_name}** さん（{me.role_label}）としてログインしています。")
    st.markdown(ROLE_ABILITIES.get(me.role, ""))
    if st.button("ログアウト", key="login_logout"):
        state.log_out()
        st.rerun()

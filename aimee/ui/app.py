"""AIMEE dashboard: ``aimee ui`` (``streamlit run aimee/ui/serve.py``).

The entry script builds the session's API client once, signs in with the
browser's session cookie (``/signin`` sets it), then shows the login page until a
session or a token is accepted, and the whole app after that."""

from __future__ import annotations

import streamlit as st

from aimee.ui import state
from aimee.ui.components.account import account_sidebar
from aimee.ui.components.login import REDIRECT_KEY
from aimee.ui.sign_in_gate import COOKIE

# An emoji favicon is drawn in the page (a material icon's is fetched from a font CDN).
st.set_page_config(page_title="AIMEE", page_icon="🧭", layout="wide")
state.client()
state.adopt_session(st.context.cookies.get(COOKIE))

if state.user() is None:
    pages: list[st.Page] | dict[str, list[st.Page]] = [
        st.Page("app_pages/login.py", title="ログイン", icon=":material/login:", default=True),
    ]
else:
    dashboard = st.Page(
        "app_pages/dashboard.py", title="ダッシュボード", icon=":material/dashboard:", default=True
    )
    pages = {
        "業務": [
            dashboard,
            st.Page("app_pages/chat.py", title="チャット", icon=":material/chat:"),
            st.Page("app_pages/alerts.py", title="アラート", icon=":material/notifications:"),
            st.Page("app_pages/intraday.py", title="工程の推移", icon=":material/timeline:"),
            st.Page("app_pages/staffing.py", title="配置の推移", icon=":material/view_timeline:"),
        ],
        "記録と設定": [
            st.Page("app_pages/history.py", title="提案・承認履歴", icon=":material/history:"),
            st.Page("app_pages/knowledge.py", title="ナレッジ", icon=":material/menu_book:"),
            st.Page("app_pages/operators.py", title="オペレータ", icon=":material/groups:"),
            st.Page("app_pages/login.py", title="アカウント", icon=":material/account_circle:"),
        ],
    }

account_sidebar()
current = st.navigation(pages)
if st.session_state.pop(REDIRECT_KEY, False):
    st.switch_page(dashboard)
current.run()

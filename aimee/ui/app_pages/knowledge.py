"""ナレッジ: manager know-how; search shows what the chat would retrieve."""

import streamlit as st

from aimee.ui import state
from aimee.ui.components.errors import fetch
from aimee.ui.components.knowledge_view import (
    add_form,
    category_filter,
    doc_rows,
    edit_form,
    notice,
    search_preview,
)

st.title(":material/menu_book: ナレッジ（管理者ノウハウ）")
notice()

st.subheader("検索（チャットが参照する内容）")
search_preview()

page = fetch(state.client().knowledge)
docs = page.items if page is not None else []
st.subheader(f"一覧（{len(docs)}件）")
st.dataframe(doc_rows(category_filter(docs)), hide_index=True)

if state.can("admin"):
    add, edit = st.tabs(["追加", "編集・削除"])
    with add:
        add_form()
    with edit:
        edit_form(docs)
else:
    st.caption("ナレッジの追加・編集・削除は管理者が行えます。")

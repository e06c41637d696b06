"""Manager know-how: the list, the retrieval preview, and the admin's forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from aimee.ui import state
from aimee.ui.client import ApiError
from aimee.ui.components.errors import fetch, show_error
from aimee.ui.format import mdhm, similarity
from aimee.ui.models import KnowledgeDoc

RETRIEVERS = {"vector": "意味の近さ", "lexical": "キーワード", "bm25": "キーワード"}
"""How a hit was found, in words (a retriever without a label is not shown)."""
ALL = "すべて"


def doc_rows(docs: Sequence[KnowledgeDoc]) -> list[dict[str, Any]]:
    return [
        {
            "ID": d.document_id,
            "タイトル": d.title,
            "カテゴリ": d.category,
            "内容": d.content,
            "出典": d.source,
            "更新": mdhm(d.updated_at),
        }
        for d in docs
    ]


def search_preview() -> None:
    """What the chat would retrieve for a question."""
    query = st.text_input(
        "質問文（チャットが参照するノウハウを確認）",
        placeholder="例: 札幌のエントリ1工程が遅延しています",
        key="know_query",
    )
    k = st.slider("件数", 1, 10, 3, key="know_k")
    if not query.strip():
        return
    hits = fetch(lambda: state.client().search_knowledge(query.strip(), k=k))
    if hits is None:
        return
    if not hits:
        st.info("該当するノウハウはありません。")
    for hit in hits:
        found_by = "・".join(
            dict.fromkeys(RETRIEVERS[r] for r in hit.retrievers if r in RETRIEVERS)
        )
        with st.container(border=True):
            st.markdown(f"**{hit.title}**（{hit.category}）— 類似度 {similarity(hit.similarity)}")
            st.write(hit.content)
            st.caption(f"出典: {hit.source}" + (f" ・ 一致: {found_by}" if found_by else ""))


def _save(fields: dict[str, str], document_id: int | None, done: str) -> None:
    try:
        state.client().save_knowledge(fields, document_id)
    except ApiError as exc:
        show_error(exc)
        return
    st.session_state["know_notice"] = done
    st.rerun()


def _fields(prefix: str, doc: KnowledgeDoc | None) -> dict[str, str]:
    title = st.text_input("タイトル", value=doc.title if doc else "", key=f"{prefix}_title")
    category = st.text_input(
        "カテゴリ", value=doc.category if doc else "", key=f"{prefix}_category"
    )
    content = st.text_area(
        "内容", value=doc.content if doc else "", height=120, key=f"{prefix}_content"
    )
    source = st.text_input("出典", value=doc.source if doc else "管理者", key=f"{prefix}_source")
    return {"title": title, "category": category, "content": content, "source": source}


def add_form() -> None:
    with st.form("know_add_form", clear_on_submit=False):
        fields = _fields("know_add", None)
        if st.form_submit_button("追加", type="primary"):
            _save(fields, None, f"「{fields['title']}」を追加しました。")


def edit_form(docs: Sequence[KnowledgeDoc]) -> None:
    if not docs:
        return
    by_id = {d.document_id: d for d in docs}
    chosen = st.selectbox(
        "編集するノウハウ",
        list(by_id),
        format_func=lambda i: f"{i}: {by_id[i].title}",
        key="know_edit_id",
    )
    doc = by_id[int(chosen)]
    with st.form(f"know_edit_form_{doc.document_id}"):
        fields = _fields(f"know_edit_{doc.document_id}", doc)
        save, delete = st.columns(2)
        if save.form_submit_button("保存", type="primary"):
            _save(fields, doc.document_id, f"「{fields['title']}」を更新しました。")
        confirm = st.checkbox("削除を確認しました", key=f"know_delete_ok_{doc.document_id}")
        if delete.form_submit_button("削除"):
            if not confirm:
                st.warning("削除するには「削除を確認しました」にチェックしてください。")
            else:
                _delete(doc)


def _delete(doc: KnowledgeDoc) -> None:
    try:
        state.client().delete_knowledge(doc.document_id)
    except ApiError as exc:
        show_error(exc)
        return
    st.session_state["know_notice"] = f"「{doc.title}」を削除しました。"
    st.rerun()


def notice() -> None:
    message = st.session_state.pop("know_notice", None)
    if message:
        st.success(str(message))


def category_filter(docs: Sequence[KnowledgeDoc]) -> list[KnowledgeDoc]:
    categories = sorted({d.category for d in docs})
    chosen = st.selectbox("カテゴリ", [ALL, *categories], key="know_category")
    return [d for d in docs if chosen in (ALL, d.category)]

from __future__ import annotations

from aimee.knowledge.documents import KnowledgeDocumentData
from aimee.knowledge.lexical import LexicalIndex, LexicalMatch


def doc(number: int, title: str, content: str, category: str = "配置基準") -> KnowledgeDocumentData:
    return KnowledgeDocumentData(number, title, content, category, "テスト")


DOCS = [
    doc(1, "切替時間は5分を見込む", "工程を切り替えるとログインで処理が止まる。"),
    doc(2, "補正工程はLv3以上のみ", "差し戻し理由の判断が必要。", "スキル"),
    doc(3, "昼休憩", "12時から13時は処理量が落ちる。"),
    doc(4, "那覇の回線", "午後は回線が混み、処理速度が落ちる。", "拠点間連携"),
]


def keys(matches: list[LexicalMatch]) -> list[str]:
    return [match.key for match in matches]


def test_documents_are_ranked_by_shared_terms() -> None:
    index = LexicalIndex()
    index.rebuild(DOCS)

    matches = index.search("回線の処理速度が落ちた", n=10)

    assert keys(matches)[0] == "4"
    assert set(keys(matches)) == {"1", "3", "4"}  # 処理 / 落ちる are shared, 2 has none
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(m.score > 0 for m in matches)


def test_the_title_is_indexed() -> None:
    index = LexicalIndex()
    index.rebuild(DOCS)

    assert keys(index.search("昼休憩", n=10)) == ["3"]  # only in the title of 3


def test_width_variants_in_queries_match() -> None:
    index = LexicalIndex()
    index.rebuild(DOCS)

    assert keys(index.search("ＬＶ３", n=10)) == ["2"]


def test_n_limits_the_results() -> None:
    index = LexicalIndex()
    index.rebuild(DOCS)

    assert len(index.search("処理", n=2)) == 2
    assert index.search("処理", n=0) == []


def test_category_filter() -> None:
    index = LexicalIndex()
    index.rebuild(DOCS)

    assert keys(index.search("処理が落ちる", n=10, category="拠点間連携")) == ["4"]
    assert index.search("処理が落ちる", n=10, category="品質") == []


def test_unknown_terms_and_empty_index_give_nothing() -> None:
    index = LexicalIndex()
    assert index.search("処理", n=5) == []

    index.rebuild(DOCS)
    assert index.search("存在しない語彙ばかり", n=5) == []
    assert index.search("、。", n=5) == []


def test_upsert_adds_and_replaces_documents() -> None:
    index = LexicalIndex()
    index.rebuild(DOCS)

    index.upsert(doc(5, "夜間帯", "夜間はバッチ処理のため端末が重い。"))
    assert keys(index.search("夜間", n=10)) == ["5"]
    assert len(index) == 5

    index.upsert(doc(3, "昼休憩の交代", "交代で休む。"))
    assert index.search("13時", n=10) == []
    assert keys(index.search("交代", n=10)) == ["3"]
    assert len(index) == 5


def test_delete_removes_a_document() -> None:
    index = LexicalIndex()
    index.rebuild(DOCS)

    index.delete("4")
    index.delete("404")

    assert "4" not in keys(index.search("回線", n=10))
    assert len(index) == 3


def test_rebuild_replaces_everything() -> None:
    index = LexicalIndex()
    index.rebuild(DOCS)
    index.rebuild(DOCS[:1])

    assert len(index) == 1
    assert index.search("回線", n=10) == []

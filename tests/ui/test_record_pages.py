"""アラート, 提案・承認履歴, ナレッジ, オペレータ through AppTest against the live API."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from aimee.services.outcomes import RECORD_AFTER
from aimee.store.db import create_db_engine, session_factory
from aimee.store.models import ProgressSnapshot
from aimee.ui.client import ApiError
from tests.ui.conftest import LiveApi, open_app, pass_time

SAPPORO = "札幌のエントリ1工程が遅延しています"


def new_suggestion(api: LiveApi) -> str:
    """A pending suggestion made by the chat."""
    events = api.client("approver").chat_stream(SAPPORO, "records")
    return str(next(e.data["suggestion"]["id"] for e in events if e.kind == "meta"))


def test_history_filters_and_execution_status(api: LiveApi) -> None:
    approver = api.client("approver")
    suggestion_id = new_suggestion(api)
    approval = approver.act(suggestion_id, "approve", reason="履歴の確認")

    at = open_app(api, "approver", "history")
    assert not at.exception
    at.text_input(key="hist_suggestion_id").set_value(suggestion_id).run()
    table = at.dataframe[0].value
    assert list(table["提案ID"]) == [suggestion_id]
    row = table.iloc[0]
    assert (row["判断"], row["判断者"], row["実行状況"], row["判断理由"]) == (
        "承認",
        "ui-approver",
        "未実行",
        "履歴の確認",
    )
    moves = row["配置変更"]
    assert "→ 札幌のエントリ1（" in moves
    assert "札幌→札幌" not in moves and "札幌 → 札幌（" not in moves  # each origin is a queue
    at.selectbox(key="hist_exec_id").set_value(approval.approval_history_id).run()
    at.button(key="hist_exec_executing").click().run()
    assert not at.exception
    assert at.success[0].value == (
        f"履歴{approval.approval_history_id}の実行状況を「実行中」にしました。"
    )
    assert at.dataframe[0].value.iloc[0]["実行状況"] == "実行中"
    at.selectbox(key="hist_action").set_value("rejected").run()
    assert "条件に合う承認履歴はありません。" in [i.value for i in at.info]
    assert at.dataframe[0].value.columns[1] == "提案ID"  # only the suggestions tab's grid


def waiting_at(api: LiveApi, queue: tuple[str, str, str], deadline: datetime) -> int:
    """The queue's tasks left at its last snapshot up to the deadline, read from the
    database the floor wrote (what the history's 実績 must show)."""
    engine = create_db_engine(api.database_url)
    with session_factory(engine)() as session:
        waiting = session.scalars(
            select(ProgressSnapshot.total_waiting)
            .where(
                ProgressSnapshot.location_name == queue[0],
                ProgressSnapshot.business_id == queue[1],
                ProgressSnapshot.process_name == queue[2],
                ProgressSnapshot.snapshot_time <= deadline,
            )
            .order_by(ProgressSnapshot.snapshot_time.desc())
            .limit(1)
        ).one()
    engine.dispose()
    return int(waiting or 0)


def test_history_shows_predicted_vs_actual_after_the_deadline(own_api: LiveApi) -> None:
    approver = own_api.client("approver")
    suggestion_id = new_suggestion(own_api)
    approval = approver.act(suggestion_id, "approve")
    (target,) = [o for o in approval.outcomes if o.role == "target"]
    at = open_app(own_api, "viewer", "history")
    at.text_input(key="hist_suggestion_id").set_value(suggestion_id).run()
    assert at.dataframe[0].value.iloc[0]["結果（予測→実績）"] == "納期後に記録"
    for status in ("executing", "completed"):
        approver.set_execution(approval.approval_history_id, status)

    assert pass_time(own_api, target.deadline + RECORD_AFTER) >= 1
    actual = waiting_at(own_api, ("札幌", "523201", "エントリ1"), target.deadline)
    at.run()
    assert not at.exception
    predicted = round(target.predicted_late)
    assert at.dataframe[0].value.iloc[0]["結果（予測→実績）"] == (
        f"遅延 予測{predicted}件→実績{actual}件"
    )
    outcomes = at.dataframe[1].value
    row = outcomes[outcomes["役割"].str.startswith("応援先")].iloc[0]
    assert (row["工程"], row["遅延 予測"], row["遅延 実績"], row["状態"]) == (
        "札幌/523201/エントリ1",
        f"{predicted}件",
        f"{actual}件",
        "記録済み",
    )
    assert row["差（実績−予測）"] == (
        "±0件" if actual == predicted else f"{actual - predicted:+d}件"
    )
    assert row["役割"] == f"応援先（{target.operators_moved}名）"
    waiting = outcomes[outcomes["状態"] == "納期後に記録"]  # donors with later deadlines
    assert len(waiting) == len(
        [o for o in approval.outcomes if o.deadline > target.deadline + RECORD_AFTER]
    )


def test_history_lists_suggestions_by_status(api: LiveApi) -> None:
    pending = new_suggestion(api)
    at = open_app(api, "viewer", "history")
    at.selectbox(key="hist_suggestion_status").set_value("pending").run()
    (table,) = [d.value for d in at.dataframe if "有効期限" in d.value.columns]  # the 提案 tab
    assert pending in list(table["提案ID"])
    assert set(table["状態"]) == {"承認待ち"}
    at.selectbox(key="hist_suggestion_pick").set_value(pending).run()
    assert f"配置変更提案 `{pending}`" in "\n".join(str(m.value) for m in at.markdown)
    assert "hist_exec_id" not in [s.key for s in at.selectbox]  # viewers do not update execution


def test_knowledge_search_shows_what_the_chat_retrieves(api: LiveApi) -> None:
    at = open_app(api, "viewer", "knowledge")
    total = api.client("viewer").knowledge().total
    assert at.subheader[1].value == f"一覧（{total}件）"
    assert len(at.dataframe[0].value) == total
    at.text_input(key="know_query").set_value(SAPPORO).run()
    shown = [m.value for m in at.markdown if "類似度" in str(m.value)]
    hits = api.client("viewer").search_knowledge(SAPPORO, k=3)
    assert shown == [f"**{h.title}**（{h.category}）— 類似度 {h.similarity:.2f}" for h in hits]
    assert len(shown) == 3
    assert "ナレッジの追加・編集・削除は管理者が行えます。" in [c.value for c in at.caption]


def test_an_admin_adds_edits_and_deletes_know_how(api: LiveApi) -> None:
    at = open_app(api, "admin", "knowledge")
    at.text_input(key="know_add_title").set_value("UIテストの心得")
    at.text_input(key="know_add_category").set_value("テスト")
    at.text_area(key="know_add_content").set_value("画面から追加したノウハウ。")
    submit = next(b for b in at.get("form_submit_button") if b.label == "追加")
    submit.click().run()
    assert not at.exception
    assert at.success[0].value == "「UIテストの心得」を追加しました。"
    added = next(d for d in api.client("viewer").knowledge().items if d.title == "UIテストの心得")

    at.selectbox(key="know_edit_id").set_value(added.document_id).run()
    at.text_input(key=f"know_edit_{added.document_id}_title").set_value("UIテストの心得（改）")
    save = next(b for b in at.get("form_submit_button") if b.label == "保存")
    save.click().run()
    assert at.success[0].value == "「UIテストの心得（改）」を更新しました。"

    at.selectbox(key="know_edit_id").set_value(added.document_id).run()
    delete = next(b for b in at.get("form_submit_button") if b.label == "削除")
    delete.click().run()
    assert at.warning[0].value.startswith("削除するには")
    at.checkbox(key=f"know_delete_ok_{added.document_id}").check()
    next(b for b in at.get("form_submit_button") if b.label == "削除").click().run()
    assert at.success[0].value == "「UIテストの心得（改）」を削除しました。"
    assert all(d.document_id != added.document_id for d in api.client("viewer").knowledge().items)


def test_skill_matrix_filters_by_site_and_process(api: LiveApi) -> None:
    at = open_app(api, "viewer", "operators")
    assert at.caption[0].value.startswith("139名")
    at.selectbox(key="ops_site").set_value("盛岡").run()
    at.multiselect(key="ops_processes").set_value(["エントリ1"]).run()
    at.slider(key="ops_min_level").set_value(4).run()
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["エントリ1"]
    rows = spec["layer"][0]["encoding"]["y"]["sort"]
    assert rows and all(name.endswith("（盛岡）") for name in rows)
    assert "高山麻由子（盛岡）" in rows
    operators = {op.operator_name: op for op in api.client("viewer").operators(location="盛岡")}
    for row in rows:
        skills = {
            s.process_name: s.skill_level for s in operators[row.removesuffix("（盛岡）")].skills
        }
        assert skills["エントリ1"] >= 4


def test_alerts_by_severity_acknowledge_and_suggest(api: LiveApi) -> None:
    live = api.client("viewer").alerts().items
    assert live, "the fixture's scan found alerts on the demo day"
    at = open_app(api, "approver", "alerts")
    assert not at.exception
    high = [a for a in live if a.severity == "high"]
    assert {m.label: m.value for m in at.metric}[":red[:material/error:] 重要度 高"] == (
        f"{len(high)}件"
    )
    # an alert whose queue has no open plan yet (other tests may have planned some)
    target = next(a for a in live if a.open_suggestion_id is None and a.status == "open")
    at.button(key=f"alerts_ack_{target.alert_id}").click().run()
    assert not at.exception
    seen = next(a for a in api.client("viewer").alerts().items if a.alert_id == target.alert_id)
    assert (seen.status, seen.acknowledged_by) == ("acknowledged", "ui-approver")
    at.button(key=f"alerts_suggest_{target.alert_id}").click().run()
    assert not at.exception
    assert any("配置変更提案" in str(m.value) for m in at.markdown)
    assert f"alerts_card_{target.alert_id}_approve" in [b.key for b in at.button]


def test_a_viewer_acknowledges_but_does_not_create_suggestions(api: LiveApi) -> None:
    at = open_app(api, "viewer", "alerts")
    keys = [str(b.key) for b in at.button]
    assert any(k.startswith("alerts_ack_") for k in keys)
    without = [a for a in api.client("viewer").alerts().items if not a.open_suggestion_id]
    assert all(f"alerts_suggest_{a.alert_id}" not in keys for a in without)


def test_an_alert_with_an_open_plan_shows_it_instead_of_a_new_one(own_api: LiveApi) -> None:
    api = own_api
    for _ in api.client("approver").chat_stream("那覇のエントリ2が遅れてる", "alerts-open-plan"):
        pass
    alert = next(
        a
        for a in api.client("viewer").alerts().items
        if (a.location, a.process) == ("那覇", "エントリ2")
    )
    assert alert.open_suggestion_id is not None
    at = open_app(api, "viewer", "alerts")
    button = at.button(key=f"alerts_suggest_{alert.alert_id}")
    assert button.label == "提案を表示"
    button.click().run()
    assert any(f"`{alert.open_suggestion_id}`" in str(m.value) for m in at.markdown)


def test_pages_offer_downloads_fetched_on_click(api: LiveApi) -> None:
    expected = {
        "operators": [
            "オペレータ一覧をダウンロード（CSV）",
            "オペレータ一覧をダウンロード（Excel）",
            "スキル一覧をダウンロード（CSV）",
            "スキル一覧をダウンロード（Excel）",
        ],
        "alerts": ["アラート履歴をダウンロード（CSV）", "アラート履歴をダウンロード（Excel）"],
        "history": [
            "承認履歴をダウンロード（CSV）",
            "承認履歴をダウンロード（Excel）",
            "予測と実績をダウンロード（CSV）",
            "予測と実績をダウンロード（Excel）",
            "提案をダウンロード（CSV）",
            "提案をダウンロード（Excel）",
        ],
    }
    for page, labels in expected.items():
        at = open_app(api, "viewer", page)
        assert not at.exception
        buttons = at.get("download_button")
        assert [b.proto.label for b in buttons] == labels
        assert all(b.proto.deferred_file_id for b in buttons)  # nothing fetched until clicked


def test_downloads_come_from_the_api(api: LiveApi) -> None:
    viewer = api.client("viewer")
    sheet = load_workbook(io.BytesIO(viewer.export("operators", "xlsx")), read_only=True)
    rows = list(sheet.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("operator_id", "operator_name", "location_name", "is_valid")
    assert len(rows) == 1 + len(viewer.operators()) + 1  # the one former operator is exported too
    with pytest.raises(ApiError, match="期間で絞り込めません"):
        viewer.export("operators", "csv", **{"from": "2025-10-23"})


def test_the_skill_table_shows_a_dash_where_there_is_no_skill(api: LiveApi) -> None:
    at = open_app(api, "viewer", "operators")
    table = at.dataframe[0].value
    levels = table[["エントリ1", "エントリ2", "補正", "検証"]]
    assert not levels.isna().any().any()  # no 「None」 cells
    assert (levels == "—").any().any()
    assert set(levels.stack()) <= {"—", "1", "2", "3", "4", "5"}


def test_an_empty_history_says_so_in_japanese(api: LiveApi) -> None:
    at = open_app(api, "viewer", "history")
    at.text_input(key="hist_suggestion_id").set_value("SGT-NONE").run()
    assert at.caption[0].value == "0件"
    assert "条件に合う承認履歴はありません。" in [i.value for i in at.info]
    assert not [d for d in at.dataframe if d.value.empty]  # no grid that says "empty"


def test_the_skill_matrix_lists_people_in_50_sound_order(api: LiveApi) -> None:
    at = open_app(api, "viewer", "operators")
    at.selectbox(key="ops_site").set_value("盛岡").run()
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    rows = [name.removesuffix("（盛岡）") for name in spec["layer"][0]["encoding"]["y"]["sort"]]
    readings = {op.operator_name: op.reading for op in api.client("viewer").operators()}
    assert rows == sorted(rows, key=readings.__getitem__)
    assert rows != sorted(rows)  # by reading, not by the kanji's code points
    assert rows.index("高山麻由子") < rows.index("竹下朱美")  # たかやま < たけした

"""配置の推移 through AppTest against a live API of its own: an approved plan's
people appear as planned moves, and once carried out as today's moves."""

from __future__ import annotations

import json

from tests.ui.conftest import LiveApi, open_app
from tests.ui.test_record_pages import new_suggestion


def test_planned_then_carried_out(own_api: LiveApi) -> None:
    approver = own_api.client("approver")
    at = open_app(own_api, "viewer", "staffing")
    assert not at.exception
    assert any("本日の移動も、実行前の移動予定もありません" in str(i.value) for i in at.info)

    suggestion_id = new_suggestion(own_api)
    approval = approver.act(suggestion_id, "approve")
    moved = {name for c in approver.suggestion(suggestion_id).changes for name in c.operators}
    at.run()
    table = at.dataframe[0].value
    assert set(table["状態"]) == {f"予定（提案 {suggestion_id}）"}
    assert {name.split("（")[0] for name in table["オペレータ"]} == moved
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    planned_rows = {v["人"].split("（")[0] for v in spec["layer"][1]["data"]["values"]}
    assert planned_rows == moved

    for status in ("executing", "completed"):
        approver.set_execution(approval.approval_history_id, status)
    at.run()
    table = at.dataframe[0].value
    # with loans (on by default) the helpers are also due back at 札幌's deadline
    done = table[table["状態"] == "実行済み"]
    assert set(table["状態"]) - {"実行済み"} <= {f"戻り予定（提案 {suggestion_id}）"}
    assert set(done["移動先"]) == {"札幌のエントリ1（523201）"}
    assert {name.split("（")[0] for name in done["オペレータ"]} == moved

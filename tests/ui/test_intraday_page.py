"""工程の推移 through AppTest against the live API: the most urgent queue first, its
volumes per 15 minutes next to the forecast, and the waiting tasks to the deadline."""

from __future__ import annotations

import json

from tests.ui.conftest import LiveApi, open_app


def test_the_most_urgent_queue_forecast_vs_actual(api: LiveApi) -> None:
    viewer = api.client("viewer")
    urgent = viewer.progress()[0]
    day = viewer.queue_day(urgent.location, urgent.business_id, urgent.process)
    at = open_app(api, "viewer", "intraday")
    assert not at.exception
    assert at.selectbox(key="intraday_queue").value == "札幌のエントリ1（業務523201・SS）"
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert [spec["title"] for spec in specs] == [
        "到着件数（15分ごと）",
        "処理件数（15分ごと）",
        "待ち件数（実績と見込み）",
    ]
    now_line = specs[2]["layer"][1]["data"]["values"][0]
    assert now_line["ラベル"] == "現在 15:40"
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "の時点で約" in text and "件が残る見込みです" in text
    table = at.dataframe[0].value
    assert len(table) == len(day.intervals)
    latest = day.intervals[-1]
    assert table.iloc[0]["処理 実績"] == str(latest.processed)  # the latest interval first
    assert table.iloc[0]["区間末の残件数"] == str(latest.waiting_end)
    assert latest.waiting_end == urgent.waiting

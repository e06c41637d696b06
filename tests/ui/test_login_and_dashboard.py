"""ログイン and ダッシュボード through AppTest against the live API."""

from __future__ import annotations

import json

from aimee.ui.client import ApiClient, make_http
from aimee.ui.state import CLIENT_KEY, USER_KEY
from tests.ui.conftest import LiveApi, open_app


def texts(at: object) -> str:
    """Every markdown, caption, error and title text on the page."""
    parts = []
    for kind in ("title", "markdown", "caption", "error", "warning", "success", "info"):
        parts += [str(element.value) for element in getattr(at, kind)]
    return "\n".join(parts)


def test_login_with_a_token_opens_the_dashboard(api: LiveApi) -> None:
    at = open_app(api, None)
    assert [b.label for b in at.get("form_submit_button")] == ["ログイン"]
    at.text_input(key="login_token").set_value(api.tokens["approver"])
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state[USER_KEY].role == "approver"
    assert "ダッシュボード" in texts(at)
    assert "ui-approver" in texts(at)


def test_a_wrong_token_is_refused_in_japanese(api: LiveApi) -> None:
    at = open_app(api, None)
    at.text_input(key="login_token").set_value("aimee_not-a-real-token")
    at.button[0].click().run()
    assert USER_KEY not in at.session_state
    assert [e.value for e in at.error] == ["トークンが正しくないか、失効しています。"]


def test_dashboard_shows_every_queue_with_its_forecast(api: LiveApi) -> None:
    at = open_app(api, "viewer", "dashboard")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 32
    progress = api.client("viewer").progress()  # the API's order: most urgent first
    assert [(r["拠点"], r["業務"], r["工程"]) for _, r in table.iterrows()] == [
        (q.location, q.business_id, q.process) for q in progress
    ]
    first = table.iloc[0]  # high, and the nearest deadline among the high ones
    assert (first["拠点"], first["業務"], first["工程"]) == ("札幌", "523201", "エントリ1")
    sapporo = first
    assert sapporo["待ち件数"] == 120
    assert sapporo["納期"] == "16:00"
    assert sapporo["完了見込み"] == "16:04"
    assert sapporo["遅延見込み（件）"] == 20
    assert sapporo["重要度"] == "高"
    assert sapporo["状況"] == "納期時点で約20件が残る見込み"
    labels = {"high": "高", "medium": "中", "low": "低", None: "なし"}
    assert list(table["重要度"]) == [labels[q.severity] for q in progress]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["最新の進捗"] == "15:40"
    total = sum(q.late_tasks_at_deadline or 0 for q in progress)
    assert metrics["全体の遅延見込み（納期時点）"] == f"{total:,}件"
    raised = [a.severity for q in progress for a in q.alerts]
    counts = " / ".join(str(raised.count(s)) for s in ("high", "medium", "low"))
    assert metrics["アラート 高 / 中 / 低"] == f"{counts} 件"


def test_dashboard_charts_come_from_the_api(api: LiveApi) -> None:
    at = open_app(api, "viewer", "dashboard")
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert specs[0]["layer"][0]["mark"]["type"] == "rect"  # the site x process heatmap
    assert any("緑のセル: 納期に間に合う見込み" in str(c.value) for c in at.caption)
    burndowns = {s["title"]: s["layer"] for s in specs[1:]}
    table = at.dataframe[0].value
    riskiest = [f"{r['拠点']}/{r['業務']}/{r['工程']}" for _, r in table.head(4).iterrows()]
    assert set(burndowns) == set(riskiest)  # the four riskiest queues of the table
    naha = burndowns["那覇/523201/エントリ1"]
    row = table[(table["拠点"] == "那覇") & (table["工程"] == "エントリ1")].iloc[0]
    values = naha[0]["data"]["values"]
    actual = [v for v in values if v["系列"] == "実績"]
    assert actual[0]["時刻"] >= "2025-10-23T13:40:00"  # the last two hours
    assert actual[0]["時刻"] <= "2025-10-23T14:00:00"
    assert actual[-1] == {
        "時刻": "2025-10-23T15:40:00",
        "待ち件数": row["待ち件数"],
        "系列": "実績",
    }
    projected = [v for v in values if v["系列"] != "実績"]
    assert projected[0] == {
        "時刻": "2025-10-23T15:40:00",
        "待ち件数": row["待ち件数"],
        "系列": projected[0]["系列"],
    }
    assert projected[-1]["待ち件数"] == 0
    assert projected[-1]["時刻"][11:16] == row["完了見込み"]
    assert naha[1]["data"]["values"][0]["納期"] == "2025-10-23T18:20:00"
    domains = {
        tuple(layers[0]["encoding"]["x"]["scale"]["domain"]) for layers in burndowns.values()
    }
    assert len(domains) == 1  # one time axis for every panel
    ((start, end),) = domains
    assert start == "2025-10-23T13:40:00"
    assert end >= "2025-10-23T18:20:00"  # past the last deadline shown
    now_lines = [layers[-2]["data"]["values"][0]["時刻"] for layers in burndowns.values()]
    assert set(now_lines) == {"2025-10-23T15:40:00"}


def test_the_dashboard_says_so_when_the_api_is_down(api: LiveApi) -> None:
    at = open_app(api, "viewer")
    at.session_state[CLIENT_KEY] = ApiClient(make_http("http://127.0.0.1:9"), "aimee_x")
    at.switch_page("app_pages/dashboard.py").run()
    assert not at.exception
    assert "APIサーバー（http://127.0.0.1:9）に接続できません" in at.error[0].value
    assert USER_KEY in at.session_state


def test_the_board_filters_by_site_business_and_process(api: LiveApi) -> None:
    at = open_app(api, "viewer", "dashboard")
    at.selectbox(key="board_site").set_value("札幌").run()
    table = at.dataframe[0].value
    progress = api.client("viewer").progress()
    expected = [(q.location, q.business_id, q.process) for q in progress if q.location == "札幌"]
    assert [(r["拠点"], r["業務"], r["工程"]) for _, r in table.iterrows()] == expected
    at.selectbox(key="board_process").set_value("エントリ1").run()
    # each business offered by its id and the name the master data gives it
    assert "523202（KP）" in at.selectbox(key="board_business").options
    at.selectbox(key="board_business").set_value("523201").run()
    assert [tuple(r[["拠点", "業務", "工程"]]) for _, r in at.dataframe[0].value.iterrows()] == [
        ("札幌", "523201", "エントリ1")
    ]

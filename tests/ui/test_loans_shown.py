"""Loans and shift ends where decisions are made, with loans on (AIMEE_PLAN_LOANS): the
card says until when each helper helps and where they go back to, and when their shift
ends; 配置の推移 shows the moves ahead (the loan, the way back) and, once carried out,
the return at the loan's end. Through a live API and AppTest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from aimee.config import Settings
from aimee.services.planning import suggest_for
from aimee.services.policy import Policy
from aimee.services.scenarios import ScenarioFilter
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.ui.format import change_schedule
from aimee.ui.models import Change, PlannedMove, QueueRef, StaffSegment, StaffTimeline
from aimee.ui.staffing_charts import planned_bars, timeline_chart
from aimee.ui.state import API_URL_ENV
from tests.conftest import DEMO_NOW
from tests.ui.conftest import LiveApi, demo_api, open_app

UMEDA = ScenarioFilter("梅田", "523202", "エントリ1")  # deadline 17:10
AT = {h: datetime(2025, 10, 23, h) for h in (17, 18, 21)}
LOAN_END = datetime(2025, 10, 23, 17, 10)


@pytest.fixture
def loans_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveApi]:
    """A live API with loans on, on a demo day of its own."""
    for api in demo_api(tmp_path, plan_loans=True):
        monkeypatch.setenv(API_URL_ENV, api.url)
        yield api


def _umeda_suggestion(api: LiveApi) -> str:
    """The plan for 梅田/523202/エントリ1 the chat or an alert would make, stored pending."""
    engine = create_db_engine(api.database_url)
    policy = Policy.from_settings(Settings.model_construct(plan_loans=True))
    with transaction(session_factory(engine)) as session:
        focused = suggest_for(session, UMEDA, now=DEMO_NOW, policy=policy, created_by="ui-approver")
        assert focused is not None and focused.suggestion is not None
        found = focused.suggestion.id
    engine.dispose()
    return found


def test_a_change_states_the_loan_and_the_shift_ends() -> None:
    change = Change.model_validate(
        {
            "from": "梅田",
            "from_business_id": "523202",
            "from_process": "補正",
            "to": "梅田",
            "process": "エントリ1",
            "business_id": "523202",
            "count": 2,
            "operators": ["鈴木直美", "佐藤花子"],
            "operator_ids": [1, 2],
            "until": LOAN_END.isoformat(),
            "shift_ends": [AT[21].isoformat(), AT[17].isoformat()],
        }
    )
    assert change_schedule(change) == [
        "鈴木直美さん: 17:10まで応援、その後補正へ戻る（勤務は21:00まで）",
        "佐藤花子さん: 勤務終了の17:00まで応援（補正へは戻りません）",
    ]
    other_site = change.model_copy(update={"from_": "札幌", "shift_ends": []})
    assert change_schedule(other_site)[0] == "鈴木直美さん: 17:10まで応援、その後札幌の補正へ戻る"
    permanent = change.model_copy(update={"until": None})
    assert change_schedule(permanent) == [
        "鈴木直美さん: 移動先で勤務終了の21:00まで",
        "佐藤花子さん: 移動先で勤務終了の17:00まで",
    ]
    assert change_schedule(change.model_copy(update={"until": None, "shift_ends": []})) == []


def test_the_moves_ahead_as_bars() -> None:
    umeda_fix = QueueRef(location="梅田", business_id="523202", process="補正")
    umeda_e1 = QueueRef(location="梅田", business_id="523202", process="エントリ1")
    found = StaffTimeline(
        day_start=datetime(2025, 10, 23, 9),
        now=DEMO_NOW,
        segments=[],
        planned=[
            PlannedMove(
                operator_id=1,
                name="鈴木直美",
                home="梅田",
                source=umeda_fix,
                target=umeda_e1,
                suggestion_id="S1",
                until=LOAN_END,
                returns=True,
                shift_end=AT[21],
            )
        ],
    )
    bars = planned_bars(found)
    assert [(b["工程"], b["開始"], b["終了"]) for b in bars] == [
        (umeda_e1.label, DEMO_NOW.isoformat(), LOAN_END.isoformat()),  # on loan until 17:10
        (umeda_fix.label, LOAN_END.isoformat(), AT[21].isoformat()),  # back until 21:00
    ]
    assert (
        bars[0]["時間帯"] == "予定: 17:10まで応援、その後補正へ戻る（勤務は21:00まで）（提案 S1）"
    )


def test_the_card_and_the_timeline_show_the_loan(loans_api: LiveApi) -> None:
    suggestion_id = _umeda_suggestion(loans_api)
    approver = loans_api.client("approver")
    card = approver.suggestion(suggestion_id)
    assert card.changes and all(c.until == LOAN_END for c in card.changes)
    lines = [line for c in card.changes for line in change_schedule(c)]
    # the demo's 鈴木直美 leaves 梅田's 補正 for its エントリ1 until 17:10 and goes back
    assert "鈴木直美さん: 17:10まで応援、その後補正へ戻る（勤務は21:00まで）" in lines
    leaving_first = [
        name
        for c in card.changes
        for name, end in zip(c.operators, c.shift_ends, strict=True)
        if end is not None and end <= LOAN_END
    ]
    for name in leaving_first:  # nobody is counted on (or sent back) after going home
        assert any(line.startswith(f"{name}さん: 勤務終了の") for line in lines)

    at = open_app(loans_api, "approver", "history")
    assert not at.exception
    at.selectbox(key="hist_suggestion_status").set_value("pending").run()
    at.selectbox(key="hist_suggestion_pick").set_value(suggestion_id).run()
    shown = "\n".join(str(m.value) for m in at.markdown)
    assert "**応援の期間・勤務終了**" in shown
    for line in lines:
        assert f"- {line}" in shown

    approval = approver.act(suggestion_id, "approve")
    at = open_app(loans_api, "viewer", "staffing")
    assert not at.exception
    table = at.dataframe[0].value
    notes = dict(zip(table["オペレータ"], table["応援・勤務"], strict=True))
    suzuki = next(v for k, v in notes.items() if k.startswith("鈴木直美"))
    assert suzuki == "17:10まで応援、その後補正へ戻る（勤務は21:00まで）"
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    ahead = spec["layer"][1]["data"]["values"]
    back = [
        v for v in ahead if v["人"].startswith("鈴木直美") and v["開始"] == LOAN_END.isoformat()
    ]
    assert [v["工程"] for v in back] == ["梅田の補正（523202）"]

    for status in ("executing", "completed"):
        approver.set_execution(approval.approval_history_id, status)
    at.run()
    table = at.dataframe[0].value
    returns = table[table["状態"] == f"戻り予定（提案 {suggestion_id}）"]
    suzuki_back = returns[returns["オペレータ"].str.startswith("鈴木直美")]
    assert list(suzuki_back["時刻"]) == ["17:10"]
    assert list(suzuki_back["移動先"]) == ["梅田の補正（523202）"]


def test_a_loan_ahead_is_drawn_in_the_colour_of_the_queue_it_goes_to() -> None:
    """The bars worked and the moves ahead share one mapping of queue to colour (each
    Vega-Lite channel has its own scale: unshared, the loan took the home queue's)."""
    sapporo = QueueRef(location="札幌", business_id="523201", process="補正")
    shinagawa = QueueRef(location="品川", business_id="523202", process="補正")
    found = StaffTimeline(
        day_start=datetime(2025, 10, 23, 9),
        now=DEMO_NOW,
        segments=[
            StaffSegment(
                operator_id=1,
                name="坂本隆",
                home="札幌",
                queue=sapporo,
                start=datetime(2025, 10, 23, 9),
                end=DEMO_NOW,
                ongoing=True,
            )
        ],
        planned=[
            PlannedMove(
                operator_id=1,
                name="坂本隆",
                home="札幌",
                source=sapporo,
                target=shinagawa,
                suggestion_id="S2",
                until=LOAN_END,
                returns=True,
                shift_end=AT[21],
            )
        ],
    )
    worked, ahead, _ = timeline_chart(found, [("坂本隆", "札幌")])["layer"]

    def colour(channel: dict[str, Any], label: str) -> str:
        scale = channel["scale"]
        return str(scale["range"][scale["domain"].index(label)])

    drawn = worked["encoding"]["color"]
    assert colour(drawn, shinagawa.label) != colour(drawn, sapporo.label)
    for channel in ("fill", "stroke"):
        assert colour(ahead["encoding"][channel], shinagawa.label) == colour(drawn, shinagawa.label)
    bars = {b["工程"] for b in ahead["data"]["values"]}
    assert bars == {shinagawa.label, sapporo.label}  # on loan, then back home

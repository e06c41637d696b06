"""One wording of a loan (応援) and a shift end on every surface of the dashboard: the card's
応援の期間, 配置の推移's table and its chart's moves ahead, and the card's 今後の予定."""

from __future__ import annotations

from datetime import datetime

from aimee.ui.format import (
    change_schedule,
    intended_note,
    loan_note,
    place_back,
    planned_note,
    return_note,
    step_period,
)
from aimee.ui.models import Change, IntendedMove, PlannedMove, QueueRef, StaffTimeline, TimelineStep
from aimee.ui.staffing_charts import intended_bars, planned_bars, timeline_chart

NOW = datetime(2025, 10, 23, 15, 40)
AT = {t: datetime(2025, 10, 23, *map(int, t.split(":"))) for t in ("16:25", "17:00", "17:10")}
NINE = datetime(2025, 10, 23, 21, 0)
FIX = QueueRef(location="梅田", business_id="523202", process="補正")
E1 = QueueRef(location="梅田", business_id="523202", process="エントリ1")
SAPPORO_FIX = QueueRef(location="札幌", business_id="523201", process="補正")


def test_the_one_wording() -> None:
    assert (
        loan_note(AT["17:10"], "補正", NINE) == "17:10まで応援、その後補正へ戻る（勤務は21:00まで）"
    )
    assert loan_note(AT["17:10"], "補正", None) == "17:10まで応援、その後補正へ戻る"
    assert loan_note(AT["17:10"], "補正", AT["17:00"]) == (
        "勤務終了の17:00まで応援（補正へは戻りません）"
    )
    assert loan_note(None, "", NINE) == "移動先で勤務終了の21:00まで"
    assert loan_note(None, "", None) == ""
    assert return_note(AT["17:10"], "補正", NINE) == "17:10に補正へ戻る（勤務は21:00まで）"
    assert place_back("梅田", "補正", "梅田") == "補正"
    assert place_back("札幌", "補正", "梅田") == "札幌の補正"
    assert place_back("待機", None, "梅田") == ""


def _change(until: datetime | None, ends: list[datetime | None]) -> Change:
    return Change.model_validate(
        {
            "from": "梅田",
            "from_business_id": "523202",
            "from_process": "補正",
            "to": "梅田",
            "process": "エントリ1",
            "business_id": "523202",
            "count": len(ends),
            "operators": ["鈴木直美", "佐藤花子"][: len(ends)],
            "until": until,
            "shift_ends": ends,
        }
    )


def _planned(
    until: datetime | None, end: datetime | None, at: datetime | None = None
) -> PlannedMove:
    return PlannedMove(
        operator_id=1,
        name="佐藤花子",
        home="梅田",
        source=FIX if at is None else E1,
        target=E1 if at is None else FIX,
        suggestion_id="S1",
        at=at,
        until=until,
        returns=until is not None and (end is None or until < end),
        shift_end=end,
    )


def test_the_card_the_table_and_the_chart_say_a_loan_the_same_way() -> None:
    for end in (NINE, AT["17:00"]):  # goes back; or goes home first
        (card,) = change_schedule(_change(AT["17:10"], [end]))
        move = _planned(AT["17:10"], end)
        table = planned_note(move)
        (bar, *_) = planned_bars(StaffTimeline(day_start=NOW, now=NOW, segments=[], planned=[move]))
        assert card == f"鈴木直美さん: {table}"
        assert bar["時間帯"] == f"予定: {table}（提案 S1）"
    assert "戻りなし" not in planned_note(_planned(AT["17:10"], AT["17:00"]))
    # a loan carried out: its return
    back = _planned(None, NINE, at=AT["17:10"])
    assert planned_note(back) == "17:10に補正へ戻る（勤務は21:00まで）"
    (bar,) = planned_bars(StaffTimeline(day_start=NOW, now=NOW, segments=[], planned=[back]))
    assert bar["時間帯"] == "予定: 17:10に補正へ戻る（勤務は21:00まで）（提案 S1）"


def _step(**kw: object) -> TimelineStep:
    fields = {
        "at": AT["16:25"],
        "operator": "坂本誠",
        "operator_id": 7,
        "from": "札幌",
        "from_business_id": "523201",
        "from_process": "補正",
        "to": "梅田",
        "business_id": "523202",
        "process": "エントリ1",
        "shift_end": NINE,
    }
    return TimelineStep.model_validate({**fields, **kw})


def test_the_period_of_a_later_move() -> None:
    loan = _step(until=AT["17:10"], back=True)
    assert step_period(loan) == "17:10まで応援、その後札幌の補正へ戻る（勤務は21:00まで）"
    assert step_period(_step(until=AT["17:10"])) == "17:10まで（その後は次の予定）"
    idle = _step(until=AT["17:10"], idle_after=True)  # the plan has nothing after it
    assert step_period(idle) == "17:10まで（その後の予定なし）"
    assert step_period(_step(until=AT["17:10"], shift_end=AT["17:00"])) == "勤務終了の17:00まで"
    assert step_period(_step()) == "勤務終了の21:00まで"
    assert step_period(_step(returning=True, shift_end=None)) == "元の担当に戻り、そのまま"
    # back home, then out again at 17:10: no loan to go back from
    again = _step(returning=True, until=AT["17:10"], back=True)
    assert step_period(again) == "元の担当に戻り、17:10まで（その後は次の予定）"
    assert loan.route == "札幌の補正 → 梅田のエントリ1"
    other_business = _step(**{"from": "梅田"}, from_process="エントリ1", from_business_id="523201")
    assert other_business.route == "梅田のエントリ1（523201） → 梅田のエントリ1（523202）"


def test_intended_moves_are_drawn_apart_from_approved_ones() -> None:
    move = IntendedMove(
        operator_id=7,
        name="坂本誠",
        home="札幌",
        source=SAPPORO_FIX,
        target=E1,
        suggestion_id="S9",
        at=AT["16:25"],
        until=AT["17:10"],
        back=True,
        first=False,
        shift_end=NINE,
    )
    assert intended_note(move) == "17:10まで応援、その後札幌の補正へ戻る（勤務は21:00まで）"
    found = StaffTimeline(day_start=NOW, now=NOW, segments=[], planned=[], intended=[move])
    (bar,) = intended_bars(found)
    assert (bar["開始"], bar["終了"]) == (AT["16:25"].isoformat(), AT["17:10"].isoformat())
    assert bar["時間帯"].startswith("今後の予定（案）: 16:25 札幌の補正（523201） → ")
    layers = timeline_chart(found, [("坂本誠", "札幌")])["layer"]
    assert len(layers) == 4
    approved, intended = layers[1]["mark"], layers[2]["mark"]
    assert intended["strokeDash"] != approved["strokeDash"]
    assert intended["fillOpacity"] < approved["fillOpacity"]
    assert layers[2]["data"]["values"] == [bar]
    without = StaffTimeline(day_start=NOW, now=NOW, segments=[], planned=[])
    assert len(timeline_chart(without, [])["layer"]) == 3

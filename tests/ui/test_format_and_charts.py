"""Queue situations, severity counts and chart specifications from given API figures."""

from __future__ import annotations

from datetime import datetime

from aimee.ui.charts import burndown, lateness_heatmap, ordered, skill_matrix
from aimee.ui.format import floor_total, queue_situation, severity_counts
from aimee.ui.models import (
    OperatorInfo,
    QueueHistory,
    QueueProgress,
    RaisedAlert,
    Skill,
    SnapshotPoint,
)

NOW = datetime(2025, 10, 23, 15, 40)


def queue(
    location: str = "札幌",
    process: str = "エントリ1",
    *,
    waiting: int = 120,
    late: int | None = 20,
    completion: datetime | None = datetime(2025, 10, 23, 16, 4),
    business_id: str = "523201",
    alerts: tuple[tuple[str, str], ...] = (("delay_risk", "high"),),
    stale: bool = False,
) -> QueueProgress:
    deadline = datetime(2025, 10, 23, 16, 0)
    return QueueProgress(
        location=location,
        business_id=business_id,
        process=process,
        snapshot_time=NOW,
        deadline=deadline,
        minutes_to_deadline=20.0,
        waiting=waiting,
        staff_count=4,
        staff_speed_per_hour=300.0,
        projected_completion=completion,
        late_tasks_at_deadline=late,
        margin_minutes=None if completion is None else (deadline - completion).seconds / 60,
        stale=stale,
        severity=alerts[0][1] if alerts else None,
        alerts=[RaisedAlert(alert_type=t, severity=s) for t, s in alerts],
    )


def test_the_situation_line_follows_the_figures() -> None:
    assert queue_situation(queue()) == "納期時点で約20件が残る見込み"
    calm = queue(late=0, completion=datetime(2025, 10, 23, 15, 50))
    assert queue_situation(calm) == "完了見込み15:50（余裕10分）"
    nobody = queue(late=None, completion=None)
    assert queue_situation(nobody) == "担当者がいません"
    assert queue_situation(queue(stale=True)) == "進捗が15:40から更新されていません"
    assert queue_situation(queue(waiting=0, late=0, completion=NOW)) == "待ちなし"


def test_severity_counts_count_every_alert_raised() -> None:
    queues = [
        queue(alerts=(("delay_risk", "high"), ("skill_gap", "high"))),
        queue("盛岡", alerts=(("productivity_drop", "medium"),)),
        queue("梅田", alerts=()),
    ]
    assert severity_counts(queues) == {"high": 2, "medium": 1, "low": 0}


def test_the_floor_total_sums_every_queue() -> None:
    assert floor_total([queue(late=20), queue("盛岡", late=None), queue("梅田", late=136)]) == 156


def test_the_heatmap_sums_the_businesses_of_a_cell() -> None:
    spec = lateness_heatmap(
        [queue(late=20), queue(late=5, business_id="523202"), queue("那覇", late=0)]
    )
    cells = {(v["拠点"], v["工程"]): v["遅延見込み"] for v in spec["data"]["values"]}
    assert cells == {("札幌", "エントリ1"): 25, ("那覇", "エントリ1"): 0}
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["札幌", "那覇"]


def test_the_burndown_draws_history_projection_and_deadline() -> None:
    history = QueueHistory(
        location="札幌",
        business_id="523201",
        process="エントリ1",
        points=[
            SnapshotPoint(snapshot_time=datetime(2025, 10, 23, 15, 30), waiting=160, deadline=None),
            SnapshotPoint(snapshot_time=NOW, waiting=120, deadline=None),
        ],
    )
    spec = burndown(history, queue())
    line, rule, label = spec["layer"]
    assert [(v["時刻"][11:16], v["待ち件数"], v["系列"]) for v in line["data"]["values"]] == [
        ("15:30", 160, "実績"),
        ("15:40", 120, "実績"),
        ("15:40", 120, "見込み（現在の人員）"),
        ("16:04", 0, "見込み（現在の人員）"),
    ]
    assert rule["data"]["values"][0]["納期"] == "2025-10-23T16:00:00"
    assert label["data"]["values"][0]["ラベル"] == "納期 16:00"


def test_the_skill_matrix_keeps_only_the_chosen_processes() -> None:
    operator = OperatorInfo(
        operator_id=17,
        operator_name="高山麻由子",
        location_name="盛岡",
        assignment=None,
        skills=[
            Skill(process_name="エントリ1", skill_level=4, experience_months=36, average_speed=90),
            Skill(process_name="補正", skill_level=2, experience_months=6, average_speed=40),
        ],
    )
    spec = skill_matrix([operator], ["エントリ1"])
    assert [(v["オペレータ"], v["工程"], v["レベル"]) for v in spec["data"]["values"]] == [
        ("高山麻由子（盛岡）", "エントリ1", 4)
    ]


def test_known_names_keep_the_operations_order() -> None:
    assert ordered(["那覇", "札幌", "新宿", "盛岡"], ("札幌", "盛岡", "那覇")) == [
        "札幌",
        "盛岡",
        "那覇",
        "新宿",
    ]


def test_heatmap_numbers_stay_readable() -> None:
    spec = lateness_heatmap([queue(late=100), queue("那覇", late=10), queue("梅田", late=0)])
    text = spec["layer"][1]["encoding"]["color"]
    assert text["condition"] == {"test": "datum['遅延見込み'] >= 55.0", "value": "white"}
    assert text["value"] == "#222"  # dark text on the light cells

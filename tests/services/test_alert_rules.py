"""Each alert rule on crafted figures, with the numbers worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from aimee.services.alert_rules import (
    ALERT_TYPES,
    QueueState,
    Thresholds,
    delay_risk,
    evaluate,
    productivity_drop,
    skill_gap,
)

NOW = datetime(2025, 10, 23, 15, 40)


def seed_queue(**changes: object) -> QueueState:
    """The seed's example: 120 tasks, 4 operators at 300 tasks/hour, deadline in 20 minutes.
    Capacity 300 / 60 x 20 = 100, so 20 tasks are late; done after 120 / 300 h = 24 min (16:04)."""
    state = QueueState(
        location="札幌",
        business_id="523201",
        process="エントリ1",
        now=NOW,
        deadline=NOW + timedelta(minutes=20),
        minutes_left=20.0,
        waiting=120,
        expected_arrivals=0,
        staff_count=4,
        staff_below_min=0,
        rate_per_hour=300.0,
        projected_completion=NOW + timedelta(minutes=24),
        late_tasks=20.0,
        nominal_rate=300.0,
        processing_rate=290.0,
        observed_staff_rate=300.0,
        observed_minutes=60.0,
        previous_pace=None,
        previous_minutes=0.0,
        qualified_reserve=5,
    )
    return replace(state, **changes)  # type: ignore[arg-type]


# --- delay_risk -------------------------------------------------------------


def test_the_seed_queue_is_a_high_delay_risk() -> None:
    alert = delay_risk(seed_queue())
    assert alert is not None
    assert (alert.alert_type, alert.severity) == ("delay_risk", "high")  # 20 min left <= 30
    assert alert.message == (
        "札幌のエントリ1（523201）: 納期16:00まで残り20分、約20件が納期に残る見込みです"
        "（残件120件、処理ペース300件/時）"
    )
    assert alert.details == {
        "waiting": 120,
        "expected_arrivals": 0,
        "late_tasks": 20,
        "late_share": 0.167,  # 20 / 120
        "minutes_left": 20,
        "deadline": "2025-10-23T16:00:00",
        "projected_completion": "2025-10-23T16:04:00",
        "slack_minutes": -4,
        "rate_per_hour": 300.0,
        "staff_count": 4,
    }
    assert alert.key == "delay_risk|札幌|523201|エントリ1"


def test_a_small_share_late_with_time_left_is_medium() -> None:
    # 700 tasks at 280/h with 140 min left: capacity 653.3, 46.7 late (6.7% of the work).
    state = seed_queue(
        waiting=700,
        deadline=NOW + timedelta(minutes=140),
        minutes_left=140.0,
        rate_per_hour=280.0,
        late_tasks=700 - 280 / 60 * 140,
        projected_completion=NOW + timedelta(minutes=150),
    )
    alert = delay_risk(state)
    assert alert is not None
    assert alert.severity == "medium"
    assert alert.details["late_tasks"] == 47
    assert alert.details["late_share"] == round(47 / 700, 3)
    assert "納期18:00まで残り140分、約47件が納期に残る見込みです" in alert.message


def test_a_fifth_of_the_work_late_is_high_even_with_time_left() -> None:
    # 500 waiting + 100 arriving at 240/h with 120 min left: capacity 480, 120 late = 20%.
    state = seed_queue(
        waiting=500,
        expected_arrivals=100,
        deadline=NOW + timedelta(minutes=120),
        minutes_left=120.0,
        rate_per_hour=240.0,
        late_tasks=120.0,
        projected_completion=NOW + timedelta(minutes=150),
    )
    alert = delay_risk(state)
    assert alert is not None
    assert alert.severity == "high"
    assert "（残件500件＋到着見込み100件、処理ペース240件/時）" in alert.message


def test_completion_close_to_the_deadline_is_low() -> None:
    # 95 tasks at 300/h: done in 19 min (15:59), one minute before the 16:00 deadline.
    state = seed_queue(waiting=95, late_tasks=0.0, projected_completion=NOW + timedelta(minutes=19))
    alert = delay_risk(state)
    assert alert is not None
    assert alert.severity == "low"
    assert alert.details["slack_minutes"] == 1
    assert alert.message == (
        "札幌のエントリ1（523201）: 完了見込み15:59で、納期16:00までの余裕は1分です"
        "（残件95件、処理ペース300件/時）"
    )


def test_ten_minutes_of_slack_is_enough() -> None:
    state = seed_queue(waiting=50, late_tasks=0.0, projected_completion=NOW + timedelta(minutes=10))
    assert delay_risk(state) is None
    nearly = replace(state, projected_completion=NOW + timedelta(minutes=10, seconds=30))
    alert = delay_risk(nearly)
    assert alert is not None
    assert "余裕は9分" in alert.message  # 9.5 minutes, rounded down


def test_a_missed_deadline_says_so() -> None:
    state = seed_queue(
        deadline=NOW - timedelta(minutes=10),
        minutes_left=0.0,
        waiting=50,
        late_tasks=50.0,
        projected_completion=NOW + timedelta(minutes=10),
    )
    alert = delay_risk(state)
    assert alert is not None
    assert alert.severity == "high"
    assert alert.message.startswith(
        "札幌のエントリ1（523201）: 納期15:30を過ぎ、50件が残っています"
    )


def test_a_deadline_on_another_day_shows_the_date() -> None:
    state = seed_queue(
        deadline=datetime(2025, 10, 24, 9, 0),
        minutes_left=1040.0,
        waiting=2000,
        late_tasks=300.0,
    )
    alert = delay_risk(state)
    assert alert is not None
    assert "納期10/24 09:00まで残り1040分" in alert.message


def test_an_empty_queue_has_no_delay_risk() -> None:
    state = seed_queue(waiting=0, late_tasks=0.0, projected_completion=NOW)
    assert delay_risk(state) is None


# --- productivity_drop ------------------------------------------------------


def test_staff_at_70_percent_of_their_recorded_speed() -> None:
    # 那覇 in the demo: 281 tasks/h observed against 5 operators recorded at 402.15.
    state = seed_queue(
        location="那覇",
        staff_count=5,
        processing_rate=281.0,
        nominal_rate=402.15,
        observed_staff_rate=402.15,
    )
    alert = productivity_drop(state)
    assert alert is not None
    assert alert.severity == "medium"  # 0.699 < 0.7
    assert alert.message == (
        "那覇のエントリ1（523201）: 直近60分の処理ペースは281件/時で、"
        "その間に配置されていたスタッフの標準ペース402件/時の70%です"
    )
    assert alert.details["ratio_to_nominal"] == 0.699
    assert alert.details["below_nominal"] is True
    assert alert.details["window_drop"] is False


@pytest.mark.parametrize(
    ("processing", "severity"),
    [(170.0, "high"), (200.0, "medium"), (230.0, "low")],  # 57%, 67%, 77% of 300
)
def test_severity_follows_the_ratio(processing: float, severity: str) -> None:
    alert = productivity_drop(seed_queue(processing_rate=processing))
    assert alert is not None
    assert alert.severity == severity


def test_80_percent_or_more_of_the_recorded_speed_is_no_drop() -> None:
    assert productivity_drop(seed_queue(processing_rate=240.0)) is None  # exactly 0.8


def test_a_drop_from_the_previous_window() -> None:
    # 240/h now, 80% of the recorded 300 (not below), after a pace of 107% the hour
    # before: 0.8 / 1.0667 = 75% of it.
    state = seed_queue(processing_rate=240.0, previous_pace=1.0667, previous_minutes=60.0)
    alert = productivity_drop(state)
    assert alert is not None
    assert alert.severity == "low"
    assert alert.message == (
        "札幌のエントリ1（523201）: 直近60分の処理ペースは240件/時で、"
        "その間に配置されていたスタッフの標準ペース300件/時の80%です。"
        "その前の60分（標準ペースの107%）より25%低下しています"
    )
    assert (alert.details["below_nominal"], alert.details["window_drop"]) == (False, True)


def test_a_smaller_staff_at_its_own_pace_is_no_drop() -> None:
    # Two of four operators left: 150/h now after 300/h, but the two who stayed are
    # recorded at 150/h together, so the pace is 100% now as before.
    state = seed_queue(
        processing_rate=150.0,
        observed_staff_rate=150.0,
        nominal_rate=150.0,
        staff_count=2,
        previous_pace=1.0,
        previous_minutes=60.0,
    )
    assert productivity_drop(state) is None


def test_new_staff_are_no_drop() -> None:
    # Two operators joined a queue whose four kept 300/h: 460/h recorded now, but
    # the hour observed was worked by the four, at their own pace.
    state = seed_queue(nominal_rate=460.0, staff_count=6, processing_rate=295.0)
    assert productivity_drop(state) is None


def test_an_emptied_queue_is_no_drop() -> None:
    state = seed_queue(waiting=0, processing_rate=150.0, late_tasks=0.0)
    assert productivity_drop(state) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"processing_rate": None},
        {"processing_rate": 100.0, "observed_minutes": 10.0},
        {"processing_rate": 100.0, "staff_count": 0},
    ],
)
def test_no_productivity_figure_without_enough_evidence(changes: dict[str, object]) -> None:
    assert productivity_drop(seed_queue(**changes)) is None


# --- skill_gap --------------------------------------------------------------


def test_half_the_staff_below_the_minimum_level() -> None:
    state = seed_queue(staff_below_min=2, late_tasks=0.0)
    alert = skill_gap(state)
    assert alert is not None
    assert alert.severity == "low"
    assert alert.message == "札幌のエントリ1（523201）: 配置中4名のうち2名がスキルレベル3未満です"
    assert skill_gap(replace(state, late_tasks=20.0)).severity == "medium"  # type: ignore[union-attr]
    assert skill_gap(replace(state, staff_below_min=1)) is None


def test_late_with_nobody_qualified_to_move_in() -> None:
    alert = skill_gap(seed_queue(qualified_reserve=0))
    assert alert is not None
    assert alert.severity == "high"
    assert alert.message == (
        "札幌のエントリ1（523201）: 約20件が納期に残る見込みですが、"
        "エントリ1をスキルレベル3以上で担当でき、応援に回せるオペレーターが他拠点・他工程にいません"
    )
    assert alert.details["qualified_reserve"] == 0
    assert skill_gap(seed_queue(qualified_reserve=0, late_tasks=0.4)) is None  # nothing late


def test_both_gaps_in_one_alert_and_the_level_from_the_thresholds() -> None:
    alert = skill_gap(
        seed_queue(qualified_reserve=0, staff_below_min=3), Thresholds(min_skill_level=4)
    )
    assert alert is not None
    assert alert.severity == "high"
    assert "配置中4名のうち3名がスキルレベル4未満です。約20件" in alert.message
    assert alert.details["min_skill_level"] == 4


def test_evaluate_runs_every_rule_on_every_queue() -> None:
    slow = seed_queue(location="那覇", processing_rate=150.0, qualified_reserve=0)
    fine = seed_queue(
        location="盛岡", waiting=10, late_tasks=0.0, projected_completion=NOW + timedelta(minutes=2)
    )
    drafts = evaluate([slow, fine])
    assert [(d.location, d.alert_type) for d in drafts] == [
        ("那覇", alert_type) for alert_type in ALERT_TYPES
    ]

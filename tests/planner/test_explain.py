"""Reasons and rules in Japanese, built from the data only."""

from __future__ import annotations

from aimee.planner import greedy_plan, plan
from aimee.planner.explain import fmt

from .factories import (
    MORIOKA,
    SAPPORO,
    entry1,
    key,
    operator,
    queue,
    scenario,
    seed_example,
    skill,
)


def test_fmt_shows_at_most_one_decimal() -> None:
    assert [fmt(40.0), fmt(22.5), fmt(6.6666), fmt(39.99999), fmt(-0.0)] == [
        "40",
        "22.5",
        "6.7",
        "40",
        "0",
    ]


def test_reason_names_skill_speed_experience_saving_and_donor_slack() -> None:
    reason = plan(seed_example()).moves[0].reason
    # 上野由香利 (品川, Lv4, 48 months, 90/h) brings 22.5 tasks; 札幌 goes from 20 late to 0;
    # 品川 keeps 60/h x 80 min = 80 for 20 waiting: 60 tasks of slack.
    assert reason == (
        "品川のエントリ1から移動。エントリ1スキルLv4・経験48ヶ月・速度90件/時"
        "（切替5分後から締切までに最大22.5件処理可能）。札幌/523201/エントリ1の遅延見込み20件を0件に解消。"
        "移動元は残り余裕60件を確保"
    )


def test_reason_says_when_the_donor_becomes_late() -> None:
    sc = scenario([queue(SAPPORO, 30, 60), queue(MORIOKA, 60, 60)], [entry1(1, MORIOKA, 5, 60.0)])
    reason = greedy_plan(sc).moves[0].reason
    assert reason.endswith("移動元は遅延見込み60件となります（移動前0件）")


def test_reason_for_a_refill_move() -> None:
    hosei = ("盛岡", "523201", "補正")
    sc = scenario(
        [queue(SAPPORO, 30, 60), queue(hosei, 50, 60)],
        [
            operator(1, SAPPORO, {"エントリ1": skill(4, 60.0), "補正": skill(4, 60.0)}),
            entry1(2, None, 3, 40.0),
        ],
    )
    reasons = {m.operator_id: m.reason for m in plan(sc).moves}
    assert reasons[2].startswith("待機中から配置")
    assert "この移動がなければ遅延見込み30件、移動後0件" in reasons[2]
    assert "盛岡/523201/補正の遅延見込み50件を0件に解消" in reasons[1]


def test_rules_applied_lists_what_bound_the_plan() -> None:
    sc = scenario(
        [queue(SAPPORO, 120, 20)],
        [
            entry1(17, MORIOKA, 4, 90.0, name="高山麻由子"),
            entry1(5, None, 2, 100.0, name="低レベル"),
            entry1(6, MORIOKA, 4, 80.0, locked=True, name="固定中"),
        ],
        max_moves=1,
    )
    notes = plan(sc).rules_applied
    assert "移動人数が上限1名に達しています（残る遅延見込み97.5件）" in notes
    assert "固定または指定の条件により移動しなかった応援可能者: 固定中" in notes
    assert "エントリ1のスキルがLv3未満のため候補外とした応援可能者: 低レベル" in notes
    assert "切替時間5分を考慮: 移動1名の処理可能件数を計7.5件少なく見積もり" in notes


def test_below_level_note_names_only_people_it_is_true_of() -> None:
    """A plan for 札幌's エントリ1 only: 補正 (late too) is not a target, so an Lv4 on
    札幌's エントリ1 with Lv1 in 補正 is no 「Lv3未満」 candidate; the note names the
    process and only people below the level in it, not people without the skill."""
    hosei = ("盛岡", "523201", "補正")
    sc = scenario(
        [queue(SAPPORO, 120, 20), queue(hosei, 200, 20)],
        [
            operator(
                1, SAPPORO, {"エントリ1": skill(4, 60.0), "補正": skill(1, 60.0)}, name="上級"
            ),
            entry1(2, MORIOKA, 2, 60.0, name="低レベル"),
            operator(3, MORIOKA, {"補正": skill(4, 60.0)}, name="補正のみ"),
        ],
        targets=[key(SAPPORO)],
    )
    notes = [n for n in plan(sc).rules_applied if "候補外" in n]
    assert notes == ["エントリ1のスキルがLv3未満のため候補外とした応援可能者: 低レベル"]


def test_rules_applied_when_nothing_is_late() -> None:
    sc = scenario([queue(SAPPORO, 10, 60)], [entry1(1, SAPPORO, 4, 60.0)])
    assert plan(sc).rules_applied == ["全工程が締切に間に合う見込みのため、配置変更は不要です"]


def test_rules_applied_when_the_deadline_is_too_close() -> None:
    sc = scenario([queue(SAPPORO, 50, 3)], [entry1(1, None, 4, 60.0)])
    notes = plan(sc).rules_applied
    assert "締切まで切替時間5分以内のため応援が間に合わない工程: 札幌/523201/エントリ1" in notes
    assert "遅延見込みを減らせる移動がありません" in notes

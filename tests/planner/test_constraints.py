"""One test per rule: given these facts, the rule excludes exactly these moves."""

from __future__ import annotations

from aimee.planner import Move, QueueKey, constraints

from .factories import MORIOKA, SAPPORO, entry1, operator, queue, scenario, skill

TO_SAPPORO = QueueKey(location=SAPPORO[0], business_id=SAPPORO[1], process=SAPPORO[2])
TO_MORIOKA = QueueKey(location=MORIOKA[0], business_id=MORIOKA[1], process=MORIOKA[2])


def test_skill_eligibility_excludes_missing_and_low_levels() -> None:
    sc = scenario(
        [queue(SAPPORO, 10, 30)],
        [
            entry1(1, None, 3, 60.0),  # level 3 = min: eligible
            entry1(2, None, 2, 60.0),  # below the minimum
            operator(3, None, {"補正": skill(5, 60.0)}),  # no エントリ1 entry at all
            entry1(4, None, 5, 60.0),
        ],
    )
    eligible = [o.id for o in sc.operators if constraints.skill_eligible(o, "エントリ1", sc.rules)]
    assert eligible == [1, 4]
    moves = [Move(o.id, TO_SAPPORO) for o in sc.operators]
    assert len(constraints.skill_violations(sc, moves)) == 2


def test_min_skill_level_is_a_rule() -> None:
    sc = scenario([queue(SAPPORO, 10, 30)], [entry1(2, None, 2, 60.0)], min_skill_level=2)
    assert constraints.skill_violations(sc, [Move(2, TO_SAPPORO)]) == []


def test_locked_operators_never_move() -> None:
    sc = scenario(
        [queue(SAPPORO, 10, 30), queue(MORIOKA, 10, 30)],
        [entry1(1, MORIOKA, 4, 60.0, locked=True), entry1(2, MORIOKA, 4, 60.0)],
    )
    assert [o.id for o in sc.operators if constraints.movable(o)] == [2]
    moves = [Move(1, TO_SAPPORO), Move(2, TO_SAPPORO)]
    assert len(constraints.locked_violations(sc, moves)) == 1


def test_at_most_max_moves() -> None:
    sc = scenario(
        [queue(SAPPORO, 10, 30)], [entry1(i, None, 4, 60.0) for i in range(1, 5)], max_moves=3
    )
    three = [Move(i, TO_SAPPORO) for i in range(1, 4)]
    four = [Move(i, TO_SAPPORO) for i in range(1, 5)]
    assert constraints.within_max_moves(3, sc.rules)
    assert not constraints.within_max_moves(4, sc.rules)
    assert constraints.max_moves_violations(sc, three) == []
    assert len(constraints.max_moves_violations(sc, four)) == 1


def test_an_operator_is_on_at_most_one_queue() -> None:
    sc = scenario(
        [queue(SAPPORO, 10, 30), queue(MORIOKA, 10, 30)],
        [entry1(1, None, 4, 60.0), entry1(2, None, 4, 60.0)],
    )
    twice = [Move(1, TO_SAPPORO), Move(1, TO_MORIOKA), Move(2, TO_MORIOKA)]
    problems = constraints.single_queue_violations(sc, twice)
    assert len(problems) == 1
    assert "オペレータ1" in problems[0]


def test_moves_must_name_known_operators_and_queues() -> None:
    sc = scenario([queue(SAPPORO, 10, 30)], [entry1(1, SAPPORO, 4, 60.0)])
    unknown_queue = QueueKey(location="仙台", business_id="1", process="エントリ1")
    problems = constraints.reference_violations(
        sc, [Move(99, TO_SAPPORO), Move(1, unknown_queue), Move(1, TO_SAPPORO)]
    )
    assert len(problems) == 3  # unknown operator, unknown queue, already there


def test_violations_is_empty_for_a_valid_plan() -> None:
    sc = scenario(
        [queue(SAPPORO, 10, 30), queue(MORIOKA, 10, 30)],
        [entry1(1, MORIOKA, 4, 60.0), entry1(2, None, 3, 60.0)],
    )
    assert constraints.violations(sc, [Move(1, TO_SAPPORO), Move(2, TO_MORIOKA)]) == []


def test_targets_restrict_destinations_only() -> None:
    sc = scenario(
        [queue(SAPPORO, 100, 30), queue(MORIOKA, 100, 30)],
        [entry1(1, None, 4, 60.0), entry1(2, SAPPORO, 4, 60.0)],
        targets=[{"location": "札幌", "business_id": "523201", "process": "エントリ1"}],
    )
    assert constraints.target_allowed(TO_SAPPORO, sc.rules)
    assert not constraints.target_allowed(TO_MORIOKA, sc.rules)
    assert constraints.target_violations(sc, [Move(1, TO_SAPPORO)]) == []
    assert constraints.target_violations(sc, [Move(2, TO_MORIOKA)]) == [
        "盛岡/523201/エントリ1は今回の移動先の対象外です"
    ]
    unrestricted = scenario([queue(MORIOKA, 1, 30)], [entry1(1, None, 4, 60.0)])
    assert constraints.target_allowed(TO_MORIOKA, unrestricted.rules)

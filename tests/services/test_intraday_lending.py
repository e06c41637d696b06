"""工程の推移 of a queue that lends helpers: the curve with the open plan loses each helper
only during their loan (back after the loan's end and the switch, until their shift ends),
by hand and on the demo day's plan for 梅田/523202/エントリ1, which borrows 鈴木直美 from
梅田's 補正 until 17:10."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from sqlalchemy.orm import Session

from aimee.planner import plan_from_moves
from aimee.planner.domain import Move, QueueKey
from aimee.services.intraday import lending, queue_day
from aimee.services.planning import suggest_for
from aimee.services.scenarios import ScenarioFilter
from tests.conftest import DEMO_NOW, POLICY
from tests.planner.factories import MORIOKA, NOW, SAPPORO, entry1, queue, scenario

SWITCH = timedelta(minutes=5)
LATE = NOW + timedelta(hours=4)


def _lent(shift_end: str | None) -> list[tuple[datetime, float]]:
    """盛岡's operator (60/hour) lent to 札幌 (deadline +30 min) on a loan."""
    helper = entry1(2, MORIOKA, 3, 60.0)
    if shift_end is not None:
        helper["shift_end"] = shift_end
    sc = scenario(
        [queue(SAPPORO, 50, 30), queue(MORIOKA, 10, 120)],
        [entry1(1, SAPPORO, 3, 60.0), helper],
        loans=True,
    )
    plan = plan_from_moves(
        sc, [Move(2, QueueKey(location="札幌", business_id="523201", process="エントリ1"))]
    )
    (move,) = plan.moves
    assert move.until == NOW + timedelta(minutes=30)
    return lending(sc, plan, MORIOKA, now=NOW, until=LATE, switch=SWITCH)


def test_a_loan_takes_the_helper_away_only_until_it_ends() -> None:
    back = NOW + timedelta(minutes=35)  # the loan's end and the switch home
    assert _lent(None) == [(NOW, 60.0), (back, -60.0)]
    # back before their shift ends (17:00): working here again, their shift end stops them
    assert _lent((NOW + timedelta(minutes=80)).isoformat()) == [(NOW, 60.0), (back, -60.0)]
    # their shift ends during the loan: never back, and not stopped twice at the shift end
    end = NOW + timedelta(minutes=20)
    assert _lent(end.isoformat()) == [(NOW, 60.0), (end, -60.0)]


def test_the_demo_donor_curve_gets_its_helper_back(db_session: Session) -> None:
    target, donor = ("梅田", "523202", "エントリ1"), ("梅田", "523202", "補正")
    focused = suggest_for(
        db_session, ScenarioFilter(*target), now=DEMO_NOW, policy=POLICY, created_by=None
    )
    assert focused is not None and focused.suggestion is not None
    (suzuki,) = [m for m in focused.plan.moves if m.from_ is not None and m.from_.id == donor]
    assert suzuki.operator_name == "鈴木直美" and suzuki.returns and suzuki.until is not None

    day = queue_day(db_session, donor, now=DEMO_NOW, switch_minutes=5)
    assert day is not None and day.plan_id == focused.suggestion.id
    assert all(p.waiting_with_plan is not None for p in day.projection)
    points = [(p.time, p.waiting, p.waiting_with_plan or 0.0) for p in day.projection]
    assert all(planned >= waiting for _, waiting, planned in points)
    back = suzuki.until + SWITCH
    # while she is away the donor falls more slowly; once she is back, as fast as without
    # the plan (both curves above zero over the quarter compared)
    pairs = list(pairwise(points))
    away = [(a, b) for a, b in pairs if b[0] <= suzuki.until and b[1] > 0]
    home = [(a, b) for a, b in pairs if a[0] >= back and b[1] > 0 and b[2] > 0]
    assert away and home
    for a, b in away:
        assert a[2] - b[2] < a[1] - b[1]
    for a, b in home:
        assert abs((a[2] - b[2]) - (a[1] - b[1])) < 0.2

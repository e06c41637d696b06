"""The rest of the demo day under each policy (SQLite and MariaDB)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from aimee.planner import Rules
from aimee.services.simulation import simulate_day
from tests.conftest import DEMO_NOW


def test_the_optimizer_beats_doing_nothing_and_moves_less_than_the_seeds_method(
    db_session: Session,
) -> None:
    results = {
        r.policy: r
        for r in simulate_day(
            db_session, ["optimal", "greedy", "none"], seed=1, now=DEMO_NOW, rules=Rules()
        )
    }
    assert results["none"].late_tasks > 0
    assert results["optimal"].late_tasks < results["none"].late_tasks
    assert results["optimal"].late_tasks <= results["greedy"].late_tasks
    assert results["optimal"].moves < results["greedy"].moves


def test_an_unknown_policy_is_refused(db_session: Session) -> None:
    with pytest.raises(ValueError, match="unknown policy 'smart'"):
        simulate_day(db_session, ["smart"], seed=1, now=DEMO_NOW, rules=Rules())

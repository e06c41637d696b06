"""The facts a plan's answer is built from (``services.facts``) carry each helper's loan
(until when, whether they go back) and shift end, as the card does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from aimee.config import Settings
from aimee.services.facts import move_facts, suggestion_facts
from aimee.services.planning import suggest_for
from aimee.services.policy import Policy
from aimee.services.scenarios import ScenarioFilter
from aimee.store.repositories import shifts as shift_repo
from tests.conftest import DEMO_NOW

LOANS = Policy.from_settings(Settings.model_construct(plan_loans=True))


def test_move_facts_carry_the_loan_and_the_shift_end(db_session: Session) -> None:
    focused = suggest_for(
        db_session,
        ScenarioFilter("梅田", "523202", "エントリ1"),
        now=DEMO_NOW,
        policy=LOANS,
        created_by=None,
    )
    assert focused is not None and focused.suggestion is not None
    ends = shift_repo.shift_ends(db_session, DEMO_NOW.date())
    ids = {m.operator_name: m.operator_id for m in focused.plan.moves}
    facts = move_facts(focused.scenario, focused.plan)
    until = datetime(2025, 10, 23, 17, 10)
    assert facts and all(f.until == until for f in facts)
    for f in facts:
        end = ends[ids[f.operator_name]]
        assert f.shift_end == end
        assert f.returns == (end > until)
    suzuki = next(f for f in facts if f.operator_name == "鈴木直美")
    assert (suzuki.from_location, suzuki.from_process, suzuki.returns) == ("梅田", "補正", True)
    summary = suggestion_facts(focused.scenario, focused.plan, focused.suggestion)
    assert summary.moves == facts

"""Suggestions in the seed's shape, stored with their plan (SQLite and MariaDB)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy.orm import Session

from aimee.planner import Plan, QueueKey, Rules, Scenario, plan
from aimee.services import suggestions
from aimee.services.scenarios import ScenarioFilter, build_scenario
from aimee.store.repositories import suggestions as repo
from tests.conftest import DEMO_NOW

SAPPORO = QueueKey(location="札幌", business_id="523201", process="エントリ1")


def seed_plan(session: Session) -> tuple[Scenario, Plan]:
    """The seed's example under the planner contract's default rules (no safety margin)."""
    scenario = build_scenario(
        session, ScenarioFilter("札幌", "523201", "エントリ1"), now=DEMO_NOW, rules=Rules()
    )
    return scenario, plan(scenario)


def test_a_suggestion_in_the_seeds_shape(db_session: Session) -> None:
    scenario, result = seed_plan(db_session)
    created = suggestions.create_suggestion(
        db_session,
        scenario,
        result,
        now=DEMO_NOW,
        focus=[SAPPORO],
        knowhow_titles=["納期20分前は3名移動"],
    )
    assert re.fullmatch(r"SGT20251023-[0-9A-F]{8}", created.id)
    assert created.status == "pending"
    sapporo_deadline = next(q.deadline for q in scenario.queues if q.key == SAPPORO)
    assert created.expires_at == sapporo_deadline  # valid until the target's deadline
    assert sum(c.count for c in created.changes) == len(result.moves)
    moved = {op_id for c in created.changes for op_id in c.operator_ids}
    assert moved == {m.operator_id for m in result.moves}
    into_sapporo = [c for c in created.changes if (c.to, c.process) == ("札幌", "エントリ1")]
    assert [c.count for c in into_sapporo] == [1]  # 20 late tasks need one good operator
    assert created.impact.target == "札幌/523201/エントリ1"
    sapporo = next(q for q in result.queues if q.key == SAPPORO)
    expected = round((sapporo.rate_after / sapporo.rate_before - 1) * 100)
    assert created.impact.productivity == f"{expected:+d}%"
    touched = {m.to.id for m in result.moves} | {m.from_.id for m in result.moves if m.from_}
    touched_outcomes = [q for q in result.queues if q.key.id in touched]
    assert created.impact.late_tasks_before == round(
        sum(q.late_before for q in touched_outcomes), 1
    )
    assert created.impact.late_tasks_after == round(sum(q.late_after for q in touched_outcomes), 1)
    assert created.impact.late_tasks_after < created.impact.late_tasks_before
    assert created.rules_used[0] == "納期20分前は3名移動"
    dumped = created.model_dump(mode="json")
    assert set(dumped["changes"][0]) == {
        "from",
        "from_business_id",  # the queue left: a move never reads 「札幌 → 札幌」
        "from_process",
        "to",
        "process",
        "business_id",
        "count",
        "operators",
        "operator_ids",
        "until",  # a loan's end (null: a permanent move)
        "shift_ends",  # the demo day records every operator's shift
    }
    origin = next(m.from_ for m in result.moves if m.from_ is not None)
    first = dumped["changes"][0]
    assert (first["from"], first["from_business_id"], first["from_process"]) == (
        origin.location,
        origin.business_id,
        origin.process,
    )


def test_the_stored_plan_round_trips(db_session: Session) -> None:
    scenario, result = seed_plan(db_session)
    created = suggestions.create_suggestion(db_session, scenario, result, now=DEMO_NOW)
    row = repo.get(db_session, created.id)
    assert row is not None
    stored_scenario, stored_plan = suggestions.stored_plan(row)
    assert stored_plan.moves == result.moves
    assert suggestions.fingerprint(stored_scenario) == row.data_fingerprint
    assert suggestions.to_public(row) == created


def test_quality_flags_a_helper_below_the_receiving_staffs_level() -> None:
    def op(op_id: int, where: str, level: int, speed: float) -> dict[str, object]:
        return {
            "id": op_id,
            "name": f"op{op_id}",
            "location": where,
            "assigned": {"location": where, "business_id": "523201", "process": "エントリ1"},
            "skills": {"エントリ1": {"level": level, "speed": speed}},
        }

    def queue(where: str, waiting: int) -> dict[str, object]:
        return {
            "location": where,
            "business_id": "523201",
            "process": "エントリ1",
            "waiting": waiting,
            "deadline": (DEMO_NOW + timedelta(minutes=60)).isoformat(),
        }

    scenario = Scenario.model_validate(
        {
            "now": DEMO_NOW.isoformat(),
            "queues": [queue("札幌", 200), queue("盛岡", 0)],
            "operators": [op(1, "札幌", 5, 100), op(2, "盛岡", 3, 100)],
        }
    )
    result = plan(scenario)
    assert [m.operator_id for m in result.moves] == [2]
    assert (
        suggestions.quality(scenario, result)
        == "要確認（受け入れ先の平均スキルより低い応援者: op2）"
    )
    strong = scenario.model_copy(
        update={
            "operators": [
                scenario.operators[0],
                scenario.operators[1].model_copy(
                    update={"skills": {"エントリ1": scenario.operators[0].skills["エントリ1"]}}
                ),
            ]
        }
    )
    assert suggestions.quality(strong, plan(strong)) == "維持"


def test_a_suggestion_is_valid_until_the_earliest_deadline_it_helps() -> None:
    def queue(where: str, waiting: int, minutes: int) -> dict[str, object]:
        return {
            "location": where,
            "business_id": "523201",
            "process": "エントリ1",
            "waiting": waiting,
            "deadline": (DEMO_NOW + timedelta(minutes=minutes)).isoformat(),
        }

    def idle(op_id: int) -> dict[str, object]:
        return {
            "id": op_id,
            "name": f"op{op_id}",
            "location": "那覇",
            "assigned": None,
            "skills": {"エントリ1": {"level": 4, "speed": 120}},
        }

    scenario = Scenario.model_validate(
        {
            "now": DEMO_NOW.isoformat(),
            "queues": [queue("札幌", 100, 90), queue("盛岡", 100, 60), queue("品川", 0, 30)],
            "operators": [idle(1), idle(2)],
        }
    )
    result = plan(scenario)
    assert {m.to.location for m in result.moves} == {"札幌", "盛岡"}
    assert suggestions.valid_until(scenario, result, DEMO_NOW) == DEMO_NOW + timedelta(minutes=60)
    nothing = plan(scenario.model_copy(update={"operators": []}))
    assert suggestions.valid_until(scenario, nothing, DEMO_NOW) == DEMO_NOW + timedelta(hours=24)

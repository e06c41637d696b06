"""Plans by (data fingerprint, request): the same question on the same data is solved once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy.orm import Session

from aimee.planner import Plan
from aimee.services import planning
from aimee.services.planning import PlanCache, cached_plan, suggest_for
from aimee.services.scenarios import ScenarioFilter, build_situation
from tests.conftest import DEMO_NOW, POLICY


def _plan(tag: str) -> Any:
    return {"tag": tag}  # stands for a Plan: the cache never looks inside


def test_one_solve_per_key_and_a_new_one_for_another_request() -> None:
    cache = PlanCache()
    solved: list[str] = []

    def solve(tag: str) -> Plan:
        solved.append(tag)
        return _plan(tag)  # type: ignore[no-any-return]

    first = cache.get(("data", "margin"), lambda: solve("a"))
    again = cache.get(("data", "margin"), lambda: solve("b"))
    other = cache.get(("data", ("helpers", 2)), lambda: solve("c"))
    assert first is again and solved == ["a", "c"] and other == {"tag": "c"}
    assert cache.solves == 2


def test_requests_arriving_during_a_solve_wait_for_it() -> None:
    cache = PlanCache()
    inside, release = threading.Event(), threading.Event()
    calls = []

    def slow() -> Plan:
        calls.append(1)
        inside.set()
        assert release.wait(30)
        return _plan("slow")  # type: ignore[no-any-return]

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(cache.get, "key", slow)
        assert inside.wait(30)
        second = pool.submit(cache.get, "key", slow)  # finds the solve under way
        release.set()
        assert first.result(30) is second.result(30)
    assert calls == [1] and cache.solves == 1


def test_a_failed_solve_is_not_kept() -> None:
    cache = PlanCache()

    def fail() -> Plan:
        raise TimeoutError("solver")

    with pytest.raises(TimeoutError):
        cache.get("key", fail)
    assert cache.get("key", lambda: _plan("ok")) == {"tag": "ok"}


def test_the_oldest_plan_goes_first() -> None:
    cache = PlanCache(size=2)
    for key in ("a", "b", "a", "c"):
        cache.get(key, lambda k=key: _plan(k))
    solves = cache.solves
    cache.get("a", lambda: _plan("a2"))  # kept: used after b
    assert cache.solves == solves
    cache.get("b", lambda: _plan("b2"))  # b was dropped
    assert cache.solves == solves + 1


def test_the_key_is_the_data_the_request_and_the_time_limit(db_session: Session) -> None:
    situation = build_situation(db_session, rules=POLICY.rules, now=DEMO_NOW)
    scenario = situation.scenario
    cache = PlanCache()
    solve = lambda: _plan("x")  # noqa: E731
    cached_plan(scenario, "margin", solve, time_limit_s=5, cache=cache)
    cached_plan(scenario.model_copy(), "margin", solve, time_limit_s=5, cache=cache)
    assert cache.solves == 1  # an equal scenario is the same data
    later = scenario.model_copy(update={"now": DEMO_NOW.replace(minute=41)})
    fewer = scenario.model_copy(update={"operators": scenario.operators[1:]})
    cached_plan(later, "margin", solve, time_limit_s=5, cache=cache)
    cached_plan(fewer, "margin", solve, time_limit_s=5, cache=cache)
    cached_plan(scenario, "margin", solve, time_limit_s=10, cache=cache)
    assert cache.solves == 4


def test_managers_asking_for_help_on_the_same_data_share_one_solve(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planning, "PLANS", PlanCache())
    focus = ScenarioFilter("札幌", "523201", "エントリ1")
    plans = [
        suggest_for(db_session, focus, now=DEMO_NOW, policy=POLICY, created_by=f"m{i}")
        for i in range(3)
    ]
    assert planning.PLANS.solves == 1
    cards = [p.suggestion for p in plans if p is not None]
    assert len(cards) == 3 and len({c.id for c in cards if c}) == 1  # one card, shared
    assert len({p.plan.model_dump_json() for p in plans if p is not None}) == 1
    other = ScenarioFilter("梅田", None, "エントリ1")
    suggest_for(db_session, other, now=DEMO_NOW, policy=POLICY, created_by="m")
    assert planning.PLANS.solves == 2

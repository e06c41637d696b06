"""Where a plan for the rest of the day is solved: in a process of its own at a lower
priority (the API), or here (tests, the command line); and how a job runs (in a thread,
or at once)."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from aimee.planner import Scenario
from aimee.planner.domain import QueueId
from aimee.planner.phase_grid import PhaseRules
from aimee.planner.timephased import PhasedPlan, plan_timeline

RULES = PhaseRules()
"""The grid of the product's plan: 15-minute intervals, minimum stay 30 minutes, at most
4 switches a person (docs/planner.md, "Time-phased plan")."""

Runner = Callable[[Callable[[], None]], None]
"""Runs a job: in a thread of its own (the API), or at once (tests, the command line)."""


def in_thread(job: Callable[[], None]) -> None:
    threading.Thread(target=job, name="day-plan", daemon=True).start()


def at_once(job: Callable[[], None]) -> None:
    job()


Solve = Callable[[Scenario, Mapping[QueueId, float], Mapping[int, datetime], float], PhasedPlan]
"""Solves a plan for the rest of the day: (floor, arrival rates, stay_until, time limit)."""


def solve_here(
    scenario: Scenario,
    rates: Mapping[QueueId, float],
    stay_until: Mapping[int, datetime],
    time_limit_s: float,
) -> PhasedPlan:
    return plan_timeline(scenario, rates, RULES, stay_until=stay_until, time_limit_s=time_limit_s)


SOLVER_NICENESS = 10
"""The solver process runs at this lower priority (``os.nice``)."""
ORPHAN_CHECK_S = 2.0
"""How often the solver process looks whether the API process that started it is gone."""


def _solver_started(parent: int) -> None:
    """In the solver process: lower its priority, and end it when the API process that
    started it is gone (killed or restarted: its solver must not outlive it)."""
    os.nice(SOLVER_NICENESS)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def solve_apart(
    scenario: Scenario,
    rates: Mapping[QueueId, float],
    stay_until: Mapping[int, datetime],
    time_limit_s: float,
) -> PhasedPlan:
    """``solve_here`` in a process of its own (one per API process, started on first use
    and kept), at a lower priority: in a thread, the solve's Python work (the grid, the
    rolling timeline between HiGHS calls) would hold the interpreter lock the chat's
    answers need, and on a busy machine its CPU would be theirs first."""
    global _pool  # noqa: PLW0603 - one solver process per API process
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_solver_started,  # lower priority; gone with the API
                initargs=(os.getpid(),),
            )
        pool = _pool
    try:
        return pool.submit(
            solve_here, scenario, dict(rates), dict(stay_until), time_limit_s
        ).result()
    except BrokenProcessPool:  # the solver process died (killed, out of memory): a new one
        with _pool_lock:
            if _pool is pool:
                _pool = None
        raise

"""The plan for the rest of the day is solved in a process of its own (``solve_apart``): it
gives the same plan as solving in the API process, runs at a lower priority, and does not
outlive the API process that started it (killed, it must not leave a 190 MB orphan)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap

import pytest

from aimee.services.day_plan_solve import SOLVER_NICENESS, solve_apart, solve_here
from tests.planner.factories import MORIOKA, SAPPORO, entry1, queue, scenario

TINY = scenario(
    [queue(SAPPORO, 50, 30), queue(MORIOKA, 60, 120)],
    [entry1(1, SAPPORO, 3, 60.0), entry1(2, MORIOKA, 3, 60.0)],
)


def test_the_solver_process_plans_as_the_api_process_would() -> None:
    apart = solve_apart(TINY, {}, {}, 2.0)
    here = solve_here(TINY, {}, {}, 2.0)
    assert apart.first_moves == here.first_moves
    assert apart.timeline == here.timeline and apart.objective == here.objective


CHILD = textwrap.dedent(
    """
    import os, sys
    from aimee.services import day_plan_solve
    from tests.services.test_day_plan_solver import TINY
    day_plan_solve.solve_apart(TINY, {}, {}, 1.0)
    (pid,) = day_plan_solve._pool._processes
    print(pid, os.getpriority(os.PRIO_PROCESS, pid) - os.getpriority(os.PRIO_PROCESS, 0))
    sys.stdout.flush()
    sys.stdin.read()  # until the test kills this process
    """
)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs os.pidfd_open (Linux)")
def test_the_solver_process_ends_with_the_api_process() -> None:
    api = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    try:
        assert api.stdout is not None
        solver_pid, niceness = (int(v) for v in api.stdout.readline().split())
        assert niceness == SOLVER_NICENESS
        watch = os.pidfd_open(solver_pid)
        api.send_signal(signal.SIGKILL)  # no clean exit: the solver must notice by itself
        api.wait(timeout=30)
        ended, _, _ = select.select([watch], [], [], 30)  # readable once the solver is gone
        os.close(watch)
        assert ended, f"the solver process {solver_pid} outlived the API process"
    finally:
        if api.poll() is None:
            api.kill()

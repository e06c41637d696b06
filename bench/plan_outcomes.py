"""Did the plans work? Prediction error of approved plans over a simulated day.

For each seed: the demo day in a temporary SQLite database, then business time
runs minute by minute on the live demo floor (`services/live_floor.advance`:
the staff assigned at each minute process work at their recorded speeds times
their queue's observed pace; arrivals are drawn around the recent rate, and
fractions of a task are rounded at random). Every `--every` minutes, the queue
with the most late tasks gets a plan (`planning.suggest_for`), which is approved,
started and completed at once, as a manager would. When the last deadline has
passed, `outcomes.record_due` reads what happened, and the bench prints, for the
receiving queues (targets) and the giving ones (donors): the error of the
predicted late tasks at the deadline, of the predicted completion time, and how
often the on-time verdict was right.

The live floor follows the same model as the forecast, so with no drift the error
is only the random rounding and the arrivals. ``--drifts`` adds floors that
surprise the forecast: from a random moment in the first two hours, each queue's
staff work at a factor of their expected rate drawn around 1 with that standard
deviation (a slow afternoon, a system hiccup, a helpful veteran); the forecast's
observed pace catches up only as the change shows in the snapshots.

    .venv/bin/python bench/plan_outcomes.py [--seeds 3] [--every 20] [--drifts 0 0.15 0.3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from aimee.config import Settings
from aimee.planner.figures import QueueFigures
from aimee.services import live_floor, outcomes, setup, users
from aimee.services.approvals import ApprovalService
from aimee.services.planning import suggest_for
from aimee.services.policy import Policy
from aimee.services.scenarios import ScenarioFilter, build_situation
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.store.models import PlanOutcome

DEMO_NOW = datetime(2025, 10, 23, 15, 40)
POLICY = Policy.from_settings(Settings.model_construct())
"""The product's policy at its default settings."""
STEP = timedelta(minutes=1)


@dataclass(frozen=True)
class Day:
    seed: int
    decisions: int
    rows: list[PlanOutcome]


class Drift:
    """The floor's true rate: each queue's staff at their recorded speeds times the
    queue's efficiency at the start (the slow site stays slow), and from a random
    moment times a factor drawn once per queue around 1 (reproducibly). Anchored
    to the recorded speeds, not to the forecast, so that the forecast's own pace
    estimate never feeds back into the truth."""

    def __init__(self, spread: float, seed: int) -> None:
        self._spread, self._rng = spread, random.Random(seed * 7919)
        self._drawn: dict[tuple[str, str, str], tuple[float, datetime, float]] = {}

    def __call__(self, key: tuple[str, str, str], queue: QueueFigures, now: datetime) -> float:
        if key not in self._drawn:
            start = DEMO_NOW + timedelta(minutes=self._rng.uniform(0, 120))
            factor = max(0.3, self._rng.gauss(1.0, self._spread))
            self._drawn[key] = (queue.efficiency, start, factor)
        base, start, factor = self._drawn[key]
        recorded = queue.rate / queue.efficiency if queue.efficiency else 0.0
        return recorded * base * (factor if now >= start else 1.0)


def run_day(folder: Path, seed: int, every: int, spread: float) -> Day:
    engine = create_db_engine(f"sqlite:///{folder / f'day{seed}_{spread:g}.sqlite3'}")
    setup.apply_migrations(engine)
    setup.load_demo(engine, seed=seed, now=DEMO_NOW)
    sessions = session_factory(engine)
    service, rng = ApprovalService(), random.Random(seed)
    truth = Drift(spread, seed) if spread > 0 else None
    with transaction(sessions) as session:
        manager = users.add_user(session, "bench", "approver", now=DEMO_NOW)[0]
        last_deadline = max(
            q.deadline
            for q in build_situation(session, now=DEMO_NOW, rules=POLICY.rules).scenario.queues
        )
    now, decisions = DEMO_NOW, 0
    end = last_deadline + outcomes.RECORD_AFTER
    while now <= end:
        if (now - DEMO_NOW) % timedelta(minutes=every) == timedelta(0):
            with transaction(sessions) as session:
                decisions += _plan_and_carry_out(session, service, manager, now)
        now += STEP
        with transaction(sessions) as session:
            live_floor.advance(session, now, rng, POLICY.rules, true_rate=truth)
    with transaction(sessions) as session:
        rows = outcomes.record_due(session, now)
        session.expunge_all()
    engine.dispose()
    return Day(seed, decisions, rows)


def _plan_and_carry_out(session, service, manager, now: datetime) -> int:  # type: ignore[no-untyped-def]
    """Plan for the queue with the most late tasks; approve and carry it out."""
    figures = build_situation(session, now=now, rules=POLICY.rules).figures
    open_queues = {k: f for k, f in figures.items() if f.late >= 1}
    if not open_queues:
        return 0
    worst = max(open_queues, key=lambda k: open_queues[k].late)
    focused = suggest_for(
        session, ScenarioFilter(*worst), now=now, policy=POLICY, created_by="bench"
    )
    if focused is None or focused.suggestion is None:
        return 0
    history = service.act(session, focused.suggestion.id, "approve", user=manager, now=now)
    service.set_execution(session, history.approval_history_id, "executing", now=now)
    service.set_execution(session, history.approval_history_id, "completed", now=now)
    return 1


def _minutes(a: datetime, b: datetime) -> float:
    return (a - b).total_seconds() / 60


def report(days: list[Day], spread: float) -> None:
    rows = [row for day in days for row in day.rows]
    no_data = sum(r.actual_late is None for r in rows)
    print(
        f"\ndrift {spread:g}: {len(days)} simulated days, {sum(d.decisions for d in days)} plans "
        f"carried out, {len(rows)} queue outcomes recorded ({no_data} without data)"
    )
    header = (
        f"{'queues':>8} {'n':>4} {'late MAE':>9} {'bias':>7} {'no-move MAE':>12} "
        f"{'on-time right':>14} {'done MAE min':>13} {'done bias':>10} {'done n':>7}"
    )
    print(header)
    print("-" * len(header))
    for role in ("target", "donor"):
        chosen = [r for r in rows if r.role == role and r.actual_late is not None]
        if not chosen:
            print(f"{role:>8} {0:>4}")
            continue
        errors = [r.actual_late - r.predicted_late for r in chosen]  # type: ignore[operator]
        without = [abs(r.actual_late - r.predicted_late_without) for r in chosen]  # type: ignore[operator]
        verdict = [(r.predicted_late < 0.5) == (r.actual_late == 0) for r in chosen]
        done = [
            _minutes(r.actual_completion, r.predicted_completion)
            for r in chosen
            if r.actual_completion is not None and r.predicted_completion is not None
        ]
        print(
            f"{role:>8} {len(chosen):>4} {statistics.mean(abs(e) for e in errors):>9.1f} "
            f"{statistics.mean(errors):>+7.1f} {statistics.mean(without):>12.1f} "
            f"{sum(verdict) / len(verdict):>14.0%} "
            f"{statistics.mean(abs(m) for m in done) if done else float('nan'):>13.1f} "
            f"{statistics.mean(done) if done else float('nan'):>+10.1f} {len(done):>7}"
        )
    worst = sorted(
        (r for r in rows if r.actual_late is not None),
        key=lambda r: abs(r.actual_late - r.predicted_late),  # type: ignore[operator]
        reverse=True,
    )[:5]
    print("largest errors (queue, role, predicted → actual late, predicted → actual done):")
    for r in worst:
        done = "-" if r.actual_completion is None else f"{r.actual_completion:%H:%M}"
        planned = "-" if r.predicted_completion is None else f"{r.predicted_completion:%H:%M}"
        print(
            f"  {r.location_name}/{r.business_id}/{r.process_name} {r.role}: "
            f"{r.predicted_late:.1f} → {r.actual_late}, {planned} → {done} "
            f"(deadline {r.deadline:%H:%M})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--every", type=int, default=20, help="minutes between two plans")
    parser.add_argument("--drifts", type=float, nargs="+", default=[0.0, 0.15, 0.3])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for spread in args.drifts:
            days = []
            for seed in range(1, args.seeds + 1):
                started = time.perf_counter()
                days.append(run_day(Path(folder), seed, args.every, spread))
                print(
                    f"drift {spread:g} seed {seed}: {days[-1].decisions} plans, "
                    f"{len(days[-1].rows)} outcomes ({time.perf_counter() - started:.1f} s)",
                    flush=True,
                )
            report(days, spread)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - started:.1f} s")

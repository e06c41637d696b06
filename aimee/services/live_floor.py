"""The live demo floor: while `aimee demo` runs, time passes on the floor.

Every step appends one snapshot per queue, carried forward from the queue's
latest snapshot: the staff assigned now process work at the rate the planner
expects of them (recorded speed times the queue's observed pace, so the slow
site stays slow and moved operators count where they were moved to), and work
keeps arriving at the recent arrival rate until 30 minutes before the deadline. Fractions of a task
are rounded at random (unbiased), from a seeded generator."""

from __future__ import annotations

import logging
import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from aimee import clock
from aimee.planner.domain import QueueId, Rules
from aimee.planner.figures import QueueFigures
from aimee.planner.forecast import ARRIVAL_CUTOFF_MINUTES
from aimee.services import loan_returns
from aimee.services.scenarios import build_situation
from aimee.store.db import transaction
from aimee.store.models import ProgressSnapshot
from aimee.store.repositories import progress as repo

log = logging.getLogger(__name__)

STEP = timedelta(minutes=1)
"""Business time between two snapshots of a queue."""


def _whole(value: float, rng: random.Random) -> int:
    """``value`` rounded down or up at random, up with the probability of its fraction."""
    base = math.floor(value)
    return base + (1 if rng.random() < value - base else 0)


def next_snapshot(
    latest: ProgressSnapshot, figures: QueueFigures, now: datetime, rng: random.Random
) -> ProgressSnapshot:
    """The queue at ``now``, carried forward from ``latest`` by the staff assigned
    now working at the rate of ``figures``."""
    assert latest.snapshot_time is not None
    hours = max(0.0, (now - latest.snapshot_time).total_seconds() / 3600)
    waiting = max(0, latest.total_waiting or 0)
    deadline = latest.expected_completion_time
    arrivals = 0
    if deadline is not None and now <= deadline - timedelta(minutes=ARRIVAL_CUTOFF_MINUTES):
        arrivals = _whole(figures.observed.arrival_rate * hours, rng)
    processed = min(waiting + arrivals, _whole(figures.rate * hours, rng))
    left = waiting + arrivals - processed
    share = (latest.correction_waiting or 0) / waiting if waiting else 0.0
    return ProgressSnapshot(
        snapshot_time=now,
        location_name=latest.location_name,
        business_id=latest.business_id,
        process_name=latest.process_name,
        expected_completion_time=deadline,
        total_waiting=left,
        entry_count=(latest.entry_count or 0) + processed,
        correction_waiting=round(left * share),
    )


TrueRate = Callable[[QueueId, QueueFigures, datetime], float]
"""A queue's true processing rate (tasks/hour) given its forecast figures: a floor
that does not behave as forecast (benchmarks of the prediction error)."""


def advance(
    session: Session,
    now: datetime,
    rng: random.Random,
    rules: Rules,
    *,
    true_rate: TrueRate | None = None,
) -> int:
    """Append a snapshot at ``now`` for every queue whose latest one is at least
    a step old; returns how many were appended. The staff work at the forecast's
    rate, or at ``true_rate`` when given."""
    figures = build_situation(session, now=now, rules=rules).figures
    appended = []
    for snap in repo.latest_snapshots(session, as_of=now):
        key = (snap.location_name or "", snap.business_id or "", snap.process_name or "")
        due = snap.snapshot_time is not None and now - snap.snapshot_time >= STEP
        if due and key in figures:
            queue = figures[key]
            if true_rate is not None:
                queue = replace(queue, rate=true_rate(key, queue, now))
            appended.append(next_snapshot(snap, queue, now, rng))
    return repo.add_snapshots(session, appended)


@dataclass
class LiveFloor:
    """Runs ``advance`` in a background thread every step of business time."""

    sessions: sessionmaker[Session]
    rules: Rules
    speed: float = 1.0
    seed: int = 7

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="live-floor", daemon=True)
        self._rng = random.Random(self.seed)

    @property
    def interval_s(self) -> float:
        """Real seconds between two steps."""
        return max(0.5, STEP.total_seconds() / self.speed)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def step(self, now: datetime | None = None) -> int:
        """Helpers whose loans have ended go back, then the floor moves on to ``now``
        (the business clock's time by default)."""
        now = now or clock.now()
        with transaction(self.sessions) as session:
            loan_returns.carry_out_due(session, now)
            return advance(session, now, self._rng, self.rules)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                added = self.step()
            except SQLAlchemyError as exc:  # the database may be busy or briefly away
                log.warning("live floor step skipped: %s", exc)
                continue
            log.debug("live floor: %d snapshots at %s", added, clock.now())

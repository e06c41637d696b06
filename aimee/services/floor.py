"""Every queue's figures (``planner.figures.queue_figures``) from a few set-based
reads: the snapshots of the observation window, where every operator works now
and since when, the stints that ended within the last two windows, and the
skills that count. The alert scan and the scenario builder both start here, so
the dashboard, alerts, chat, cards and previews show the same numbers.

Which staff a queue has: the valid operators assigned to it now (an operator
without a skill entry for its process counts, at speed 0). Who was there when:
their current assignment from its ``since``, plus the ended stints of
``operator_assignment_history``. An operator who arrives starts working
``switch_minutes`` after the assignment (the planner's ``Rules.switch_minutes``),
so the minutes a helper spends switching are not read as a slower pace.

Shifts (``operator_shifts``, today's): an operator whose shift has ended is not
staff now (gone home, whatever their assignment says), a stint ends at the shift
end at the latest, and the staff now count only until their shift ends
(``queue_figures``' ``staff_ends``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aimee.planner.figures import QueueFigures, queue_figures
from aimee.planner.forecast import DEFAULT_WINDOW_MINUTES, Observation, Stint
from aimee.services import loan_returns
from aimee.store.repositories import queue_status as repo
from aimee.store.repositories import shifts as shift_repo
from aimee.store.session_memo import remembered

QueueKey = repo.QueueKey
WINDOW = timedelta(minutes=DEFAULT_WINDOW_MINUTES)
Skill = tuple[int | None, float]
"""Skill level (None without an entry) and recorded speed, tasks per hour."""
NO_SKILL: Skill = (None, 0.0)


@dataclass(frozen=True)
class FloorReading:
    now: datetime
    history: dict[QueueKey, list[repo.SnapshotRow]]
    """Each queue's snapshots of the last window, in time order."""
    where: dict[int, QueueKey]
    """Where each valid operator works now."""
    skills: dict[tuple[int, str], Skill]
    """(operator, process) -> the skill that counts."""
    stints: dict[QueueKey, list[tuple[int, datetime | None, datetime | None]]]
    """Who was on each queue when, over the last two windows: (operator, start, end)."""
    switch: timedelta = timedelta(0)
    """How long an operator who arrives on a queue takes before working on it."""
    shift_ends: dict[int, datetime] = field(default_factory=dict)
    """When each operator with a shift today stops working."""
    loan_ends: dict[int, datetime] = field(default_factory=dict)
    """When each helper on a loan carried out goes back to the queue they came from
    (``loan_returns``): they work where they are until then. A loan that has ended but
    whose return is not written yet is here too (counted nowhere until it is)."""
    _staff: dict[QueueKey, list[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        staff: dict[QueueKey, list[int]] = {}
        for operator_id, key in self.where.items():
            end = self.leaves_at(operator_id)  # gone home, or a loan over (return not written)
            if end is None or end > self.now:
                staff.setdefault(key, []).append(operator_id)
        object.__setattr__(self, "_staff", staff)

    def skill(self, operator_id: int, process: str) -> Skill:
        return self.skills.get((operator_id, process), NO_SKILL)

    def gone_home(self, operator_id: int) -> bool:
        """Whether the operator's shift has ended by now."""
        end = self.shift_ends.get(operator_id)
        return end is not None and end <= self.now

    def shift_end(self, operator_id: int) -> datetime | None:
        return self.shift_ends.get(operator_id)

    def on_loan(self, operator_id: int) -> bool:
        """Whether the operator helps on a loan that has not ended yet."""
        end = self.loan_ends.get(operator_id)
        return end is not None and end > self.now

    def leaves_at(self, operator_id: int) -> datetime | None:
        """When the operator stops working where they are now: their shift's end, or their
        loan's end when earlier. (Their work back home after a loan is not counted until the
        return is carried out: the home queue's figures err on the side of an alert.)"""
        return _earlier(self.loan_ends.get(operator_id), self.shift_ends.get(operator_id))

    def staff(self, key: QueueKey) -> list[int]:
        """The operators assigned to ``key`` now whose shift (or loan there) has not ended."""
        return self._staff.get(key, [])

    def staff_stints(self, key: QueueKey) -> list[Stint]:
        return [
            Stint(
                self.skill(operator_id, key[2])[1],
                start and start + self.switch,
                _earlier(end, self.leaves_at(operator_id)),
            )
            for operator_id, start, end in self.stints.get(key, [])
        ]


def _earlier(end: datetime | None, shift_end: datetime | None) -> datetime | None:
    """A stint's end, at the shift's end at the latest (None: still going)."""
    if shift_end is None:
        return end
    return shift_end if end is None else min(end, shift_end)


FLOOR_TABLES = frozenset(
    {
        "operators",
        "operator_assignments",
        "operator_assignment_history",
        "operator_process_capabilities",
        "operator_shifts",
        "progress_snapshots",
        "approval_history",
    }
)
"""What ``read_floor`` reads: a write to another table (a suggestion, an alert) keeps
the transaction's reading."""


def read_floor(
    session: Session,
    now: datetime,
    *,
    switch_minutes: float = 0.0,
    stints_since: datetime | None = None,
) -> FloorReading:
    """The reads every queue's figures need, as of ``now``; an arriving operator
    works from ``switch_minutes`` after their assignment. Stints that ended after
    ``stints_since`` are read (default: the last two windows, all the figures use).
    Read once per transaction (``store.session_memo``): a chat answer needs it for its
    scenario and again for the alert rules that order its queues."""
    return remembered(
        session,
        ("floor", now, switch_minutes, stints_since),
        lambda: _read_floor(session, now, switch_minutes, stints_since),
        tables=FLOOR_TABLES,
    )


def _read_floor(
    session: Session, now: datetime, switch_minutes: float, stints_since: datetime | None
) -> FloorReading:
    current = repo.assignments(session)
    stints: dict[QueueKey, list[tuple[int, datetime | None, datetime | None]]] = {}
    for operator_id, (key, since) in current.items():
        stints.setdefault(key, []).append((operator_id, since, None))
    since = now - 2 * WINDOW if stints_since is None else min(stints_since, now - 2 * WINDOW)
    for operator_id, key, started, ended in repo.past_stints(session, since=since, until=now):
        stints.setdefault(key, []).append((operator_id, started, ended))
    return FloorReading(
        now=now,
        history=repo.recent_snapshots(session, since=now - WINDOW, until=now),
        where={operator_id: key for operator_id, (key, _) in current.items()},
        skills={
            (op, process): (level, speed) for op, process, level, speed in repo.skills(session)
        },
        stints=stints,
        switch=timedelta(minutes=switch_minutes),
        shift_ends=shift_repo.shift_ends(session, now.date()),
        loan_ends={
            loan.operator_id: loan.until
            for loan in loan_returns.carried_out(
                session, since=now - loan_returns.LOOK_BACK, now=now, current=current
            )
        },
    )


def figures_of(
    reading: FloorReading,
    key: QueueKey,
    rows: Sequence[repo.SnapshotRow],
    *,
    forecast: bool = True,
) -> QueueFigures:
    """One queue's figures from its snapshots ``rows`` (time order, the latest last,
    which carries the deadline)."""
    history = [Observation(moment, waiting, entries) for moment, waiting, entries, _ in rows]
    deadline = rows[-1][3]
    assert deadline is not None
    staff = reading.staff(key)
    return queue_figures(
        history,
        [reading.skill(operator_id, key[2])[1] for operator_id in staff],
        reading.staff_stints(key),
        now=reading.now,
        deadline=deadline,
        forecast=forecast,
        staff_ends=[reading.leaves_at(operator_id) for operator_id in staff],
    )


def watched_figures(reading: FloorReading) -> dict[QueueKey, QueueFigures]:
    """Figures of every queue with a snapshot in the last window that has a deadline
    (what the alert scan watches)."""
    return {
        key: figures_of(reading, key, rows)
        for key, rows in reading.history.items()
        if rows[-1][3] is not None
    }


def all_figures(
    reading: FloorReading,
    latest: Mapping[QueueKey, repo.SnapshotRow],
    *,
    forecast: bool = True,
) -> dict[QueueKey, QueueFigures]:
    """Figures of every queue in ``latest`` (each queue's latest snapshot, however
    old) that has a deadline; a queue with no snapshot in the window is ``stale``."""
    result = {}
    for key, snap in latest.items():
        if snap[3] is None:
            continue
        rows = reading.history.get(key) or [snap]
        if rows[-1][0] != snap[0]:  # the latest reading is not in the window's rows
            rows = [*rows, snap]
        result[key] = figures_of(reading, key, rows, forecast=forecast)
    return result

"""One queue's day in 15-minute intervals, as intraday WFM views show it: arrivals
and processed per interval, each next to what the forecast said at the start of the
interval, and the rest of the day projected with the current staff and with the
queue's open plan.

The forecast of an interval is the one AIMEE would have shown at its start, from
the same definitions as every other surface (``planner.forecast``): arrivals at the
rate observed over the hour before; processed at the recorded speeds of the staff
who were on the queue then, times the pace observed over that hour, and never more
than the work there was. Actual figures come from the snapshots at the interval's
ends (processed: the change of ``entry_count``; arrivals: the change of the
waiting tasks plus what was processed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session

from aimee.planner import Plan, Scenario
from aimee.planner.figures import QueueFigures, scaled_speed
from aimee.planner.forecast import (
    ARRIVAL_CUTOFF_MINUTES,
    DEFAULT_WINDOW_MINUTES,
    Observation,
    Stint,
    efficiency,
    trend,
)
from aimee.services import floor
from aimee.services.overlaps import open_plan_ids, open_plans
from aimee.services.suggestions import stored_plan
from aimee.store.models import ProgressSnapshot
from aimee.store.repositories import progress as progress_repo
from aimee.store.repositories import queue_status as status_repo
from aimee.store.repositories import suggestions as suggestion_repo

INTERVAL = timedelta(minutes=15)
WINDOW = timedelta(minutes=DEFAULT_WINDOW_MINUTES)
QueueKey = tuple[str, str, str]


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime
    arrivals: int
    processed: int
    forecast_arrivals: float | None
    """None: nothing observed in the hour before the interval to forecast from."""
    forecast_processed: float | None
    staff: int
    """Operators on the queue at the interval's start."""
    waiting_end: int


@dataclass(frozen=True)
class ProjectedPoint:
    time: datetime
    waiting: float
    """With the staff on the queue now."""
    waiting_with_plan: float | None
    """With the open plan's staff (None: no open plan for this queue)."""


@dataclass(frozen=True)
class QueueDay:
    key: QueueKey
    now: datetime
    deadline: datetime | None
    intervals: list[Interval]
    projection: list[ProjectedPoint]
    plan_id: str | None
    """The open plan (pending, or approved and not carried out) for this queue."""


def _floor_time(moment: datetime) -> datetime:
    minutes = moment.minute - moment.minute % 15
    return moment.replace(minute=minutes, second=0, microsecond=0)


def _overlap_hours(stint: Stint, start: datetime, end: datetime) -> float:
    begin = max(start, stint.start) if stint.start is not None else start
    finish = min(end, stint.end) if stint.end is not None else end
    return max(0.0, (finish - begin).total_seconds() / 3600)


def _cumulative(history: list[Observation], moment: datetime) -> tuple[float, float] | None:
    """(processed so far, arrived so far + the first waiting) at ``moment``, read
    between the snapshots around it (linearly: snapshots need not fall on the
    quarter hours); None before the first snapshot."""
    if moment < history[0].time:
        return None
    after = next((o for o in history if o.time >= moment), history[-1])
    before = next((o for o in reversed(history) if o.time <= moment), history[0])
    if after.time <= before.time:
        return float(before.entry_count), float(before.waiting + before.entry_count)
    share = (moment - before.time) / (after.time - before.time)
    processed = before.entry_count + share * (after.entry_count - before.entry_count)
    total_before = before.waiting + before.entry_count
    total_after = after.waiting + after.entry_count
    return processed, total_before + share * (total_after - total_before)


def intervals(history: list[Observation], stints: list[Stint], now: datetime) -> list[Interval]:
    """The day's 15-minute intervals from the first snapshot up to ``now`` (the last
    one may be partial)."""
    if len(history) < 2:
        return []
    result = []
    start = _floor_time(history[0].time)
    end_of_data = min(now, history[-1].time)
    while start < end_of_data:
        end = min(start + INTERVAL, end_of_data)
        begin = max(start, history[0].time)
        first, last = _cumulative(history, begin), _cumulative(history, end)
        assert first is not None and last is not None
        processed = max(0.0, last[0] - first[0])
        arrived = max(0.0, last[1] - first[1])
        seen = [o for o in history if o.time <= begin]
        observed = trend(seen, stints, window_minutes=DEFAULT_WINDOW_MINUTES)
        known = len(seen) >= 2 and observed.window_minutes > 0
        hours = (end - begin).total_seconds() / 3600
        forecast_arrivals = observed.arrival_rate * hours if known else None
        capacity = sum(s.speed * _overlap_hours(s, begin, end) for s in stints) * efficiency(
            observed.pace
        )
        waiting_then = seen[-1].waiting if seen else history[0].waiting
        result.append(
            Interval(
                start=start,
                end=end,
                arrivals=round(arrived),
                processed=round(processed),
                forecast_arrivals=_one_decimal(forecast_arrivals),
                forecast_processed=_one_decimal(
                    min(capacity, waiting_then + forecast_arrivals)
                    if forecast_arrivals is not None
                    else None
                ),
                staff=sum(1 for s in stints if _overlap_hours(s, begin, end) > 0),
                waiting_end=max(0, round(last[1] - last[0])),
            )
        )
        start += INTERVAL
    return result


def _one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def project(
    waiting: float,
    arrival_rate: float,
    rate: float,
    *,
    now: datetime,
    deadline: datetime,
    until: datetime,
    later: tuple[datetime, float] | None = None,
    leaving: Sequence[tuple[datetime, float]] = (),
) -> list[tuple[datetime, float]]:
    """Tasks waiting at each quarter hour from ``now`` to ``until``: arrivals at
    ``arrival_rate`` until the cut-off before the deadline, work at ``rate`` (per
    hour), or from ``later``'s time on at its rate (moved operators who have switched);
    ``leaving``: (shift end, tasks per hour) of staff who go home, whose rate stops then."""
    cutoff = deadline - timedelta(minutes=ARRIVAL_CUTOFF_MINUTES)
    changes = sorted({t for t, _ in leaving} | ({later[0]} if later is not None else set()))
    points = [(now, waiting)]
    moment, left = now, waiting
    while moment < until:
        step_end = min(_floor_time(moment) + INTERVAL, until)
        inside = [t for t in changes if moment < t < step_end]
        if inside:
            step_end = inside[0]  # the rate changes inside this quarter hour
        hours = (step_end - moment).total_seconds() / 3600
        arriving_hours = max(0.0, (min(step_end, cutoff) - moment).total_seconds() / 3600)
        working = later[1] if later is not None and moment >= later[0] else rate
        working = max(0.0, working - sum(r for t, r in leaving if t <= moment))
        left = max(0.0, left + arrival_rate * arriving_hours - working * hours)
        moment = step_end
        if moment not in changes or moment == _floor_time(moment):
            points.append((moment, round(left, 1)))
    return points


def _leaving(figures: QueueFigures, until: datetime) -> list[tuple[datetime, float]]:
    """The staff who go home before ``until``: (shift end, their expected tasks per hour)."""
    return [
        (end, scaled_speed(speed, figures.efficiency))
        for speed, end in zip(figures.staff_speeds, figures.staff_ends, strict=True)
        if end is not None and figures.now < end < until
    ]


def queue_day(
    session: Session, key: QueueKey, *, now: datetime, switch_minutes: float
) -> QueueDay | None:
    """The queue's day so far and the rest of it; None when it has no snapshot today."""
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = progress_repo.queue_history(session, key, since=day_start, until=now)
    if not rows:
        return None
    history = [
        Observation(r.snapshot_time, r.total_waiting or 0, r.entry_count or 0)
        for r in rows
        if r.snapshot_time is not None
    ]
    switch = timedelta(minutes=switch_minutes)
    # one read of the floor: who was on the queue today, and its figures now
    reading = floor.read_floor(session, now, switch_minutes=switch_minutes, stints_since=day_start)
    stints = reading.staff_stints(key)
    deadline = rows[-1].expected_completion_time
    plan_id = open_plans(session, now).get(key)
    projection: list[ProjectedPoint] = []
    if deadline is not None:
        figures = floor.all_figures(reading, {key: _row(rows[-1])})[key]
        until = max(deadline, now) + INTERVAL
        leaving = _leaving(figures, until)  # the staff count until their shift ends
        curve = partial(
            project,
            figures.waiting,
            figures.observed.arrival_rate,
            figures.rate,
            now=now,
            deadline=deadline,
            until=until,
        )
        current = curve(leaving=leaving)
        lent: list[tuple[datetime, float]] | None = None
        if plan_id is None:  # no plan aimed at this queue: one that moves people to or from it
            plan_id, lent = _touching_plan(session, key, now=now, until=until, switch=switch)
        planned = None if lent else _plan_effect(session, plan_id, key, now=now, until=until)
        with_plan = None
        if planned is not None:  # the helpers work once they have switched
            with_plan = curve(later=(now + switch, planned[0]), leaving=[*leaving, *planned[1]])
        if lent:  # a plan borrows from this queue: its helpers away, then back
            with_plan = curve(leaving=[*leaving, *lent])
        projection = [
            ProjectedPoint(t, w, None if with_plan is None else with_plan[i][1])
            for i, (t, w) in enumerate(current)
        ]
    return QueueDay(
        key=key,
        now=now,
        deadline=deadline,
        intervals=intervals(history, stints, now),
        projection=projection,
        plan_id=plan_id,
    )


def _row(snapshot: ProgressSnapshot) -> status_repo.SnapshotRow:
    assert snapshot.snapshot_time is not None
    return (
        snapshot.snapshot_time,
        snapshot.total_waiting or 0,
        snapshot.entry_count or 0,
        snapshot.expected_completion_time,
    )


def _plan_effect(
    session: Session, plan_id: str | None, key: QueueKey, *, now: datetime, until: datetime
) -> tuple[float, list[tuple[datetime, float]]] | None:
    """The open plan's rate for this queue (tasks/hour, as the plan computed it) and its
    helpers who leave before ``until``: (the end of their loan or of their shift, their
    tasks per hour here). None without an open plan for the queue."""
    if plan_id is None:
        return None
    row = suggestion_repo.get(session, plan_id)
    if row is None:
        return None
    scenario, plan = stored_plan(row)
    found = next((q for q in plan.queues if q.key.id == key), None)
    if found is None or math.isnan(found.rate_after):
        return None
    people = {op.id: op for op in scenario.operators}
    leaving = []
    for move in plan.moves:
        helper = people.get(move.operator_id)
        ends = [t for t in (move.until, move.shift_end) if t is not None]
        if move.to.id != key or helper is None or not ends:
            continue
        skill = helper.skills.get(key[2])
        if now < min(ends) < until and skill is not None:
            leaving.append((min(ends), skill.speed))
    return found.rate_after, leaving


def _touching_plan(
    session: Session, key: QueueKey, *, now: datetime, until: datetime, switch: timedelta
) -> tuple[str | None, list[tuple[datetime, float]] | None]:
    """The newest open plan that moves people to this queue (its id; its effect is
    ``_plan_effect``'s) or lends them from it (its id and ``lending``'s changes), e.g. a plan
    for the rest of the day, aimed at no queue; (None, None) when none does."""
    for plan_id in open_plan_ids(session, now):
        row = suggestion_repo.get(session, plan_id)
        if row is None:
            continue
        scenario, plan = stored_plan(row)
        if any(m.to.id == key for m in plan.moves):
            return plan_id, None
        changes = lending(scenario, plan, key, now=now, until=until, switch=switch)
        if changes:
            return plan_id, changes
    return None, None


def lending(
    scenario: Scenario,
    plan: Plan,
    key: QueueKey,
    *,
    now: datetime,
    until: datetime,
    switch: timedelta,
) -> list[tuple[datetime, float]]:
    """What lending its helpers does to ``key``'s rate, as ``project``'s ``leaving``: each
    helper's tasks per hour here stop now; a loan's helper works here again from the loan's
    end plus the switch (their shift end, among the staff's, then stops them again); one who
    goes home from the destination does not stop a second time at their shift end."""
    people = {op.id: op for op in scenario.operators}
    changes: list[tuple[datetime, float]] = []
    for move in plan.moves:
        helper = people.get(move.operator_id)
        skill = None if helper is None else helper.skills.get(key[2])
        if move.from_ is None or move.from_.id != key or skill is None:
            continue
        changes.append((now, skill.speed))
        end = move.shift_end
        back = None if move.until is None else move.until + switch
        if back is not None and back < until and (end is None or back < end):
            changes.append((back, -skill.speed))
        elif end is not None and now < end < until:
            changes.append((end, -skill.speed))  # their shift end already stops them
    return changes

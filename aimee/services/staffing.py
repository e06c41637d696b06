"""The staffing timeline of the floor: who worked on which queue when today, the
moves promised to approved plans that are not carried out yet, and the moves the latest
plan for the rest of the day intends (not approved: its timeline, and its first moves while
they wait for a decision).

Stints come from the assignment history (``operator_assignment_history``, written
by every executed move and assignments import) and the current assignments with
their ``since``; the day starts at the first snapshot of the day. A planned move is
an operator in an open commitment (``store/repositories/commitments.py``), going to
where the approved plan sends them, for a loan until when and back where; a planned
return is a helper on a loan carried out today (an approved plan's move, the operator
on its destination now) whose loan ends later. Each carries the operator's shift end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aimee.services import loan_returns
from aimee.services.suggestions import TimelineStep, stored_plan
from aimee.store.models import Operator, ProgressSnapshot
from aimee.store.repositories import commitments
from aimee.store.repositories import operators as operator_repo
from aimee.store.repositories import queue_status as status_repo
from aimee.store.repositories import shifts as shift_repo
from aimee.store.repositories import suggestions as suggestion_repo

QueueKey = tuple[str, str, str]


@dataclass(frozen=True)
class Segment:
    operator_id: int
    name: str
    home: str
    """The operator's own site."""
    queue: QueueKey
    start: datetime
    end: datetime
    ongoing: bool
    """Still on this queue now (``end`` is now)."""


@dataclass(frozen=True)
class PlannedMove:
    operator_id: int
    name: str
    home: str
    source: QueueKey | None
    target: QueueKey
    suggestion_id: str
    at: datetime | None = None
    """When the move happens: None, once it is carried out (an approved move); a time for
    the return of a loan already carried out."""
    until: datetime | None = None
    """A loan: the helper leaves ``target`` then and goes back to ``source``."""
    returns: bool = False
    """The helper goes back after the loan (their shift still on)."""
    shift_end: datetime | None = None
    """When the operator's shift ends today (None: not known)."""


@dataclass(frozen=True)
class IntendedMove:
    """A move of the latest plan for the rest of the day that nobody has approved: its
    first moves while it waits for a decision, and its later moves (the intended timeline,
    re-planned as data arrives)."""

    operator_id: int
    name: str
    home: str
    source: QueueKey | None
    target: QueueKey
    suggestion_id: str
    at: datetime
    until: datetime | None
    """When the plan takes them on to another queue (None: they stay)."""
    back: bool
    """At ``until`` they go back to ``source``."""
    first: bool
    """A first move, approved with the suggestion (the others are informational)."""
    shift_end: datetime | None = None


@dataclass(frozen=True)
class Timeline:
    day_start: datetime
    now: datetime
    segments: list[Segment]
    planned: list[PlannedMove]
    intended: list[IntendedMove] = field(default_factory=list)
    intended_made_at: datetime | None = None
    """When the plan the intended moves come from was made (the data it planned from)."""


def _day_start(session: Session, now: datetime) -> datetime:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    first = session.scalar(
        select(func.min(ProgressSnapshot.snapshot_time)).where(
            ProgressSnapshot.snapshot_time >= midnight, ProgressSnapshot.snapshot_time <= now
        )
    )
    return first or midnight


def timeline(session: Session, *, now: datetime, location: str | None = None) -> Timeline:
    """Today's stints and the planned moves, of the operators of ``location`` (their
    own site) or working there today; all of them without ``location``."""
    start = _day_start(session, now)
    people = {r.operator.operator_id: r.operator for r in operator_repo.all_active(session)}

    def wanted(operator_id: int, *queues: QueueKey | None) -> bool:
        op = people.get(operator_id)
        if op is None:
            return False
        return (
            location is None
            or op.location_name == location
            or any(q is not None and q[0] == location for q in queues)
        )

    def segment(
        op_id: int, queue: QueueKey, begin: datetime, end: datetime, ongoing: bool
    ) -> Segment:
        op = people[op_id]
        return Segment(
            op_id, op.operator_name or "", op.location_name or "", queue, begin, end, ongoing
        )

    segments = [
        segment(op_id, queue, max(began, start), min(ended, now), False)
        for op_id, queue, began, ended in status_repo.past_stints(session, since=start, until=now)
        if wanted(op_id, queue) and ended > start
    ]
    current = status_repo.assignments(session)
    segments += [
        segment(op_id, queue, max(since or start, start), now, True)
        for op_id, (queue, since) in current.items()
        if wanted(op_id, queue)
    ]
    ends = shift_repo.shift_ends(session, now.date())
    held = commitments.holders(session, now)  # operator -> the approved plan holding them
    planned = [
        move
        for move in [
            *_planned(session, held, current, people, ends),
            *_returns(session, now, start, people, ends),
        ]
        if wanted(move.operator_id, move.source, move.target)
    ]
    made_at, ahead = _intended(session, now, start, people)
    promised = {(m.operator_id, m.target, m.at) for m in planned}  # an approved loan's return
    intended = [
        m
        for m in ahead
        if wanted(m.operator_id, m.source, m.target)
        and (m.operator_id, m.target, m.at) not in promised
    ]
    segments.sort(key=lambda s: (s.queue, s.name, s.start))
    return Timeline(
        day_start=start,
        now=now,
        segments=segments,
        planned=planned,
        intended=intended,
        intended_made_at=made_at if intended else None,
    )


DAY_PLAN_STATUSES = ("pending", "approved", "modified")


def _intended(
    session: Session, now: datetime, day_start: datetime, people: dict[int, Operator]
) -> tuple[datetime | None, list[IntendedMove]]:
    """The moves of the newest plan for the rest of the day made today (a suggestion that
    carries a timeline): its first moves while pending, and its later moves still ahead;
    none when that plan was rejected or has lapsed (an older plan's timeline is stale)."""
    newest = suggestion_repo.newest_day_plans(session, since=day_start, until=now)
    # of several made the same minute, the one the others were replaced by
    latest = next((row for row in newest if row.status != "expired"), newest[0] if newest else None)
    lapsed = latest is not None and latest.status == "pending" and latest.expires_at <= now
    if latest is None or latest.status not in DAY_PLAN_STATUSES or lapsed:
        return None, []
    moves = []
    if latest.status == "pending":
        _scenario, plan = stored_plan(latest)
        for m in plan.moves:
            op = people.get(m.operator_id)
            if op is None:
                continue
            moves.append(
                IntendedMove(
                    m.operator_id,
                    op.operator_name or "",
                    op.location_name or "",
                    None if m.from_ is None else m.from_.id,
                    m.to.id,
                    latest.suggestion_id,
                    at=max(now, latest.created_at),
                    until=m.until,
                    back=m.returns,
                    first=True,
                    shift_end=m.shift_end,
                )
            )
    for raw in latest.plan.get("timeline", []):
        step = TimelineStep.model_validate(raw)
        op = people.get(step.operator_id)
        if op is None or step.at < now:
            continue
        moves.append(
            IntendedMove(
                step.operator_id,
                op.operator_name or "",
                op.location_name or "",
                None
                if step.from_business_id is None or step.from_process is None
                else (step.from_, step.from_business_id, step.from_process),
                (step.to, step.business_id, step.process),
                latest.suggestion_id,
                at=step.at,
                until=step.until,
                back=step.back,
                first=False,
                shift_end=step.shift_end,
            )
        )
    return latest.created_at, sorted(moves, key=lambda m: (m.at, m.name))


def _planned(
    session: Session,
    held: dict[int, str],
    current: dict[int, tuple[QueueKey, datetime | None]],
    people: dict[int, Operator],
    ends: dict[int, datetime],
) -> list[PlannedMove]:
    targets: dict[str, dict[int, QueueKey]] = {}
    loans: dict[str, dict[int, datetime]] = {}
    for suggestion_id in set(held.values()):
        row = suggestion_repo.get(session, suggestion_id)
        if row is None:
            continue
        _scenario, plan = stored_plan(row)
        targets[suggestion_id] = {m.operator_id: m.to.id for m in plan.moves}
        loans[suggestion_id] = {m.operator_id: m.until for m in plan.moves if m.until}
        for change in row.changes or []:  # a modified approval: the moves it approved
            queue = (change["to"], change["business_id"], change["process"])
            for operator_id in change["operator_ids"]:
                targets[suggestion_id][int(operator_id)] = queue
                if change.get("until"):
                    loans[suggestion_id][int(operator_id)] = datetime.fromisoformat(change["until"])
    moves = []
    for operator_id, suggestion_id in held.items():
        target = targets.get(suggestion_id, {}).get(operator_id)
        op = people.get(operator_id)
        if target is None or op is None:
            continue
        source = current.get(operator_id, (None, None))[0]
        until = loans.get(suggestion_id, {}).get(operator_id) if source is not None else None
        end = ends.get(operator_id)
        moves.append(
            PlannedMove(
                operator_id,
                op.operator_name or "",
                op.location_name or "",
                source,
                target,
                suggestion_id,
                until=until,
                returns=until is not None and (end is None or until < end),
                shift_end=end,
            )
        )
    return sorted(moves, key=lambda m: (m.target, m.name))


def _returns(
    session: Session,
    now: datetime,
    day_start: datetime,
    people: dict[int, Operator],
    ends: dict[int, datetime],
) -> list[PlannedMove]:
    """Helpers on a loan carried out today whose loan ends after now, with their shift
    still on then: they go back to where the plan took them from."""
    returns = [
        PlannedMove(
            loan.operator_id,
            op.operator_name or "",
            op.location_name or "",
            loan.destination,
            loan.origin,
            loan.suggestion_id,
            at=loan.until,
            shift_end=end,
        )
        for loan in loan_returns.carried_out(session, since=day_start, now=now)
        if loan.until > now
        and (op := people.get(loan.operator_id)) is not None
        and ((end := ends.get(loan.operator_id)) is None or end > loan.until)
    ]
    return sorted(returns, key=lambda m: (m.at or now, m.target, m.name))

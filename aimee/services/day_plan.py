"""The plan for the rest of the day (issue 19): the time-phased plan of every queue on the
current data, solved in the background, turned into a suggestion whose ``changes`` are its
first moves and which carries the rest as the intended timeline.

A solve takes up to ``AIMEE_DAY_PLAN_TIME_LIMIT_S`` (5 s on the demo floor), far beyond a
chat answer's budget, so it is a job: ``DayPlanner.request`` builds the floor (tens of
milliseconds), and unless a job for the same data has been started already, starts one and
answers at once with its id. The job's state (running with its progress, done with the
suggestion it made, failed with why) lives in the shared cache (Redis, or the SQLite cache
file), so any API process answers ``status``; the data's fingerprint maps to the job, so
managers asking on the same data share one solve, and new data (a snapshot, a move, a
minute later) makes a new plan: the timeline is re-planned as data arrives.

The suggestion is a plan like any other for approval: its moves are the first moves (a loan
carries ``until`` when the timeline brings the helper back, and none when it takes them on
elsewhere, which the timeline then shows), evaluated on the current data as every plan is
stated (``plan_from_moves``: late tasks at the deadline, a loan lasting until the
destination's deadline); approving approves them only."""

from __future__ import annotations

import hashlib
import logging
import math
import multiprocessing
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from aimee.cache import Cache
from aimee.cache.base import get_json, set_json
from aimee.planner import Move, Plan, PlanMove, QueueKey, Scenario, plan_from_moves
from aimee.planner.domain import QueueId
from aimee.planner.explain import AT_MAX_MOVES
from aimee.planner.timephased import PhasedPlan, PhaseRules, later_moves, plan_timeline
from aimee.services.approvals import busy_operators
from aimee.services.policy import Policy
from aimee.services.scenarios import Situation, build_situation
from aimee.services.suggestions import (
    DaySummary,
    SuggestionPublic,
    TimelineStep,
    create_suggestion,
    get_suggestion,
    stored_plan,
    to_public,
)
from aimee.store.db import transaction
from aimee.store.repositories import queue_status as status_repo
from aimee.store.repositories import suggestions as suggestion_repo

log = logging.getLogger(__name__)

JOB_TTL_S = 3600.0
"""How long a job's state is kept (its suggestion stays in the database)."""
DATA_TTL_S = 900.0
"""How long the same data keeps pointing at its job (a re-plan after that)."""
STALE_AFTER_S = 120.0
"""A job still running this long after its time limit is taken for lost (its API process
was restarted or killed mid-solve): it reads as failed, and the next request plans again."""
CHAT_WAITERS = 1
"""Chat turns of one API process that wait for a day plan at once (``wait_in_chat``)."""
AUTO_REPLAN_USER = "自動再計画"
"""Who made a plan the alert worker re-planned (the suggestion's ``created_by``)."""
REPLAN_TRIED_KEY = "dayplan:replan-tried"
"""When the worker last tried to re-plan (business time)."""
LATEST_KEY = "dayplan:latest"
"""The job that finished last (what the chat shows someone who may not start one)."""
STALE = "計画の計算が途中で止まりました。もう一度「本日の残りを計画」を押してください。"
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


@dataclass(frozen=True)
class DayInputs:
    """The floor a plan for the rest of the day starts from."""

    now: datetime
    situation: Situation
    """The situation now (the product's figures; its scenario's ``waiting`` is each queue's
    work up to its deadline, as every snapshot plan is stated)."""
    scenario: Scenario
    """The same floor with the tasks waiting now: arrivals come interval by interval."""
    rates: dict[QueueId, float]
    """Each queue's recent arrival rate (tasks/hour)."""
    stay_until: dict[int, datetime] = field(default_factory=dict)
    """Operators moved less than the minimum stay ago stay where they are until then."""

    @property
    def data_version(self) -> str:
        """The data the plan rests on, the time apart: each queue's latest snapshot, where
        everyone works and who is locked. The same version later is only the clock moving,
        no reason to re-plan by itself."""
        snapshots = sorted(
            (key, snap.snapshot_id) for key, snap in self.situation.snapshots.items()
        )
        people = sorted(
            (op.id, op.assigned.id if op.assigned else None, op.locked)
            for op in self.scenario.operators
        )
        return hashlib.sha256(repr((snapshots, people)).encode()).hexdigest()

    @property
    def fingerprint(self) -> str:
        payload = self.scenario.model_dump_json() + repr(sorted(self.rates.items()))
        payload += repr(sorted(self.stay_until.items()))
        return hashlib.sha256(payload.encode()).hexdigest()


def day_inputs(session: Session, *, now: datetime, policy: Policy) -> DayInputs:
    """The whole floor at ``now`` (to the minute): people promised to approved moves not
    carried out yet are locked, as in every plan."""
    now = now.replace(second=0, microsecond=0)
    busy = busy_operators(session, now=now)
    situation = build_situation(session, rules=policy.rules, now=now, locked_operator_ids=busy)
    scenario = situation.scenario.model_copy(
        update={
            "queues": [
                q.model_copy(update={"waiting": situation.figures[q.id].waiting})
                for q in situation.scenario.queues
            ]
        }
    )
    rates = {key: f.observed.arrival_rate for key, f in situation.figures.items()}
    stay = timedelta(minutes=RULES.min_stay_minutes)
    on_floor = {op.id for op in scenario.operators}
    stay_until = {
        op_id: since + stay
        for op_id, (_queue, since) in status_repo.assignments(session).items()
        if op_id in on_floor and since is not None and since + stay > now
    }
    return DayInputs(now, situation, scenario, rates, stay_until)


class DayPlanStatus(BaseModel):
    """A plan for the rest of the day being made, or made."""

    id: str
    state: str = Field(description="running / done / failed")
    progress: float = Field(description="0..1: the share of the time limit used so far")
    started_at: datetime = Field(description="the business time of the data it plans from")
    time_limit_s: float
    message: str = Field("", description="what happened, in Japanese (done / failed)")
    suggestion_id: str | None = Field(
        None, description="the suggestion of its first moves (done, when someone should move)"
    )
    suggestion: SuggestionPublic | None = None
    timeline: list[TimelineStep] = Field(
        default_factory=list, description="the moves planned after the first ones"
    )
    day: DaySummary | None = None


def _step(
    scenario: Scenario, op_id: int, at: datetime, origin: QueueId | None, to: QueueId, **kw: Any
) -> TimelineStep:
    ops = {op.id: op for op in scenario.operators}
    op = ops[op_id]
    return TimelineStep(
        at=at,
        operator=op.name,
        operator_id=op_id,
        from_="待機" if origin is None else origin[0],
        from_business_id=None if origin is None else origin[1],
        from_process=None if origin is None else origin[2],
        to=to[0],
        business_id=to[1],
        process=to[2],
        shift_end=op.shift_end,
        **kw,
    )


def timeline_steps(inputs: DayInputs, result: PhasedPlan) -> list[TimelineStep]:
    """The later moves of ``result`` as the card lists them."""
    scenario = inputs.scenario
    home = {op.id: op.assigned.id if op.assigned else None for op in scenario.operators}
    return [
        _step(
            scenario,
            m.operator_id,
            m.at,
            m.from_,
            m.to,
            until=m.until,
            # a loan within the timeline; back on their own queue, leaving again is no loan
            back=m.then is not None and m.then == m.from_ and m.to != home.get(m.operator_id),
            returning=m.to == home.get(m.operator_id),
            idle_after=m.until is not None and m.then is None,
        )
        for m in later_moves(result, scenario)
    ]


def first_plan(inputs: DayInputs, result: PhasedPlan) -> tuple[Scenario, Plan]:
    """The first moves as a plan on the current data (stated at the deadline): each move
    from a queue carries ``until`` when the timeline brings the helper back then, and none
    when it keeps them there or takes them on elsewhere (a later move)."""
    shown = inputs.situation.scenario
    deadlines = {q.id: q.deadline for q in shown.queues}
    moves = [Move(operator_id=m.operator_id, to=_key(m.to)) for m in result.first_moves]
    receiving = sorted({m.to for m in result.first_moves})
    rules = shown.rules.model_copy(
        update={
            "margin_minutes": 0.0,
            # the queues it helps now: an alert on one of them opens this plan, 工程の推移
            # draws it, and 再計算 re-plans the first of them
            "targets": [_key(q) for q in receiving] or None,
            # the timeline's first interval may move more people than a snapshot plan
            "max_moves": max(shown.rules.max_moves, len(moves)),
        }
    )
    at_deadline = shown.model_copy(update={"rules": rules})
    plan = plan_from_moves(at_deadline, moves)
    untils = {
        m.operator_id: min(m.until, deadlines[m.to]) if m.returns and m.until else None
        for m in result.first_moves
    }
    stated = [_with_until(move, untils.get(move.operator_id)) for move in plan.moves]
    # the head count is the timeline's first interval, not a cap the plan reached: the
    # snapshot's 「移動人数が上限N名に達しています（残る遅延見込み…）」 is not true of it
    rules_applied = [r for r in plan.rules_applied if not r.startswith(AT_MAX_MOVES)]
    return at_deadline, plan.model_copy(
        update={
            "moves": stated,
            "method": "timephased",
            "status": result.status,
            "rules_applied": rules_applied,
        }
    )


def _with_until(move: PlanMove, until: datetime | None) -> PlanMove:
    if move.from_ is None:
        return move
    return move.model_copy(update={"until": until})


def _key(queue: QueueId) -> QueueKey:
    return QueueKey(location=queue[0], business_id=queue[1], process=queue[2])


USELESS_GAP = 0.99
"""A gap this large (a bound near 0: 「最大100%」) says nothing, and is given as none."""


def proven_gap(result: PhasedPlan) -> float | None:
    """The most the plan's objective may exceed the optimum's, as a share of it: 0 when
    proven optimal, None when no useful bound was proven."""
    if result.optimal or result.objective <= 0:  # nothing late: nothing does better
        return 0.0
    bound = result.objective_bound
    if bound is None or not math.isfinite(bound):
        return None
    gap = max(0.0, (result.objective - max(0.0, bound)) / result.objective)
    return None if gap >= USELESS_GAP else gap


def proof(optimal: bool, gap: float | None) -> str:
    """How good the plan is proven to be, as the card and the chat say it."""
    if optimal:
        return "最適であることを証明済みです。"
    if gap == 0:  # stage 1 proven, the fewest switches not
        return "遅延件数では最適であることを証明済みです（切替回数が最少かは未証明）。"
    if gap is None:
        return "計算時間内に最適とは証明できていません（最適との差の上限も不明）。"
    share = "1%未満" if gap < 0.01 else f"最大{math.ceil(gap * 100)}%"
    return (
        f"計算時間内に最適とは証明できていませんが、最適との差は{share}です"
        "（計画の目的値、優先度で重み付けした目標時刻での遅延件数で）。"
    )


def summary(result: PhasedPlan) -> DaySummary:
    gap = proven_gap(result)
    return DaySummary(
        gap=gap,
        proof=proof(result.optimal, gap),
        late_before=round(sum(result.late_before_at_deadline.values()), 1),
        late_after=round(sum(result.late_at_deadline.values()), 1),
        switches=result.switches,
        optimal=result.optimal,
        solve_ms=round(result.solve_ms, 1),
        intervals=result.n_intervals,
    )


REPLACED_WINDOW = 500
"""Pending suggestions of the day looked at when a newer plan for the rest of the day replaces
the older ones (far more than a day makes)."""


def replace_older(session: Session, newest_id: str, *, now: datetime) -> int:
    """A plan for the rest of the day made on newer data replaces the pending ones made
    earlier today: they are expired (approving one says so), so two day plans never offer
    the same people side by side. Returns how many were replaced."""
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    older = [
        row.suggestion_id
        for row in suggestion_repo.list_suggestions(
            session, status="pending", since=day_start, until=now, limit=REPLACED_WINDOW
        )
        if row.suggestion_id != newest_id and (row.plan or {}).get("day") is not None
    ]
    # only those still pending: an approval committed meanwhile stands
    replaced = suggestion_repo.expire_pending(session, older)
    if replaced:
        log.info("day plan %s replaces %d older pending day plans", newest_id or "-", replaced)
    return replaced


def reason(plan: Plan, day: DaySummary, later: int) -> str:
    before, after = round(day.late_before), round(day.late_after)
    first = f"今の{len(plan.moves)}名の移動" if plan.moves else "今は移動なし"
    then = f"、その後{later}件の移動（今後の予定）" if later else ""
    return (
        f"本日の残りの時間帯別計画です: {first}{then}で、納期時点の遅延見込みを全体で"
        f"{before:,}件から{after:,}件にします（到着見込みを含む）。承認するのは今の移動だけで、"
        "今後の予定はデータの更新に合わせて再計画します。"
    )


class DayPlanner:
    """Starts plans for the rest of the day and answers where they stand."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        cache: Cache,
        *,
        policy: Policy,
        time_limit_s: float,
        run: Runner = in_thread,
        solve: Solve = solve_apart,
    ) -> None:
        self._sessions = sessions
        self._cache = cache
        self._policy = policy
        self.time_limit_s = time_limit_s
        self._run = run
        self._solve_plan = solve
        self._done: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._chat_waiting = threading.BoundedSemaphore(CHAT_WAITERS)
        self.solves = 0
        """Jobs started by this process (for the tests and the bench)."""

    @staticmethod
    def _job_key(job_id: str) -> str:
        return f"dayplan:job:{job_id}"

    def current(self, session: Session, *, now: datetime) -> DayPlanStatus | None:
        """The plan on the data at ``now`` (running or done), without starting one; else the
        plan finished last on the same business day (made from older data); else None."""
        inputs = day_inputs(session, now=now, policy=self._policy)
        for job_id in (
            self._cache.get(f"dayplan:data:{inputs.fingerprint}"),
            self._cache.get(LATEST_KEY),
        ):
            found = None if job_id is None else self.read(job_id)
            today = found is not None and found.started_at.date() == inputs.now.date()
            if found is not None and found.state != "failed" and today:
                return found
        return None

    def replan_due(
        self, session: Session, *, now: datetime, after: timedelta
    ) -> DayPlanStatus | None:
        """Plan the rest of the day again from the data at ``now`` when the plan finished last
        is ``after`` old or older and the data changed since (a snapshot, a move, a lock): the
        intended timeline is re-planned as data arrives (the alert worker's round). Only once
        someone has made such a plan today, not after its suggestion was rejected, and at
        most once per ``after`` (a failed attempt waits too); the new plan replaces the old
        one while pending."""
        job_id = self._cache.get(LATEST_KEY)
        latest = None if job_id is None else self.read(job_id)
        if latest is None or latest.state != "done":
            return None
        if latest.started_at.date() != now.date() or now - latest.started_at < after:
            return None
        tried = self._cache.get(REPLAN_TRIED_KEY)  # a failed re-plan waits as long again
        if tried is not None and now - datetime.fromisoformat(tried) < after:
            return None
        if latest.suggestion_id is not None:
            row = suggestion_repo.get(session, latest.suggestion_id)
            if row is None or row.status == "rejected":
                return None
        record = get_json(self._cache, self._job_key(latest.id)) or {}
        inputs = day_inputs(session, now=now, policy=self._policy)
        if record.get("data_version") == inputs.data_version:
            return None  # nothing new: the same plan with the clock moved on
        self._cache.set(REPLAN_TRIED_KEY, now.isoformat(), JOB_TTL_S)
        found = self._job_for(inputs, AUTO_REPLAN_USER)
        log.info("day plan re-planned from the data at %s: job %s", f"{now:%H:%M}", found.id)
        return found

    def card(self, suggestion_id: str) -> tuple[SuggestionPublic, Scenario, Plan] | None:
        """A job's suggestion, with the plan it states, read in a session of its own: the
        job wrote it in another transaction after the caller's began (a REPEATABLE READ
        snapshot, as MariaDB's, would not see it)."""
        with self._sessions() as session:
            row = suggestion_repo.get(session, suggestion_id)
            if row is None:
                return None
            return to_public(row), *stored_plan(row)

    def request(self, session: Session, *, now: datetime, user: str | None) -> DayPlanStatus:
        """The job planning the rest of the day on the data at ``now``: the one already
        started on the same data (running or done), else a new one."""
        return self._job_for(day_inputs(session, now=now, policy=self._policy), user)

    def _job_for(self, inputs: DayInputs, user: str | None) -> DayPlanStatus:
        data_key = f"dayplan:data:{inputs.fingerprint}"
        known = self._cache.get(data_key)
        if known is not None:
            found = self.read(known)
            if found is not None and found.state != "failed":
                return found
            self._cache.delete(data_key)
        job_id = f"DP{inputs.now:%Y%m%d%H%M}-{secrets.token_hex(4).upper()}"
        # The job's record first, then the data's key: a request that finds the key finds
        # the record too (the other way round, it took the job for forgotten and solved again).
        self._save(
            {
                "id": job_id,
                "state": "running",
                "started_at": inputs.now.isoformat(),
                "time_limit_s": self.time_limit_s,
                "wall_start": time.time(),
                "data_version": inputs.data_version,
            }
        )
        with self._lock:  # before the data's key: a request that finds it can wait for it
            self._done[job_id] = threading.Event()
        if not self._cache.add(data_key, job_id, DATA_TTL_S):
            other = self._cache.get(data_key)  # started by another request a moment ago
            found = None if other is None else self.read(other)
            if found is not None and found.state != "failed":
                self._cache.delete(self._job_key(job_id))
                with self._lock:
                    self._done.pop(job_id, None)
                return found
            self._cache.set(data_key, job_id, DATA_TTL_S)
        with self._lock:
            self.solves += 1
        self._run(lambda: self._solve(job_id, inputs, user))
        return self.read(job_id) or self._missing(job_id, inputs.now)

    def _missing(self, job_id: str, now: datetime) -> DayPlanStatus:
        return DayPlanStatus(
            id=job_id,
            state="failed",
            progress=0.0,
            started_at=now,
            time_limit_s=self.time_limit_s,
            message="計画の状態を保存できませんでした。もう一度お試しください。",
        )

    def _save(self, record: dict[str, Any]) -> None:
        set_json(self._cache, self._job_key(record["id"]), record, JOB_TTL_S)

    def _solve(self, job_id: str, inputs: DayInputs, user: str | None) -> None:
        record: dict[str, Any] = get_json(self._cache, self._job_key(job_id)) or {"id": job_id}
        try:
            result = self._solve_plan(
                inputs.scenario, inputs.rates, inputs.stay_until, self.time_limit_s
            )
            steps = timeline_steps(inputs, result)
            day = summary(result)
            record.update(
                state="done",
                timeline=[s.model_dump(mode="json") for s in steps],
                day=day.model_dump(mode="json"),
            )
            if result.first_moves:
                scenario, plan = first_plan(inputs, result)
                with transaction(self._sessions) as session:
                    card = create_suggestion(
                        session,
                        scenario,
                        plan,
                        now=inputs.now,
                        created_by=user,
                        timeline=steps,
                        day=day,
                        reason=reason(plan, day, len(steps)),
                    )
                    replace_older(session, card.id, now=inputs.now)
                record.update(suggestion_id=card.id, message=card.reason)
            else:  # nobody moves now: an older pending plan is not to be approved either
                with transaction(self._sessions) as session:
                    replace_older(session, "", now=inputs.now)
                record["message"] = "今は移動の必要はありません。" + (
                    f"今後の予定（{len(steps)}件の移動）を下に示します。" if steps else ""
                )
            log.info(
                "day plan %s: %d first moves, %d later, late %.1f -> %.1f in %.0f ms",
                job_id,
                len(result.first_moves),
                len(steps),
                day.late_before,
                day.late_after,
                result.solve_ms,
            )
        except Exception:  # the job must say it failed, never hang at "running"
            log.exception("day plan %s failed", job_id)
            record.update(
                state="failed",
                message="計画を作成できませんでした。もう一度「本日の残りを計画」を押してください。",
            )
        self._save(record)
        if record["state"] == "done":
            self._cache.set(LATEST_KEY, job_id, JOB_TTL_S)
        with self._lock:
            done = self._done.pop(job_id, None)
        if done is not None:
            done.set()

    def read(self, job_id: str) -> DayPlanStatus | None:
        """Where the job stands (None: unknown or forgotten)."""
        record = get_json(self._cache, self._job_key(job_id))
        if record is None:
            return None
        elapsed = time.time() - float(record.get("wall_start", time.time()))
        limit = float(record.get("time_limit_s", self.time_limit_s))
        if record["state"] == "running" and elapsed > limit + STALE_AFTER_S:
            # the process solving it is gone (restarted, killed): say so, not "99%" for an hour
            record.update(state="failed", message=STALE)
        running = record["state"] == "running"
        day = record.get("day")
        return DayPlanStatus(
            id=record["id"],
            state=record["state"],
            progress=min(0.99, max(0.0, elapsed / limit)) if running else 1.0,
            started_at=datetime.fromisoformat(record["started_at"]),
            time_limit_s=limit,
            message=record.get("message", ""),
            suggestion_id=record.get("suggestion_id"),
            timeline=[TimelineStep.model_validate(s) for s in record.get("timeline", [])],
            day=None if day is None else DaySummary.model_validate(day),
        )

    def wait(self, job_id: str, timeout_s: float) -> None:
        """Wait up to ``timeout_s`` for a job this process runs to finish (long polling;
        a job of another process is not waited for)."""
        with self._lock:
            done = self._done.get(job_id)
        if done is not None and timeout_s > 0:
            done.wait(timeout_s)

    def wait_in_chat(self, job_id: str, timeout_s: float) -> bool:
        """``wait``, for a chat turn: only ``CHAT_WAITERS`` turns of this process wait at a
        time, since a waiting turn holds one of the few chat slots (``api.turn_gate``) and
        three approvers asking at once would stall everyone's questions; the others answer
        at once that the plan is being made. False when this turn did not wait."""
        if not self._chat_waiting.acquire(blocking=False):
            return False
        try:
            self.wait(job_id, timeout_s)
        finally:
            self._chat_waiting.release()
        return True

    def chat_waiters_free(self) -> bool:
        """Whether a chat turn could wait now (for the tests and the bench)."""
        if not self._chat_waiting.acquire(blocking=False):
            return False
        self._chat_waiting.release()
        return True

    def status(self, session: Session, job_id: str) -> DayPlanStatus | None:
        """``read`` with the suggestion it made, as the API shows it."""
        found = self.read(job_id)
        if found is None or found.suggestion_id is None:
            return found
        return found.model_copy(
            update={"suggestion": to_public(get_suggestion(session, found.suggestion_id))}
        )


def seconds_left(status: DayPlanStatus) -> int:
    """About how many seconds a running job still takes."""
    return max(0, math.ceil(status.time_limit_s * (1.0 - status.progress)))

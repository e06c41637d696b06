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
stated (``plan_from_moves``: late tasks at the deadline, each loan lasting until its ``until``
and a move without one counted as permanent); approving approves them only."""

from __future__ import annotations

import logging
import math
import secrets
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from aimee.cache import Cache
from aimee.cache.base import get_json, set_json
from aimee.planner import Plan, Scenario
from aimee.services.day_plan_build import (
    DayInputs,
    day_inputs,
    first_plan,
    reason,
    summary,
    timeline_steps,
)
from aimee.services.day_plan_solve import Runner, Solve, in_thread, solve_apart
from aimee.services.policy import Policy
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


def replace_older(session: Session, newest_id: str, *, now: datetime) -> int:
    """A plan for the rest of the day made on newer data replaces the pending ones made
    earlier today: they are expired (approving one says so), so two day plans never offer
    the same people side by side. Returns how many were replaced."""
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    older = [
        suggestion_id
        for suggestion_id in suggestion_repo.pending_day_plan_ids(
            session, since=day_start, until=now
        )
        if suggestion_id != newest_id
    ]
    # only those still pending: an approval committed meanwhile stands
    replaced = suggestion_repo.expire_pending(session, older)
    if replaced:
        log.info("day plan %s replaces %d older pending day plans", newest_id or "-", replaced)
    return replaced


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

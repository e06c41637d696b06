"""Planner input (Scenario) and output (Plan) models: the JSON contract of docs/planner.md.

Times are ISO 8601. Naive local times are the norm; timezone-aware times are accepted as long
as every time of a scenario is of the same kind, so that all comparisons are consistent.
Speeds are tasks per hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

QueueId = tuple[str, str, str]
"""(location, business_id, process): the identity of a queue."""

SkillLevel = Annotated[int, Field(ge=1, le=5)]
NonNegativeFloat = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QueueKey(_Strict):
    """Where an operator works: a (location, business_id, process) triple."""

    location: str
    business_id: str
    process: str

    @property
    def id(self) -> QueueId:
        return (self.location, self.business_id, self.process)

    def label(self) -> str:
        """Short Japanese-friendly label, e.g. 札幌/523201/エントリ1."""
        return f"{self.location}/{self.business_id}/{self.process}"


class Queue(QueueKey):
    """A queue of waiting tasks with a deadline."""

    waiting: Annotated[int, Field(ge=0)]
    deadline: datetime
    priority: NonNegativeFloat = 1.0

    @property
    def key(self) -> QueueKey:
        return QueueKey(location=self.location, business_id=self.business_id, process=self.process)


class Skill(_Strict):
    level: SkillLevel
    speed: NonNegativeFloat
    experience_months: Annotated[int, Field(ge=0)] = 0


class Operator(_Strict):
    id: int
    name: str
    location: str
    locked: bool = False
    locked_reason: str | None = Field(
        default=None,
        description="Why a locked operator stays (said when a move of them is refused; "
        "None: the fixed setting).",
    )
    assigned: QueueKey | None = None
    skills: dict[str, Skill] = Field(default_factory=dict)
    shift_end: datetime | None = Field(
        default=None,
        description="When the operator's shift ends (None: works until every deadline). "
        "Capacity counts only the minutes before it.",
    )

    def speed(self, process: str) -> float:
        """Tasks per hour on `process`; 0 without a skill entry."""
        skill = self.skills.get(process)
        return 0.0 if skill is None else skill.speed


class Rules(_Strict):
    min_skill_level: SkillLevel = 3
    max_moves: Annotated[int, Field(ge=0)] = 10
    switch_minutes: NonNegativeFloat = 5.0
    margin_minutes: Annotated[float, Field(ge=0.0, le=1440.0, allow_inf_nan=False)] = Field(
        default=0.0,
        description="Plans aim to finish this many minutes before each deadline: a queue's "
        "late tasks are those not done by then (0: the deadline itself).",
    )
    targets: list[QueueKey] | None = Field(
        default=None,
        description="Queues that may receive operators (None: any). Every queue's lateness "
        "still counts, so donors are protected; only destinations are restricted.",
    )
    loans: bool = Field(
        default=False,
        description="Every move is a loan (応援): the helper works at the destination until "
        "its deadline, then returns to the queue they came from (paying switch_minutes again), "
        "so the donor loses them only for that period. False: a move is permanent. A move "
        "whose end is stated (plan_from_moves' loan_ends) is evaluated with that end either way.",
    )


def _tz_kind(value: datetime) -> bool:
    return value.utcoffset() is not None


class Scenario(_Strict):
    now: datetime
    queues: list[Queue]
    operators: list[Operator]
    rules: Rules = Field(default_factory=Rules)

    @field_validator("queues")
    @classmethod
    def _queues_consistent(cls, queues: list[Queue], info: ValidationInfo) -> list[Queue]:
        seen: set[QueueId] = set()
        for index, queue in enumerate(queues):
            if queue.id in seen:
                raise ValueError(f"queues[{index}]: duplicate queue {queue.label()}")
            seen.add(queue.id)
        now = info.data.get("now")
        if isinstance(now, datetime):
            for index, queue in enumerate(queues):
                if _tz_kind(queue.deadline) != _tz_kind(now):
                    raise ValueError(
                        f"queues[{index}].deadline: mixes naive and timezone-aware times with 'now'"
                    )
        return queues

    @field_validator("operators")
    @classmethod
    def _unique_operator_ids(
        cls, operators: list[Operator], info: ValidationInfo
    ) -> list[Operator]:
        seen: set[int] = set()
        for index, operator in enumerate(operators):
            if operator.id in seen:
                raise ValueError(f"operators[{index}].id: duplicate operator id {operator.id}")
            seen.add(operator.id)
        now = info.data.get("now")
        if isinstance(now, datetime):
            for index, operator in enumerate(operators):
                end = operator.shift_end
                if end is not None and _tz_kind(end) != _tz_kind(now):
                    raise ValueError(
                        f"operators[{index}].shift_end: mixes naive and timezone-aware times "
                        "with 'now'"
                    )
        return operators


class MoveLike(Protocol):
    """Anything that says "operator X goes to queue Y" (a plan move or a proposed change)."""

    @property
    def operator_id(self) -> int: ...

    @property
    def to(self) -> QueueKey: ...


@dataclass(frozen=True)
class Move:
    """A bare move, as used when checking a plan that a person wrote or modified."""

    operator_id: int
    to: QueueKey


class PlanMove(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, serialize_by_alias=True
    )

    operator_id: int
    operator_name: str
    from_: QueueKey | None = Field(alias="from")
    to: QueueKey
    reason: str
    until: datetime | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="A loan: the helper leaves `to` at this time and returns to `from`; the "
        "plan's figures count them on `to` until then and back on `from` after the switch "
        "(absent: a permanent move, the helper stays on `to` and the figures count no return).",
    )
    shift_end: datetime | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="When the helper's shift ends (absent: not known); a loan whose `until` "
        "is not before it ends with the shift, the helper going home instead of back.",
    )

    @property
    def returns(self) -> bool:
        """A loan after which the helper goes back to `from` (their shift still on)."""
        return (
            self.until is not None
            and self.from_ is not None
            and (self.shift_end is None or self.until < self.shift_end)
        )


class ObjectiveValue(_Strict):
    """Priority-weighted late tasks before and after the plan."""

    before: float
    after: float


class QueueOutcome(_Strict):
    """One queue before and after the plan. `rate_*` are the staff's tasks per hour."""

    location: str
    business_id: str
    process: str
    waiting: int
    deadline: datetime
    priority: float
    capacity_before: float
    capacity_after: float
    late_before: float
    late_after: float
    projected_completion_before: datetime | None
    projected_completion_after: datetime | None
    rate_before: float
    rate_after: float

    @property
    def key(self) -> QueueKey:
        return QueueKey(location=self.location, business_id=self.business_id, process=self.process)


class Plan(BaseModel):
    """The planner's answer. Beyond the contract's fields: `objective_bound`,
    `rules_applied`, `method`, `status`, and per queue `priority`, `rate_before`,
    `rate_after` (tasks/hour)."""

    model_config = ConfigDict(extra="forbid", frozen=True, serialize_by_alias=True)

    moves: list[PlanMove]
    objective: ObjectiveValue
    queues: list[QueueOutcome]
    optimal: bool
    solve_ms: float
    objective_bound: float | None = Field(
        default=None,
        description="proven lower bound on the best achievable objective: equal to "
        "objective.after when optimal, None when unknown (e.g. for the greedy baseline)",
    )
    rules_applied: list[str] = Field(default_factory=list)
    method: str = Field(
        description="'milp', 'greedy' or 'none' (doing nothing) from plan(); "
        "'greedy' from greedy_plan(); 'manual' from plan_from_moves()"
    )
    status: str = Field(description="how the result was obtained, e.g. 'optimal', 'time_limit'")

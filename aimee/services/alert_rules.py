"""Alert rules: pure functions from one queue's state to an alert draft, or None.

No SQL and no clock: the numbers come in (``QueueState``), the alert comes out
with the numbers behind it (``details``) and a Japanese message built only from
those numbers. Thresholds live in ``Thresholds`` so that each rule can be tested
on crafted figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

AlertType = Literal["delay_risk", "productivity_drop", "skill_gap"]
Severity = Literal["high", "medium", "low"]
DELAY_RISK: AlertType = "delay_risk"
PRODUCTIVITY_DROP: AlertType = "productivity_drop"
SKILL_GAP: AlertType = "skill_gap"
ALERT_TYPES: tuple[AlertType, ...] = get_args(AlertType)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
SEVERITY_RANK: dict[str, int] = {"high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True, slots=True)
class Thresholds:
    completion_margin_minutes: float = 10.0
    """No late tasks, but done less than this before the deadline: a low delay risk."""
    imminent_minutes: float = 30.0
    """Late tasks with this little time left: high."""
    late_share_high: float = 0.2
    """Late tasks that are this share of the queue's work or more: high."""
    productivity_ratio: float = 0.8
    """Observed rate below this share of the staff's recorded rate (or of the previous window)."""
    productivity_medium: float = 0.7
    productivity_high: float = 0.6
    window_drop_below_nominal: float = 0.9
    """A drop from the previous window counts only when the staff are also below this share
    of their recorded rate (a smaller staff working at its own pace is not a drop)."""
    min_observed_minutes: float = 20.0
    """Fewer minutes of observation than this give no productivity figure."""
    understaffed_share: float = 0.5
    """This share of a queue's staff or more below the minimum skill level: a skill gap."""
    min_skill_level: int = 3


@dataclass(frozen=True, slots=True)
class QueueState:
    """One queue at the time of a scan, with the forecast the planner uses."""

    location: str
    business_id: str
    process: str
    now: datetime
    deadline: datetime
    minutes_left: float
    waiting: int
    """Tasks waiting now (latest snapshot)."""
    expected_arrivals: int
    """Tasks expected to arrive before the deadline (recent arrival rate)."""
    staff_count: int
    staff_below_min: int
    """Assigned operators below the minimum skill level on this process (or with no entry)."""
    rate_per_hour: float
    """Expected rate of the assigned staff (recorded speeds x observed efficiency)."""
    projected_completion: datetime | None
    late_tasks: float
    """Tasks expected to be left at the deadline, arrivals included."""
    nominal_rate: float
    """Recorded speeds of the staff assigned now, tasks per hour."""
    processing_rate: float | None
    """Observed over the recent window while work was waiting; None without such an interval."""
    observed_staff_rate: float | None
    """Recorded speeds of the staff who were on the queue in those same intervals
    (time-weighted), tasks per hour: what ``processing_rate`` is compared with."""
    observed_minutes: float
    previous_pace: float | None
    """Processing rate / recorded rate of the staff then, over the window before."""
    previous_minutes: float
    qualified_reserve: int
    """Operators elsewhere, idle or on a queue without late tasks, with the minimum skill level
    on this process: who could be moved here."""

    @property
    def label(self) -> str:
        return queue_label(self.location, self.business_id, self.process)

    @property
    def work(self) -> int:
        return self.waiting + self.expected_arrivals

    @property
    def late_count(self) -> int:
        return round(self.late_tasks)

    @property
    def pace(self) -> float | None:
        """Observed / recorded speed of the staff who were there; None when unknown."""
        if self.processing_rate is None or not self.observed_staff_rate:
            return None
        return self.processing_rate / self.observed_staff_rate


@dataclass(frozen=True, slots=True)
class AlertDraft:
    alert_type: str
    location: str
    business_id: str
    process: str
    severity: str
    message: str
    details: dict[str, Any]
    deadline: datetime | None = None

    @property
    def key(self) -> str:
        """Identity of a live alert: one per queue and type."""
        return alert_key(self.alert_type, self.location, self.business_id, self.process)


def queue_label(location: str, business_id: str, process: str) -> str:
    """札幌のエントリ1（523201）"""
    return f"{location}の{process}（{business_id}）"


def urgency(
    severity: str | None, minutes_left: float | None, location: str = "", process: str = ""
) -> tuple[int, float, str, str]:
    """Sort key of every list of queues or alerts: most severe first, then the
    nearest deadline (none last), then by name for a stable order."""
    return (
        -SEVERITY_RANK.get(severity or "", 0),
        float("inf") if minutes_left is None else minutes_left,
        location,
        process,
    )


def severity_by_queue(drafts: Iterable[AlertDraft]) -> dict[tuple[str, str, str], str]:
    """Each queue's severity: the highest of the alerts raised for it."""
    result: dict[tuple[str, str, str], str] = {}
    for d in drafts:
        key = (d.location, d.business_id, d.process)
        if SEVERITY_RANK[d.severity] > SEVERITY_RANK.get(result.get(key, ""), 0):
            result[key] = d.severity
    return result


def alert_key(alert_type: str, location: str, business_id: str, process: str) -> str:
    return f"{alert_type}|{location}|{business_id}|{process}"


def _draft(
    state: QueueState, alert_type: str, severity: str, message: str, **details: Any
) -> AlertDraft:
    return AlertDraft(
        alert_type=alert_type,
        location=state.location,
        business_id=state.business_id,
        process=state.process,
        severity=severity,
        message=message,
        details=details,
        deadline=state.deadline,
    )


def _clock(moment: datetime, now: datetime) -> str:
    """16:00, or 10/24 09:00 when it is not today."""
    return f"{moment:%H:%M}" if moment.date() == now.date() else f"{moment:%m/%d %H:%M}"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def _work_text(state: QueueState) -> str:
    arrivals = f"＋到着見込み{state.expected_arrivals}件" if state.expected_arrivals else ""
    return f"残件{state.waiting}件{arrivals}、処理ペース{round(state.rate_per_hour)}件/時"


def delay_risk(state: QueueState, t: Thresholds = Thresholds()) -> AlertDraft | None:
    """Late tasks projected at the deadline, or completion within a margin of it."""
    if state.work <= 0:
        return None
    late = state.late_count
    slack = (
        None
        if state.projected_completion is None
        else (state.deadline - state.projected_completion).total_seconds() / 60
    )
    if late < 1 and (
        slack is None or state.minutes_left <= 0 or slack >= t.completion_margin_minutes
    ):
        return None
    minutes = round(state.minutes_left)
    deadline = _clock(state.deadline, state.now)
    late_share = late / state.work
    numbers = {
        "waiting": state.waiting,
        "expected_arrivals": state.expected_arrivals,
        "late_tasks": late,
        "late_share": round(late_share, 3),
        "minutes_left": minutes,
        "deadline": _iso(state.deadline),
        "projected_completion": _iso(state.projected_completion),
        "slack_minutes": None if slack is None else math.floor(slack),
        "rate_per_hour": round(state.rate_per_hour, 1),
        "staff_count": state.staff_count,
    }
    if late >= 1:
        high = state.minutes_left <= t.imminent_minutes or late_share >= t.late_share_high
        when = (
            f"納期{deadline}を過ぎ、{late}件が残っています"
            if state.minutes_left <= 0
            else f"納期{deadline}まで残り{minutes}分、約{late}件が納期に残る見込みです"
        )
        message = f"{state.label}: {when}（{_work_text(state)}）"
        return _draft(state, DELAY_RISK, "high" if high else "medium", message, **numbers)
    assert state.projected_completion is not None and slack is not None
    message = (
        f"{state.label}: 完了見込み{_clock(state.projected_completion, state.now)}で、"
        f"納期{deadline}までの余裕は{max(0, math.floor(slack))}分です（{_work_text(state)}）"
    )
    return _draft(state, DELAY_RISK, "low", message, **numbers)


def _productivity_severity(ratio: float, t: Thresholds) -> str:
    if ratio < t.productivity_high:
        return "high"
    return "medium" if ratio < t.productivity_medium else "low"


def productivity_drop(state: QueueState, t: Thresholds = Thresholds()) -> AlertDraft | None:
    """The staff process well below their recorded speed, or well below their own pace
    of the window before. Both compare a pace (observed / recorded speed of the staff
    who were there at the time), so a change of staff alone never raises it; a queue
    with nothing waiting has no pace to judge."""
    rate = state.processing_rate
    if (
        rate is None
        or state.observed_minutes < t.min_observed_minutes
        or state.staff_count == 0
        or state.waiting <= 0
    ):
        return None
    pace = state.pace
    previous = state.previous_pace
    vs_previous = (
        pace / previous
        if pace is not None and previous and state.previous_minutes >= t.min_observed_minutes
        else None
    )
    below_nominal = pace is not None and pace < t.productivity_ratio
    window_drop = (
        vs_previous is not None
        and vs_previous < t.productivity_ratio
        and (pace is None or pace < t.window_drop_below_nominal)
    )
    if not (below_nominal or window_drop):
        return None
    parts = []
    if pace is not None and state.observed_staff_rate:
        parts.append(
            f"その間に配置されていたスタッフの標準ペース{round(state.observed_staff_rate)}件/時の"
            f"{round(pace * 100)}%です"
        )
    if window_drop:
        assert vs_previous is not None and previous is not None
        parts.append(
            f"その前の{round(state.previous_minutes)}分（標準ペースの{round(previous * 100)}%）"
            f"より{round((1 - vs_previous) * 100)}%低下しています"
        )
    message = (
        f"{state.label}: 直近{round(state.observed_minutes)}分の処理ペースは"
        f"{round(rate)}件/時で、{'。'.join(parts)}"
    )
    triggered = [r for r, on in ((pace, below_nominal), (vs_previous, window_drop)) if on]
    worst = min(r for r in triggered if r is not None)
    return _draft(
        state,
        PRODUCTIVITY_DROP,
        _productivity_severity(worst, t),
        message,
        processing_rate=round(rate, 1),
        observed_minutes=round(state.observed_minutes),
        observed_staff_rate=None
        if state.observed_staff_rate is None
        else round(state.observed_staff_rate, 1),
        nominal_rate=round(state.nominal_rate, 1),
        staff_count=state.staff_count,
        ratio_to_nominal=None if pace is None else round(pace, 3),
        previous_pace=None if previous is None else round(previous, 3),
        previous_minutes=round(state.previous_minutes),
        ratio_to_previous=None if vs_previous is None else round(vs_previous, 3),
        below_nominal=below_nominal,
        window_drop=window_drop,
    )


def skill_gap(state: QueueState, t: Thresholds = Thresholds()) -> AlertDraft | None:
    """Half the staff or more below the minimum skill level, or late tasks with nobody
    qualified anywhere who could be moved in."""
    level = t.min_skill_level
    understaffed = (
        state.work > 0
        and state.staff_count > 0
        and state.staff_below_min / state.staff_count >= t.understaffed_share
    )
    late = state.late_count
    no_reserve = late >= 1 and state.qualified_reserve == 0
    if not (understaffed or no_reserve):
        return None
    parts = []
    if understaffed:
        parts.append(
            f"配置中{state.staff_count}名のうち{state.staff_below_min}名が"
            f"スキルレベル{level}未満です"
        )
    if no_reserve:
        parts.append(
            f"約{late}件が納期に残る見込みですが、{state.process}をスキルレベル{level}以上で"
            "担当でき、応援に回せるオペレーターが他拠点・他工程にいません"
        )
    severity = "high" if no_reserve else ("medium" if late >= 1 else "low")
    return _draft(
        state,
        SKILL_GAP,
        severity,
        f"{state.label}: {'。'.join(parts)}",
        staff_count=state.staff_count,
        staff_below_min=state.staff_below_min,
        min_skill_level=level,
        late_tasks=late,
        qualified_reserve=state.qualified_reserve,
        understaffed=understaffed,
        no_reserve=no_reserve,
    )


RULES = (delay_risk, productivity_drop, skill_gap)


def evaluate(states: Iterable[QueueState], t: Thresholds = Thresholds()) -> list[AlertDraft]:
    """Every rule on every queue: the alerts that hold now."""
    return [draft for state in states for rule in RULES if (draft := rule(state, t)) is not None]

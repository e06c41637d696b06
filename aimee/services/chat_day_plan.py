"""The chat's plan for the rest of the day (「今日の残りどう回す？」, issue 19): the
time-phased plan of the whole floor that ``services.day_plan`` makes in the background,
stated in the chat: its first moves (the suggestion to approve, loans with their end), the
intended timeline after them and the day's figures.

The same job as the button on 配置の推移 and ``POST /plan/day``: asked on the same data,
the chat shows the plan already made. An approver's question starts one when none is
running, and the turn waits for it up to ``day_plan_wait_s``; anyone else sees the plan
made on the current data, or the one made last today, or is told who can make one."""

from __future__ import annotations

from dataclasses import replace

from aimee.llm.context import DayPlanFacts, TimelineFacts
from aimee.services import facts
from aimee.services.chat_intents import TurnData, TurnInput
from aimee.services.day_plan import DayPlanStatus, seconds_left
from aimee.services.suggestions import TimelineStep

NOBODY_STARTED = (
    "本日の残りの計画はまだ作成されていません。作成は承認者以上の方が、チャットか配置の推移の"
    "「本日の残りを計画」から行えます。"
)
UNAVAILABLE = "本日の残りの計画は、この環境では作成できません。"


def day_plan(turn: TurnInput) -> TurnData:
    """The plan for the rest of the day on the current data, as far as it is made."""
    planner = turn.day_plans
    if planner is None:
        return _none(turn, UNAVAILABLE)
    if turn.may_plan_day:
        found: DayPlanStatus | None = planner.request(turn.session, now=turn.now, user=turn.user)
    else:
        found = planner.current(turn.session, now=turn.now)
    if found is None:
        return _none(turn, NOBODY_STARTED)
    if found.state == "running":
        planner.wait_in_chat(found.id, turn.day_plan_wait_s)
        found = planner.read(found.id) or found
    data = TurnData(whole_floor=True)
    if found.state != "done":
        data.day_plan = _facts(found, [])
        return data
    if found.suggestion_id is not None:
        made = planner.card(found.suggestion_id)
        if made is not None:
            card, scenario, plan = made
            data.card = card
            data.suggestion = facts.suggestion_facts(scenario, plan, card)
    moves = len(data.suggestion.moves) if data.suggestion is not None else 0
    data.day_plan = replace(
        _facts(found, found.timeline, first_moves=moves),
        fresh=found.started_at == turn.now.replace(second=0, microsecond=0),
        card_status=data.card.status if data.card is not None else None,
    )
    if turn.request is not None and turn.request.slots.targets:
        data.remarks.append(
            "本日の残りの計画は、全工程をまとめて時間帯ごとに立てています"
            "（お尋ねの工程も含みます）。"
        )
    return data


def _none(turn: TurnInput, why: str) -> TurnData:
    """No plan to show (``why``, in Japanese; the English answer says it its own way)."""
    return TurnData(day_plan=DayPlanFacts(state="none", planned_at=turn.now, message=why))


def _facts(
    found: DayPlanStatus, steps: list[TimelineStep], *, first_moves: int = 0
) -> DayPlanFacts:
    day = found.day
    return DayPlanFacts(
        state=found.state,
        planned_at=found.started_at,
        message=found.message if found.state == "failed" else "",
        progress=found.progress,
        seconds_left=seconds_left(found) if found.state == "running" else 0,
        late_before=day.late_before if day else 0.0,
        late_after=day.late_after if day else 0.0,
        first_moves=first_moves,
        later=[_step(s) for s in sorted(steps, key=lambda s: (s.at, s.operator))],
        switches=day.switches if day else 0,
        intervals=day.intervals if day else 0,
        optimal=day.optimal if day else False,
        gap=day.gap if day else None,
        proof=day.proof if day else "",
    )


def _step(step: TimelineStep) -> TimelineFacts:
    waiting = step.from_process is None
    return TimelineFacts(
        at=step.at,
        operator_name=step.operator,
        from_location=None if waiting else step.from_,
        from_process=step.from_process,
        to_location=step.to,
        to_process=step.process,
        until=step.until,
        back=step.back,
        returning=step.returning,
        idle_after=step.idle_after,
        shift_end=step.shift_end,
    )

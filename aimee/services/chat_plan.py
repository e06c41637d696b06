"""The chat's plan request (「盛岡から2名までで」): help for the target queue under every
constraint the manager stated; the rest of the day's plan when that is asked."""

from __future__ import annotations

from aimee.nlu.request import Slots
from aimee.services import chat_intents as intents
from aimee.services.chat_day_plan import day_plan
from aimee.services.chat_intents import TurnData, TurnInput, slots_of
from aimee.services.chat_replies import unknown_note
from aimee.services.planning import PlanLimits
from aimee.store.repositories.master import master_data


def plan(turn: TurnInput) -> TurnData:
    """Help for the target queue under every constraint the manager stated; for the rest
    of the day (「今日の残りどう回す？」), the time-phased plan of the floor."""
    if turn.request is not None and turn.request.horizon == "day":
        return day_plan(turn)
    slots = slots_of(turn)
    people = slots.operators
    limits = PlanLimits(
        origins=slots.origins,
        spare=slots.spare,
        excluded=people.remove if people is not None else (),
        forced=(*people.add, *people.move) if people is not None else (),
        max_moves=_head_count(slots),
        helpers=slots.head_count.exact if slots.head_count is not None else None,
        min_level=slots.min_level,
    )
    data = intents.deadline_optimization(turn, limits=limits)
    if slots.unknown:  # 「井上さんは使わないで」 about nobody we know: planned all the same
        master = master_data(turn.session)
        data.notes.insert(
            0, unknown_note(slots.unknown, turn.message, master.locations, master.processes)
        )
    after_day_plan = turn.thread is not None and turn.thread.horizon == "day"
    constrained = slots.head_count or slots.origins or slots.spare or people or slots.min_level
    if after_day_plan and constrained:  # 「じゃあ2名までなら？」 after 「今日の残りどう回す？」
        data.remarks.insert(0, AFTER_DAY_PLAN)
    wanted = slots.head_count.exact if slots.head_count is not None else None
    used = len(data.suggestion.moves) if data.suggestion is not None else 0
    if wanted is not None and 0 < used < wanted:
        data.remarks.append(
            f"{wanted}名の案は見つかりませんでした（条件に合い、ほかの工程を遅らせない範囲で"
            f"{used}名）。"
        )
    return data


AFTER_DAY_PLAN = (
    "本日の残りの計画には人数などの条件を付けられないため、これは今の移動だけの案です"
    "（今後の予定は含まず、数字は本日の残りの計画と比べられません）。"
)


def _head_count(slots: Slots) -> int | None:
    if slots.head_count is None:
        return None
    return slots.head_count.max if slots.head_count.max is not None else slots.head_count.exact

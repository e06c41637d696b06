"""The words of a plan for the rest of the day (``AnswerContext.day_plan``), in Japanese
and in English, conclusion first: the floor's late tasks at the deadlines with the whole
timeline, then the first moves (what approving carries out, loans with their end), then
the intended timeline, then what it is computed from."""

from __future__ import annotations

import math

from aimee.llm.context import AnswerContext, DayPlanFacts, MoveFacts, TimelineFacts
from aimee.llm.wording import MAX_LISTED, clock, move_line, tasks


def _place(location: str | None, process: str | None) -> str:
    return "待機" if location is None or process is None else f"{location}の{process}"


def step_line(step: TimelineFacts) -> str:
    """「・16:15 山口拓也さん: 札幌のエントリ2 → 盛岡の補正（17:10まで応援、その後戻る）」"""
    route = (
        f"{_place(step.from_location, step.from_process)} → {step.to_location}の{step.to_process}"
    )
    shift_ends_first = (
        step.shift_end is not None and step.until is not None and step.shift_end <= step.until
    )
    if step.returning and step.until is None:
        period = "元の担当に戻る"
    elif step.until is not None and shift_ends_first:
        period = f"勤務終了の{clock(step.shift_end)}まで"
    elif step.until is not None and step.back:
        home = (
            step.from_process
            if step.from_location == step.to_location
            else _place(step.from_location, step.from_process)
        )
        period = f"{clock(step.until)}まで応援、その後{home}へ戻る"
    elif step.until is not None:
        then = "その後の予定なし" if step.idle_after else "その後は次の予定"
        home = "元の担当に戻り、" if step.returning else ""
        period = f"{home}{clock(step.until)}まで、{then}"
    elif step.shift_end is not None:
        period = f"勤務終了の{clock(step.shift_end)}まで"
    else:
        period = ""
    return f"・{clock(step.at)} {step.operator_name}さん: {route}" + (
        f"（{period}）" if period else ""
    )


DECIDED = {"approved": "承認済み", "modified": "修正して承認済み", "rejected": "却下済み"}
"""How the first moves' suggestion was decided (``expired``: replaced or past its time)."""


def _conclusion(d: DayPlanFacts) -> str:
    before, after = round(d.late_before), round(d.late_after)
    at = "今" if d.fresh else f"{clock(d.planned_at)}に"
    now = f"{at}{d.first_moves}名を動かし" if d.first_moves else f"{at}は誰も動かさず"
    then = f"、その後{len(d.later)}件の移動を予定どおり行えば" if d.later else "、このままいけば"
    title = (
        "本日の残りの計画"
        if d.fresh
        else f"{clock(d.planned_at)}時点のデータで作った本日の残りの計画"
    )
    if before == 0 and after == 0 and not d.first_moves and not d.later:
        return f"{title}: 配置を変えなくても全工程が納期に間に合う見込みです。"
    if after == 0:
        return (
            f"{title}: {now}{then}、全工程が納期に間に合う見込みです"
            f"（全体の遅延見込み{tasks(before)}→0件、到着見込みを含む）。"
        )
    return (
        f"{title}: {now}{then}、全体（全キュー）の納期時点の遅延見込みは"
        f"{tasks(before)}から{tasks(after)}に減りますが、すべての工程は間に合いません"
        "（到着見込みを含む）。"
    )


def _first_moves_title(d: DayPlanFacts, suggestion_id: str | None) -> str:
    """「今の移動（承認の対象・提案X）」 while it can be approved; otherwise what became of it."""
    first = "今の移動" if d.fresh else "最初の移動"
    if d.card_status in (None, "pending"):
        return f"{first}（承認の対象・提案{suggestion_id}）："
    decided = DECIDED.get(d.card_status, "期限切れ・置き換え済み")
    return f"{first}（提案{suggestion_id}・{decided}）："


def day_plan_lines(ctx: AnswerContext) -> list[str]:
    """The Japanese answer about the plan for the rest of the day."""
    d = ctx.day_plan
    if d is None:
        return []
    if d.state == "running":
        left = f"あと約{d.seconds_left}秒" if d.seconds_left > 1 else "まもなく終わります"
        return [
            f"本日の残りの計画を計算しています（{left}）。少し待ってから、もう一度"
            "「今日の残りの計画は？」と聞いてください（配置の推移の画面でも確認できます）。"
        ]
    if d.state != "done":
        return [d.message or "本日の残りの計画を作成できませんでした。"]
    lines = [_conclusion(d)]
    s = ctx.suggestion
    if s is not None and s.moves:
        lines.append(_first_moves_title(d, s.suggestion_id))
        lines += [move_line(m) for m in s.moves[:MAX_LISTED]]
        if len(s.moves) > MAX_LISTED:
            lines.append(f"ほか{len(s.moves) - MAX_LISTED}名")
    if d.later:
        lines.append(f"今後の予定（{len(d.later)}件）：")
        lines += [step_line(step) for step in d.later[:MAX_LISTED]]
        if len(d.later) > MAX_LISTED:
            lines.append(f"ほか{len(d.later) - MAX_LISTED}件（提案カードの「今後の予定」に全件）")
    approving = (
        "承認で実行するのは今の移動だけで、"
        if s is not None and s.moves and d.card_status in (None, "pending")
        else ""
    )
    lines.append(
        f"{clock(d.planned_at)}時点のデータで、{d.intervals}の時間帯に分けて計画しました。"
        f"{d.proof}{approving}今後の予定はデータの更新に合わせて再計画します。"
    )
    return lines


def _place_en(location: str | None, process: str | None) -> str:
    return "idle" if location is None or process is None else f"{location} {process}"


def loan_en(m: MoveFacts) -> str:
    """「, until 17:10, then back to 盛岡 補正」 for a loan; nothing for a permanent move."""
    if m.until is None:
        return ""
    back = f", then back to {_place_en(m.from_location, m.from_process)}" if m.returns else ""
    return f", until {clock(m.until)}{back}"


def day_plan_lines_en(ctx: AnswerContext) -> list[str]:
    """The English answer about the plan for the rest of the day."""
    d = ctx.day_plan
    if d is None:
        return []
    if d.state == "running":
        left = f"about {d.seconds_left} s left" if d.seconds_left > 1 else "almost done"
        return [
            f"The plan for the rest of the day is being computed ({left}). Ask again in a "
            "moment, or see it on 配置の推移."
        ]
    if d.state == "none":
        return [
            "No plan for the rest of the day has been made yet: an approver can make one, "
            "here or with 「本日の残りを計画」 on 配置の推移."
        ]
    if d.state != "done":
        return ["The plan for the rest of the day could not be made. Please try again."]
    before, after = round(d.late_before), round(d.late_after)
    outcome = (
        "every queue makes its deadline" if after == 0 else "some queues still miss their deadlines"
    )
    lines = [
        f"Plan for the rest of the day: {d.first_moves} move(s) now and {len(d.later)} later "
        f"take expected late tasks at the deadlines (arrivals included) from {before:,} to "
        f"{after:,}: {outcome}."
    ]
    s = ctx.suggestion
    if s is not None and s.moves:
        decided = "to approve" if d.card_status in (None, "pending") else d.card_status
        lines.append(f"{'Now' if d.fresh else 'First'} (suggestion {s.suggestion_id}, {decided}):")
        for m in s.moves[:MAX_LISTED]:
            origin = _place_en(m.from_location, m.from_process)
            lines.append(
                f"- {m.operator_name}: {origin} → {m.to_location} {m.to_process}{loan_en(m)}"
            )
    if d.later:
        lines.append(f"Later ({len(d.later)} moves):")
        for step in d.later[:MAX_LISTED]:
            until = f" until {clock(step.until)}" if step.until is not None else ""
            lines.append(
                f"- {clock(step.at)} {step.operator_name}: "
                f"{_place_en(step.from_location, step.from_process)} → "
                f"{step.to_location} {step.to_process}{until}"
            )
    if d.optimal:
        proof = "It is proven optimal. "
    elif d.gap == 0:
        proof = "Its late tasks are proven optimal (the fewest switches are not). "
    elif d.gap is None:
        proof = "It is not proven optimal within the time limit. "
    else:
        share = "less than 1%" if d.gap < 0.01 else f"at most {math.ceil(d.gap * 100)}%"
        proof = f"It is not proven optimal; it is {share} from the optimum (priority × late). "
    lines.append(
        f"Planned on the data of {clock(d.planned_at)}. {proof}Approving carries out the moves "
        "now only, and the rest is re-planned as data arrives."
    )
    return lines

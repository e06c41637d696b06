"""The default composer: deterministic Japanese answers that state only the
computed facts of an AnswerContext and cite the know-how used."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta

from aimee.llm.context import (
    AnswerContext,
    KnowhowFacts,
    MoveFacts,
    OperatorFacts,
    QueueFacts,
    SuggestionFacts,
)

MAX_LISTED = 8


def tasks(value: float) -> str:
    return f"{round(value)}件"


def clock(moment: datetime | None) -> str:
    """HH:MM rounded to the nearest minute (as the minute differences are)."""
    if moment is None:
        return "見込みなし"
    with contextlib.suppress(OverflowError):  # the last minute of the year 9999
        moment += timedelta(seconds=30)
    return f"{moment:%H:%M}"


def minutes(value: float) -> str:
    return f"{round(value)}分"


def queue_line(q: QueueFacts) -> str:
    """One queue's situation in a sentence, every number from the facts."""
    parts = [
        f"{q.location}の{q.process}（業務{q.business_id}）は納期{clock(q.deadline)}まで残り"
        f"{minutes(q.minutes_left)}、残タスク{tasks(q.waiting)}",
    ]
    if q.expected_arrivals:
        parts.append(f"納期までの追加到着見込み{tasks(q.expected_arrivals)}")
    parts.append(f"担当{q.staff_count}名（毎時{round(q.rate_per_hour)}件）")
    if q.efficiency < 1.0:
        parts.append(f"直近の処理速度は標準の{round(q.efficiency * 100)}%")
    if q.late_tasks > 0:
        parts.append(f"このままでは納期時点で約{tasks(q.late_tasks)}が残る見込みです")
    else:
        parts.append(f"完了見込み{clock(q.projected_completion)}で納期に間に合う見込みです")
    return "、".join(parts) + "。"


def move_line(m: MoveFacts) -> str:
    source = m.from_location or "待機中"
    return (
        f"✅ {source}から{m.operator_name}さん（{m.to_process} Lv{m.skill_level}・"
        f"経験{m.experience_months}ヶ月・毎時{round(m.speed)}件）を{m.to_location}の{m.to_process}へ"
    )


def effect_line(s: SuggestionFacts) -> str:
    t = s.target
    if t is None:
        return (
            f"この配置により遅延見込みは{tasks(s.late_before)}から{tasks(s.late_after)}になります。"
        )
    text = (
        f"この配置により{t.location}の{t.process}の遅延見込みは{tasks(t.late_before)}から"
        f"{tasks(t.late_after)}になり、処理速度は{s.productivity}"
    )
    if t.completion_before is not None and t.completion_after is not None:
        before, after = clock(t.completion_before), clock(t.completion_after)
        text += f"、完了見込みは{before}から{after}（{s.delay}）"
    text += "になります。"
    if round(s.late_before) != round(t.late_before):
        text += f"移動元を含めた遅延見込みは{tasks(s.late_before)}から{tasks(s.late_after)}です。"
    return text + floor_line(s)


def floor_line(s: SuggestionFacts) -> str:
    """全体 is always the whole floor; unknown (a stored plan) says nothing of it."""
    if s.floor_before is None or s.floor_after is None:
        return ""
    before, after = tasks(s.floor_before), tasks(s.floor_after)
    return f"全体（全キュー）の遅延見込みは{before}から{after}になります。"


def suggestion_block(s: SuggestionFacts) -> list[str]:
    if not s.moves:
        return ["配置変更を行っても遅延見込みは減らせないため、提案はありません。"]
    lines = ["以下の配置変更を提案します：", *[move_line(m) for m in s.moves[:MAX_LISTED]]]
    if len(s.moves) > MAX_LISTED:
        lines.append(f"ほか{len(s.moves) - MAX_LISTED}名")
    lines.append(effect_line(s))
    donors = [c for c in s.changes if c.late_after > c.late_before]
    if donors:
        worse = "、".join(f"{c.location}の{c.process}（{tasks(c.late_after)}）" for c in donors)
        lines.append(f"ただし移動元で遅延が生じる見込みです: {worse}。")
    else:
        lines.append("移動元の工程も納期に間に合う見込みです。")
    return lines


def knowhow_block(knowhow: list[KnowhowFacts]) -> list[str]:
    if not knowhow:
        return []
    return [
        "参考にした管理者ノウハウ：",
        *[f"・{k.title}（類似度{k.similarity:.2f}）: {k.content}" for k in knowhow],
    ]


def operator_line(o: OperatorFacts) -> str:
    where = f"現在{o.current}" if o.current else "現在待機中"
    return (
        f"・{o.name}（{o.location}、{o.process} Lv{o.skill_level}・経験{o.experience_months}ヶ月・"
        f"毎時{round(o.speed)}件、{where}）"
    )


def _deadline_optimization(ctx: AnswerContext) -> list[str]:
    lines = [queue_line(q) for q in ctx.queues[:MAX_LISTED]]
    if ctx.suggestion is not None:
        lines.append("")
        lines.extend(suggestion_block(ctx.suggestion))
    return lines


def _delay_risk(ctx: AnswerContext) -> list[str]:
    late = [q for q in ctx.queues if q.late_tasks > 0]
    if not ctx.queues:
        return []
    if not late:
        return [f"対象の{len(ctx.queues)}工程はすべて納期に間に合う見込みです。"]
    lines = [f"納期に間に合わない見込みの工程は{len(late)}件です（緊急度の高い順）："]
    lines += [queue_line(q) for q in late[:MAX_LISTED]]
    if len(late) > MAX_LISTED:
        lines.append(f"ほか{len(late) - MAX_LISTED}工程")
    return lines


def _impact(ctx: AnswerContext) -> list[str]:
    s = ctx.suggestion
    if s is None:
        return []
    lines = ["この配置変更の影響を計算しました："]
    lines += [move_line(m) for m in s.moves[:MAX_LISTED]]
    for c in s.changes:
        lines.append(
            f"・{c.location}の{c.process}: 遅延見込み{tasks(c.late_before)}→{tasks(c.late_after)}、"
            f"完了見込み{clock(c.completion_before)}→{clock(c.completion_after)}"
        )
    if s.floor_before is not None:
        lines.append(floor_line(s))
    else:
        lines.append(
            f"移動に関わる工程の遅延見込みは{tasks(s.late_before)}から{tasks(s.late_after)}になります。"
        )
    return lines


def _skill_search(ctx: AnswerContext) -> list[str]:
    if not ctx.operators:
        return []
    lines = [f"条件に合うオペレータは{len(ctx.operators)}名です（スキルレベル・経験の高い順）："]
    lines += [operator_line(o) for o in ctx.operators[:MAX_LISTED]]
    if len(ctx.operators) > MAX_LISTED:
        lines.append(f"ほか{len(ctx.operators) - MAX_LISTED}名")
    return lines


def _status(ctx: AnswerContext) -> list[str]:
    return [queue_line(q) for q in ctx.queues[:MAX_LISTED]] + (
        [f"ほか{len(ctx.queues) - MAX_LISTED}工程"] if len(ctx.queues) > MAX_LISTED else []
    )


def _general(ctx: AnswerContext) -> list[str]:
    if ctx.knowhow:
        return ["関連する管理者ノウハウをご紹介します。"]
    return [
        "AIMEEは各拠点・工程の進捗を見て、納期に遅れそうな工程と、"
        "誰をどこへ動かせば間に合うかを計算してご提案します。",
        "例: 「札幌のエントリ1工程が遅延しています」「納期に間に合わない工程は？」"
        "「補正ができる人は？」「梅田の進捗は？」",
    ]


_BY_INTENT: dict[str, Callable[[AnswerContext], list[str]]] = {
    "deadline_optimization": _deadline_optimization,
    "delay_risk_detection": _delay_risk,
    "impact_analysis": _impact,
    "skill_search": _skill_search,
    "status_inquiry": _status,
    "general": _general,
}


def compose(ctx: AnswerContext) -> str:
    """The answer for ``ctx``: notes first, the intent's body, then know-how."""
    body = _BY_INTENT.get(ctx.intent_type, _general)(ctx)
    lines = [*ctx.notes, *body]
    know = knowhow_block(ctx.knowhow)
    if know:
        lines += ["", *know]
    return "\n".join(lines).strip()


def facts_text(ctx: AnswerContext) -> list[str]:
    """Every fact of the context as text: the grounding reference for LLM answers."""
    lines = [queue_line(q) for q in ctx.queues]
    if ctx.suggestion is not None:
        lines += suggestion_block(ctx.suggestion)
        lines += _impact(ctx)
        lines += ctx.suggestion.rules_applied
    lines += [operator_line(o) for o in ctx.operators]
    lines += knowhow_block(ctx.knowhow)
    lines += ctx.notes
    lines.append(f"現在時刻{ctx.now:%H:%M}")
    lines.append(ctx.message)
    return lines

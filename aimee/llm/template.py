"""The default composer: deterministic Japanese answers, one per request kind, that
state only the computed facts of an AnswerContext (conclusion first) and cite the
know-how used. The wording of single facts is in ``llm.wording``."""

from __future__ import annotations

from collections.abc import Callable

from aimee.llm.context import AnswerContext, QueueChange, QueueFacts, SuggestionFacts
from aimee.llm.day_plan_text import day_plan_lines
from aimee.llm.fence import looks_like_instruction
from aimee.llm.wording import (
    MAX_LISTED,
    SHIFT_ASKED,
    clock,
    effect_line,
    elsewhere,
    finish_line,
    floor_line,
    knowhow_block,
    minutes,
    move_line,
    movers,
    no_helpful_helpers,
    operator_line,
    profile_lines,
    queue_line,
    tasks,
)


def plan_conclusion(s: SuggestionFacts) -> str | None:
    """The plan's verdict in one sentence, figures in brackets (conclusion first)."""
    t = s.target
    if t is None or not s.moves:
        return None
    where = f"{t.location}の{t.process}へ{elsewhere(s)}回せば"
    if round(t.late_after) == 0:
        detail = ""
        if t.completion_before is not None and t.completion_after is not None:
            detail = f"完了見込み{clock(t.completion_before)}→{clock(t.completion_after)}"
            if t.deadline is not None:
                slack = (t.deadline - t.completion_after).total_seconds() / 60
                detail += f"、余裕{minutes(max(0.0, slack))}"
        verdict = f"{movers(s)}{where}間に合います" + (f"（{detail}）" if detail else "")
    else:
        verdict = (
            f"{movers(s)}{where}遅延見込みは{tasks(t.late_before)}から{tasks(t.late_after)}に"
            "減りますが、納期には間に合いません"
        )
    return verdict + _cost(s) + "。"


def floor_conclusion(s: SuggestionFacts) -> str | None:
    """A plan for the whole floor: its verdict on the floor total (the moves go to
    several queues, so no one queue's verdict stands for it)."""
    if not s.moves or s.floor_before is None or s.floor_after is None:
        return None
    moved = f"{len(s.moves)}名を移動すれば"
    if s.floor_after == 0:
        return (
            f"{moved}、全工程が納期に間に合います（全体の遅延見込み{tasks(s.floor_before)}→0件）。"
        )
    if s.floor_after < s.floor_before:
        return (
            f"{moved}、全体（全キュー）の遅延見込みは{tasks(s.floor_before)}から"
            f"{tasks(s.floor_after)}に減りますが、すべての工程は間に合いません。"
        )
    return None


def _cost(s: SuggestionFacts) -> str:
    """「が、全体では…増えます」 when the plan makes the floor worse (a forced helper
    whose own queue then runs late): said in the verdict, not only further down."""
    if s.floor_before is None or s.floor_after is None or s.floor_after <= s.floor_before:
        return ""
    return (
        f"。ただし{_worse_elsewhere(s)}全体（全キュー）の遅延見込みは"
        f"{s.floor_before}件→{s.floor_after}件に増えます"
    )


def _late_state(before: int, after: int) -> str:
    """How a queue fares when its late tasks go from ``before`` to ``after`` (rounded)."""
    if before == 0 and after > 0:
        return "間に合わなくなります"
    if after == 0:
        return "間に合います" if before == 0 else "間に合うようになります"
    if after < before:  # better, not enough: the verdict says both
        return "改善しますが、まだ間に合いません"
    return "間に合わず、さらに悪化します" if after > before else "間に合わないままです"


def impact_verdict(s: SuggestionFacts) -> str:
    """良くなる / 悪くなる / 変わらない, on the floor total when it is known; led by the
    queue asked about when a what-if names one (「品川のエントリ1は間に合わなくなります」)."""
    lead = ""
    if s.premise and s.target is not None:
        t = s.target
        before, after = round(t.late_before), round(t.late_after)
        state = _late_state(before, after)
        lead = f"{s.premise}{t.location}の{t.process}は{state}（遅延見込み{before}件→{after}件）"
    if s.floor_before is not None and s.floor_after is not None:
        before, after, scope = s.floor_before, s.floor_after, "全体（全キュー）"
    else:
        before, after, scope = round(s.late_before), round(s.late_after), "関わる工程"
    if after < before:
        verdict = "良くなります"
    elif after > before:
        verdict = "悪くなります"
    else:
        verdict = "変わりません"
    target_better = s.target is not None and s.target.late_after < s.target.late_before
    if lead and target_better and after > before:  # one sentence: the floor's cost is the verdict
        worse = _worse_elsewhere(s)
        return f"{lead}が、{worse}{scope}の遅延見込みは{before}件→{after}件に増え、{verdict}。"
    lead = f"{lead}。" if lead else ""
    premise = "" if lead else (s.premise or "この変更で")
    return f"{lead}{premise}{scope}の遅延見込みは{before}件→{after}件で、{verdict}。"


def _worse_elsewhere(s: SuggestionFacts) -> str:
    """「盛岡のエントリ1が遅れるため、」: the queues a change makes late, besides its target."""
    worse = [
        c for c in s.changes if c is not s.target and round(c.late_after) > round(c.late_before)
    ]
    where = "、".join(f"{c.location}の{c.process}" for c in worse[:MAX_LISTED])
    return f"{where}が遅れるため、" if where else ""


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


def _deadline_optimization(ctx: AnswerContext) -> list[str]:
    if ctx.day_plan is not None:  # 「今日の残りどう回す？」
        return day_plan_lines(ctx)
    s = ctx.suggestion
    conclusion = None
    if s is not None:
        conclusion = (ctx.whole_floor and floor_conclusion(s)) or plan_conclusion(s)
    lines = [conclusion] if conclusion else []
    lines += [queue_line(q) for q in ctx.queues[:MAX_LISTED]]
    if ctx.suggestion is not None:
        lines.append("")
        lines.extend(suggestion_block(ctx.suggestion))
    return lines


def _delay_risk(ctx: AnswerContext) -> list[str]:
    late = [q for q in ctx.queues if q.will_be_late]
    if not ctx.queues:
        return []
    if not late:
        return [f"対象の{len(ctx.queues)}工程はすべて納期に間に合う見込みです。"]
    total = sum(round(q.late_tasks) for q in late)
    scope = "全体（全キュー）" if ctx.whole_floor else "対象の工程"
    lines = [
        f"{scope}で計{total:,}件が納期に間に合わない見込みです。",
        f"間に合わない見込みの工程は{len(late)}件です（緊急度の高い順）：",
    ]
    if ctx.worst_first:  # 「一番ヤバいのどれ」: that one first
        worst = late[0]
        lines[:0] = [
            f"いちばん遅れが大きいのは{worst.label}（{worst.business}）で、"
            f"納期{clock(worst.deadline)}の時点で約{tasks(worst.late_tasks)}が残る見込みです。"
        ]
        order = "最も遅れの大きいもの、緊急度の高い順"
        lines[2] = f"間に合わない見込みの工程は{len(late)}件です（{order}）："
    lines += [queue_line(q) for q in late[:MAX_LISTED]]
    if len(late) > MAX_LISTED:
        lines.append(f"ほか{len(late) - MAX_LISTED}工程")
    return lines


def _impact(ctx: AnswerContext) -> list[str]:
    if ctx.no_helpful_helpers is not None:  # 「Lv5を2人入れたら？」 and no such helper helps
        return [no_helpful_helpers(ctx.no_helpful_helpers)]
    s = ctx.suggestion
    if s is None:
        return []
    conclusion = None if s.premise else plan_conclusion(s)
    lines = [*([conclusion] if conclusion else []), impact_verdict(s)]
    lines.append("この配置変更の影響を計算しました：" if s.moves else "影響を計算しました：")
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


ORDER_LABELS = {
    "skill": "スキルレベル・経験の高い順",
    "fastest": "処理速度の速い順",
    "most_experienced": "経験の長い順",
}


def _skill_search(ctx: AnswerContext) -> list[str]:
    if not ctx.operators:
        return []
    total = ctx.operators_total if ctx.operators_total is not None else len(ctx.operators)
    shown = ctx.operators[:MAX_LISTED]
    lines = []
    first = ctx.operators[0]
    if ctx.order == "fastest":
        lines.append(f"いちばん速いのは{first.name}さん（毎時{round(first.speed)}件）です。")
    elif ctx.order == "most_experienced":
        lines.append(
            f"いちばん経験が長いのは{first.name}さん（{first.experience_months}ヶ月）です。"
        )
    head = f"条件に合うオペレータは{total}名です"
    if total > len(shown):
        head += f"（{ORDER_LABELS[ctx.order]}に上位{len(shown)}名）："
    else:
        head += f"（{ORDER_LABELS[ctx.order]}）："
    lines.append(head)
    lines += [operator_line(o) for o in shown]
    return lines


def status_verdict(queues: list[QueueFacts]) -> str | None:
    """How the queues asked about stand, in one sentence (conclusion first): one queue's
    finish and margin or delay, or which of several will be late."""
    if not queues:
        return None
    if len(queues) == 1:
        q = queues[0]
        if q.projected_completion is None:
            return f"{q.label}は今の体制では納期{clock(q.deadline)}に間に合わない見込みです。"
        slack = (q.deadline - q.projected_completion).total_seconds() / 60
        done = f"完了見込み{clock(q.projected_completion)}"
        if not q.will_be_late:
            margin = f"余裕{minutes(slack)}" if slack >= 0 else "納期時点の残りは1件未満"
            return f"{q.label}は納期{clock(q.deadline)}に間に合う見込みです（{done}、{margin}）。"
        behind = f"{minutes(-slack)}遅れ、" if slack < 0 else ""
        return (
            f"{q.label}は納期{clock(q.deadline)}に間に合わない見込みです（{done}、"
            f"{behind}遅延見込み{tasks(q.late_tasks)}）。"
        )
    late = [q for q in queues if q.will_be_late]
    sites = {q.location for q in queues}
    where = f"{sites.pop()}は" if len(sites) == 1 else ""
    if not late:
        return f"{where}{len(queues)}工程すべて納期に間に合う見込みです。"
    names = "、".join(f"{q.label}（{tasks(q.late_tasks)}）" for q in late[:MAX_LISTED])
    total = tasks(sum(round(q.late_tasks) for q in late))  # 「盛岡全体の遅延見込み件数」
    return (
        f"{where}{len(queues)}工程中{len(late)}工程、計{total}が納期に間に合わない見込みです："
        f"{names}。"
    )


def _status(ctx: AnswerContext) -> list[str]:
    lead = []
    if not ctx.whole_floor:
        verdict = status_verdict(ctx.queues)
        lead = [verdict] if verdict else []
    if ctx.whole_floor and ctx.queues:  # 「全体の状況は？」: the floor total first
        late = [q for q in ctx.queues if q.will_be_late]
        total = sum(round(q.late_tasks) for q in late)
        lead.append(
            f"全体（全キュー）では{len(ctx.queues)}工程中{len(late)}工程、計{total:,}件が"
            "納期に間に合わない見込みです（緊急度の高い順）："
            if late
            else f"全体（全キュー）の{len(ctx.queues)}工程はすべて納期に間に合う見込みです。"
        )
    return (
        lead
        + [queue_line(q) for q in ctx.queues[:MAX_LISTED]]
        + ([f"ほか{len(ctx.queues) - MAX_LISTED}工程"] if len(ctx.queues) > MAX_LISTED else [])
    )


def _general(ctx: AnswerContext) -> list[str]:
    usable = [k for k in ctx.knowhow if not looks_like_instruction(f"{k.title} {k.content}")]
    if usable:  # the closest note's rule as the answer, the notes quoted below
        rule = usable[0].content.split("。")[0].strip()
        return [f"管理者ノウハウ「{usable[0].title}」によると、{rule}。"]
    if ctx.knowhow:
        return ["関連する管理者ノウハウをご紹介します。"]
    return [
        "AIMEEは各拠点・工程の進捗を見て、納期に遅れそうな工程と、"
        "誰をどこへ動かせば間に合うかを計算してご提案します。",
        "例: 「札幌のエントリ1工程が遅延しています」「納期に間に合わない工程は？」"
        "「補正ができる人は？」「梅田の進捗は？」",
    ]


def _finish_time(ctx: AnswerContext) -> list[str]:
    lines = [finish_line(q, ctx.by_time) for q in ctx.queues[:MAX_LISTED]]
    if len(ctx.queues) > MAX_LISTED:
        lines.append(f"ほか{len(ctx.queues) - MAX_LISTED}工程")
    return lines


def shared_start(names: list[str]) -> str:
    """What the names start with alike: the family name namesakes share (「小川」)."""
    first, last = min(names), max(names)
    same = 0
    while same < min(len(first), len(last)) and first[same] == last[same]:
        same += 1
    return first[:same]


def _operator_lookup(ctx: AnswerContext) -> list[str]:
    shift_first = len(ctx.profiles) == 1 and SHIFT_ASKED.search(ctx.message.lower()) is not None
    lines = [line for p in ctx.profiles for line in profile_lines(p, shift_first)]
    family = shared_start([p.name for p in ctx.profiles]) if len(ctx.profiles) > 1 else ""
    if len(family) >= 2:  # 「鈴木さんは？」: who they are first (not 高山・高橋: 「高」)
        who = "、".join(f"{p.name}さん（{p.location}）" for p in ctx.profiles)
        lines.insert(0, f"{family}さんは{len(ctx.profiles)}名います：{who}。")
    return lines


def _helped(c: QueueChange) -> str:
    """「那覇のエントリ1は間に合うようになります（完了見込み19:57→17:57、…）」."""
    state = _late_state(round(c.late_before), round(c.late_after))
    return (
        f"{c.location}の{c.process}は{state}（完了見込み{clock(c.completion_before)}→"
        f"{clock(c.completion_after)}、遅延見込み{tasks(c.late_before)}→{tasks(c.late_after)}）"
    )


def _at(place: str, c: QueueChange) -> str:
    """A queue of the place a donor check asks about: 「盛岡の補正」 (a site asked) or the
    queue itself (「品川の検証」 asked: not 「品川の検証の検証」)."""
    return f"{place}の{c.process}" if place == c.location else f"{c.location}の{c.process}"


def _donor_check(ctx: AnswerContext) -> list[str]:
    d = ctx.donor
    if d is None:
        return _impact(ctx)
    late = [c for c in d.queues if round(c.late_after) > 0]
    worse = [c for c in late if round(c.late_after) > round(c.late_before)]
    helped = [c for c in d.queues if round(c.late_after) < round(c.late_before)]
    if not d.leaving:
        head = f"この案では{d.place}から誰も動かしません。"
    else:
        names = "、".join(f"{m.operator_name}さん" for m in d.leaving)
        head = f"この案では{d.place}から{len(d.leaving)}名（{names}）が抜けます。"
    if not d.queues and not d.leaving:  # the plan neither takes from it nor helps it
        verdict = f"{d.place}の見込みはこの案では変わりません。"
    elif not d.queues:
        verdict = f"{d.place}には計算対象の工程がありません。"
    elif helped == d.queues:  # 「その場合那覇のE1は何時に終わる？」: the queue the plan helps
        verdict = "この案で" + "、".join(_helped(c) for c in helped) + "。"
    elif not late:
        verdict = f"{d.place}はこの案でも、すべての工程が納期に間に合う見込みです。"
    elif worse:  # 「間に合わなくなります」 if it was on time, 「さらに悪化します」 if late already
        verdict = (
            "この案では"
            + "、".join(
                f"{_at(d.place, c)}は{_late_state(round(c.late_before), round(c.late_after))}"
                f"（遅延見込み{tasks(c.late_before)}→{tasks(c.late_after)}）"
                for c in worse
            )
            + "。"
        )
    else:
        verdict = (
            "、".join(_at(d.place, c) for c in late) + "はこの案と関係なく間に合わない見込みです。"
        )
    lines = [verdict + head]
    lines += [
        f"・{c.location}の{c.process}（{c.business}）: 遅延見込み{tasks(c.late_before)}→"
        f"{tasks(c.late_after)}、完了見込み{clock(c.completion_before)}→{clock(c.completion_after)}"
        for c in d.queues
    ]
    return lines


def _notes_only(ctx: AnswerContext) -> list[str]:
    return []


_BY_KIND: dict[str, Callable[[AnswerContext], list[str]]] = {
    "plan": _deadline_optimization,
    "what_if": _impact,
    "donor_check": _donor_check,
    "status": _status,
    "finish_time": _finish_time,
    "delay_risk": _delay_risk,
    "skill_search": _skill_search,
    "operator_lookup": _operator_lookup,
    "knowhow": _general,
    "help": _notes_only,
    "approval_request": _notes_only,
    "out_of_scope": _notes_only,
}
"""One template per request kind (a test holds this equal to ``REQUEST_KINDS``)."""


_BY_INTENT: dict[str, Callable[[AnswerContext], list[str]]] = {
    "deadline_optimization": _deadline_optimization,
    "delay_risk_detection": _delay_risk,
    "impact_analysis": _impact,
    "skill_search": _skill_search,
    "status_inquiry": _status,
    "general": _general,
}


def compose(ctx: AnswerContext) -> str:
    """The answer for ``ctx``: notes first, the body's conclusion, remarks on it, the
    rest of the body, then know-how."""
    template = _BY_KIND[ctx.kind] if ctx.kind else _BY_INTENT.get(ctx.intent_type, _general)
    body = template(ctx)
    lines = [*ctx.notes, *body[:1], *ctx.remarks, *body[1:]]
    know = knowhow_block(ctx.knowhow)
    if know:
        lines += ["", *know]
    return "\n".join(lines).strip()

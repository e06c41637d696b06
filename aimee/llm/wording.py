"""How AIMEE says figures and facts in Japanese: times, counts, one queue, one move,
one person. Every number comes from the facts given (``llm.context``); the answers per
request kind (``llm.template``) are built from these lines."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta

from aimee.llm.context import (
    AnswerContext,
    KnowhowFacts,
    MoveFacts,
    NoHelpfulHelpers,
    OperatorFacts,
    OperatorProfile,
    QueueFacts,
    SuggestionFacts,
    business_label,
)
from aimee.llm.fence import looks_like_instruction

MAX_LISTED = 8


def tasks(value: float) -> str:
    return f"{round(value):,}件"  # 1,106件, as the dashboard and the floor total write it


def to_minute(moment: datetime) -> datetime:
    """``moment`` rounded to the nearest minute (seconds are then ignored)."""
    with contextlib.suppress(OverflowError):  # the last minute of the year 9999
        moment += timedelta(seconds=30)
    return moment


def clock(moment: datetime | None) -> str:
    """HH:MM rounded to the nearest minute (as the minute differences are)."""
    return "見込みなし" if moment is None else f"{to_minute(moment):%H:%M}"


def minutes(value: float) -> str:
    return f"{round(value)}分"


def queue_line(q: QueueFacts) -> str:
    """One queue's situation in a sentence, every number from the facts."""
    parts = [
        f"{q.location}の{q.process}（{q.business}）は納期{clock(q.deadline)}まで残り"
        f"{minutes(q.minutes_left)}、残タスク{tasks(q.waiting)}",
    ]
    if q.expected_arrivals:
        parts.append(f"納期までの追加到着見込み{tasks(q.expected_arrivals)}")
    parts.append(f"担当{q.staff_count}名（毎時{round(q.rate_per_hour)}件）")
    if q.efficiency < 1.0:
        parts.append(f"直近の処理速度は標準の{round(q.efficiency * 100)}%")
    if q.projected_completion is None:
        parts.append(
            f"今の体制では終わる見込みがなく、納期時点で約{tasks(q.late_tasks)}が残る見込みです"
        )
    elif q.will_be_late:
        done = clock(q.projected_completion)
        parts.append(
            f"完了見込み{done}、このままでは納期時点で約{tasks(q.late_tasks)}が残る見込みです"
        )
    elif q.projected_completion > q.deadline:  # a fraction of a task: on time, said so
        done = clock(q.projected_completion)
        parts.append(f"完了見込み{done}、納期時点の残りは1件未満の見込みです")
    else:
        parts.append(f"完了見込み{clock(q.projected_completion)}で納期に間に合う見込みです")
    return "、".join(parts) + "。"


def move_line(m: MoveFacts) -> str:
    """The move with the queue the person leaves (never 「札幌から札幌へ」) and, for a
    loan, until when."""
    source = source_of(m)
    return (
        f"✅ {source}から{m.operator_name}さん（{m.to_process} Lv{m.skill_level}・"
        f"経験{m.experience_months}ヶ月・毎時{round(m.speed)}件）を{m.to_location}の{m.to_process}へ"
        + loan_note(m)
    )


def loan_note(m: MoveFacts) -> str:
    """How long a helper stays: 「（17:10まで応援、その後補正へ戻る・勤務は21:00まで）」, or
    until their shift ends; nothing for a permanent move."""
    if m.until is None:
        return ""
    shift = f"勤務は{clock(m.shift_end)}まで" if m.shift_end is not None else ""
    if m.returns:
        home = m.from_process if m.from_location == m.to_location else source_of(m)
        parts = [f"{clock(m.until)}まで応援、その後{home}へ戻る", shift]
    elif m.shift_end is not None and m.shift_end <= m.until:
        parts = [f"勤務終了の{clock(m.shift_end)}まで応援"]
    else:
        parts = [f"{clock(m.until)}まで応援", shift]
    return "（" + "・".join(p for p in parts if p) + "）"


def source_of(m: MoveFacts) -> str:
    """Where the person comes from: 「盛岡の補正」, or the site alone."""
    if m.from_location and m.from_process:
        return f"{m.from_location}の{m.from_process}"
    return m.from_location or "待機中"


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


def movers(s: SuggestionFacts) -> str:
    """Who goes to the plan's target: 「長谷川陽子さんを札幌の補正から」 for one move,
    「3名を」 for several (only those the target receives)."""
    into = _into_target(s)
    if len(into) == 1:
        m = into[0]
        origin = (
            f"{m.from_location}の{m.from_process}から"
            if m.from_location and m.from_process
            else ("待機中から" if m.from_location is None else f"{m.from_location}から")
        )
        return f"{m.operator_name}さんを{origin}"
    return f"{len(into)}名を"


def elsewhere(s: SuggestionFacts) -> str:
    """The plan's other moves, after the target: 「（ほか2名を那覇の検証へ）」."""
    into = _into_target(s)
    others: dict[str, int] = {}
    for m in s.moves:
        if m not in into:
            place = f"{m.to_location}の{m.to_process}"
            others[place] = others.get(place, 0) + 1
    if not others:
        return ""
    return "（ほか" + "、".join(f"{n}名を{place}へ" for place, n in others.items()) + "）"


def _into_target(s: SuggestionFacts) -> list[MoveFacts]:
    t = s.target
    if t is None:
        return list(s.moves)
    return [m for m in s.moves if (m.to_location, m.to_process) == (t.location, t.process)]


def no_helpful_helpers(f: NoHelpfulHelpers) -> str:
    """A what-if adding N people (of a level, from somewhere) that no such helper makes
    better, or to queues on time already: its verdict first, then why."""
    q = f.queues[0]
    where = q.label if len(f.queues) == 1 else f"{q.label}など{len(f.queues)}工程"
    if f.on_time:
        return _on_time_already(f, where)
    origins = "・".join(f.origins)
    said = "".join(
        (
            f"{origins}から" if origins else "",
            f"Lv{f.min_level}以上を" if f.min_level else "",
            f"{f.head_count}名" if f.head_count else "応援を",
        )
    )
    return (
        f"{where}は、{said}入れても納期に間に合わない見込みのままです：条件に合う応援者を"
        "動かしても、全体の遅延見込みは減らせません。"
    )


def _on_time_already(f: NoHelpfulHelpers, where: str) -> str:
    """「盛岡のE1に2人増やしたら？」 on a queue that makes its deadline already."""
    q = f.queues[0]
    detail = ""
    if len(f.queues) == 1 and q.projected_completion is not None:
        slack = (q.deadline - q.projected_completion).total_seconds() / 60
        done, due = clock(q.projected_completion), clock(q.deadline)
        detail = (  # finishing a little after the deadline with no task left over is on time
            f"（完了見込み{done}、納期{due}まで余裕{minutes(slack)}）"
            if slack >= 0
            else f"（完了見込み{done}、納期{due}の時点で残るタスクは0件）"
        )
    added = f"{f.head_count}名" if f.head_count else "人を"
    return (
        f"{where}は今のままでも納期に間に合う見込みです{detail}。{added}増やしても"
        "遅延見込みは0件のままで、変わりません。"
    )


def statements(ctx: AnswerContext) -> list[str]:
    """What the services state as sentences, in Japanese: a what-if's verdict that no
    helper makes it better, then the notes."""
    f = ctx.no_helpful_helpers
    return [*([no_helpful_helpers(f)] if f is not None else []), *ctx.notes]


def knowhow_block(knowhow: list[KnowhowFacts]) -> list[str]:
    """The know-how used, by title with its text quoted as written (its similarity is for
    the card, not the answer). A note that speaks to the assistant instead of describing
    the operation is named but not quoted, and not used."""
    if not knowhow:
        return []
    lines = ["参考にした管理者ノウハウ："]
    for k in knowhow:
        if looks_like_instruction(f"{k.title} {k.content}"):
            lines.append(f"・{k.title}（AIMEEへの指示のような記述を含むため、参考にしていません）")
        else:
            lines.append(f"・{k.title}:「{k.content}」")
    return lines


def operator_line(o: OperatorFacts) -> str:
    where = f"現在{o.current}" if o.current else "現在待機中"
    return (
        f"・{o.name}（{o.location}、{o.process} Lv{o.skill_level}・経験{o.experience_months}ヶ月・"
        f"毎時{round(o.speed)}件、{where}）"
    )


def finish_line(q: QueueFacts, by_time: datetime | None = None) -> str:
    """Conclusion first: by the time asked, if any, then when the queue finishes and its
    margin or delay (late as every answer reads it: ``QueueFacts.will_be_late``)."""
    head = f"{q.label}（{q.business}）は"
    if q.projected_completion is None:
        if by_time is not None and clock(by_time) != clock(q.deadline):
            return (
                head + f"{clock(by_time)}までには間に合いません。今の体制では終わる見込みがなく、"
                f"納期{clock(q.deadline)}にも間に合いません（担当{q.staff_count}名）。"
            )
        return (
            head + f"納期{clock(q.deadline)}に間に合いません。"
            f"今の体制では終わる見込みがありません（担当{q.staff_count}名）。"
        )
    done_at = clock(q.projected_completion)
    if by_time is None:
        return head + f"{done_at}に終わる見込みで、" + deadline_verdict(q) + "。"
    gap = (by_time - q.projected_completion).total_seconds() / 60
    verdict = "間に合います" if gap >= 0 else "間に合いません"
    how = f"余裕{minutes(gap)}" if gap >= 0 else f"{minutes(-gap)}遅れ"
    asked = f"{clock(by_time)}までには{verdict}（完了見込み{done_at}、{how}）。"
    return head + asked + deadline_verdict(q) + "。"


def deadline_verdict(q: QueueFacts) -> str:
    """「納期16:00に間に合います（余裕9分）」 or 「…間に合いません（4分遅れ、…約20件が残る見込み）」
    for a queue with a completion time; a fraction of a task past the deadline is on time
    and says so, rather than a margin of minus minutes."""
    assert q.projected_completion is not None
    slack = (q.deadline - q.projected_completion).total_seconds() / 60
    deadline = f"納期{clock(q.deadline)}"
    if not q.will_be_late:
        if slack >= 0:
            return f"{deadline}に間に合います（余裕{minutes(slack)}）"
        return f"{deadline}にほぼ間に合います（納期時点の残りは1件未満）"
    late = f"{minutes(-slack)}遅れ、" if slack < 0 else ""
    return f"{deadline}に間に合いません（{late}納期時点で約{tasks(q.late_tasks)}が残る見込み）"


SHIFT_ASKED = re.compile(
    r"シフト|何時まで|何時上が|何時あが|何時に(?:上が|あが|帰)|上がりは何時|退勤|出勤|何時から"
    r"|\bshift\b|until when|what time"
)
"""「高山さんって今日何時まで？」: the shift is the answer, said first."""


def profile_lines(p: OperatorProfile, shift_first: bool = False) -> list[str]:
    if not p.active:
        where = f"{p.name}さん（{p.location}）は現在無効（配置できないオペレータ）です。"
    elif p.current is None:
        where = f"{p.name}さん（{p.location}）は現在どの工程にも配置されていません（待機）。"
    else:
        site, business, process = p.current
        named = business_label(business, p.business_name)
        where = f"{p.name}さんは現在{site}の{process}（{named}）を担当しています。"
    skills = "、".join(
        f"{s.process} Lv{s.level}（経験{s.experience_months}ヶ月・毎時{round(s.speed)}件）"
        for s in p.skills
    )
    lines = [where, f"スキル: {skills}。" if skills else "登録されたスキルはありません。"]
    asked = next((s for s in p.skills if s.process == p.skill_asked), None)
    if asked is not None:  # 「竹下さんって検証できる？」: that skill first
        lines.insert(
            0,
            f"{p.name}さんの{asked.process}はLv{asked.level}です"
            f"（経験{asked.experience_months}ヶ月・毎時{round(asked.speed)}件）。",
        )
    day = f"{p.shift_day:%-m月%-d日}" if p.shift_day is not None else "本日"
    shift = []
    if p.shift is not None:
        starts, ends = p.shift
        shift = [f"{p.name}さんの{day}のシフトは{starts:%H:%M}〜{ends:%H:%M}です。"]
    elif p.shift_day is None:
        shift = [f"{p.name}さんの本日のシフトは登録されていません。"]
    return [*shift, *lines] if shift_first else [*lines, *shift]

"""What-ifs about named people: 「高山さんを抜いても回る？」「上野さんの代わりに中島さんを
入れたら？」「竹下さんを札幌のエントリ1に回したら？」.

People removed stop working on their queue; people sent go to the first target queue
they are skilled enough for (switch time paid, as in any plan). Every queue's figures
are evaluated with the planner's capacity code at the deadline, before and after, and
stated as facts the answer can say: the queue asked about, the queues touched, the
floor total (全体).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from aimee.llm.context import MoveFacts, QueueChange, SuggestionFacts
from aimee.nlu.request import QueueRef
from aimee.planner import Move, Operator, QueueKey, Scenario, evaluate, plan_from_moves
from aimee.planner.capacity import QueueEvaluation
from aimee.planner.constraints import skill_eligible
from aimee.services import facts
from aimee.services.policy import Policy
from aimee.services.scenarios import build_situation


@dataclass
class WhatIf:
    facts: SuggestionFacts | None = None
    notes: list[str] = field(default_factory=list)
    """Why (part of) the change could not be evaluated, in Japanese."""
    every_queue: list[QueueChange] = field(default_factory=list)
    """Every queue before and after (a donor check lists a whole site's)."""


def people_changed(
    session: Session,
    *,
    now: datetime,
    policy: Policy,
    targets: tuple[QueueRef, ...],
    remove: tuple[str, ...] = (),
    send: tuple[str, ...] = (),
    leave_count: int = 0,
    sent_out: tuple[str, ...] = (),
    elsewhere: bool = False,
) -> WhatIf:
    """The floor when ``remove`` stop working and ``send`` go to a target queue;
    ``leave_count``: that many more people of the target queue, unnamed, stop working
    (「1人抜けたら？」), assumed to be the ones of average speed there (named, and the
    assumption said, in the premise); ``sent_out``: those of ``send`` said to be sent away
    (出す, 回す) with no destination: one whose own queue is the only one asked about leaves
    it (「竹下さんを応援に出しても盛岡SSのE2は平気？」), as a removal; ``elsewhere``: they are
    sent away from the queues asked about (「よそに回したら那覇のE1は？」), so each leaves their
    own queue and none goes to a queue asked about."""
    at_deadline = policy.rules.model_copy(update={"margin_minutes": 0.0})
    scenario = build_situation(session, now=now, rules=at_deadline).scenario
    by_name = {op.name: op for op in scenario.operators}
    result = WhatIf()
    # in the targets' order: 「那覇のE1に回したらE1どう？」 sends to 那覇's, not the first E1
    queues = list(dict.fromkeys(q.key for r in targets for q in scenario.queues if r.names(q.id)))
    leaves_asked = tuple(n for n in sent_out if _leaves(by_name.get(n), queues, elsewhere))
    remove = (*remove, *leaves_asked)
    send = tuple(n for n in send if n not in leaves_asked)
    before = {e.queue.id: e for e in evaluate(scenario, {})}
    assumed: list[Operator] = []
    if leave_count:
        queue = _queue_left(scenario, targets, remove, before)
        assumed = _average_people(scenario, queue, leave_count, set(remove), now)
        if len(assumed) < leave_count:
            result.notes.append(_too_few(targets, leave_count, len(assumed)))
    named = remove
    remove = (*remove, *(op.name for op in assumed))
    leaving = {by_name[n].id for n in remove if n in by_name and by_name[n].assigned is not None}
    idle = [n for n in remove if n not in by_name or by_name[n].assigned is None]
    if idle:
        who = "、".join(f"{n}さん" for n in idle)
        result.notes.append(
            f"{who}は現在どの工程にも配置されていないため、抜けても影響はありません。"
        )
    moves = []
    for name in send:
        move, problem = _destination(scenario, by_name.get(name), name, queues)
        if problem:
            result.notes.append(problem)
        elif move is not None:
            moves.append(move)
    # someone both taken off and sent somewhere is sent (the move takes them off their
    # queue); one who cannot be sent there still leaves
    leaving -= {m.operator_id for m in moves}
    if not leaving and not moves:
        result.notes = [_nothing_changes(note) for note in result.notes]
        return result
    without = scenario.model_copy(
        update={
            "operators": [
                op.model_copy(update={"assigned": None, "locked": True}) if op.id in leaving else op
                for op in scenario.operators
            ]
        }
    )
    after = {e.queue.id: e for e in evaluate(without, {m.operator_id: m.to.id for m in moves})}
    changed = leaving | {m.operator_id for m in moves}
    touched = {op.assigned.id for op in scenario.operators if op.id in changed and op.assigned}
    touched |= {m.to.id for m in moves}
    result.every_queue = [_change(before[key], after[key]) for key in before]
    changes = [c for key, c in zip(before, result.every_queue, strict=True) if key in touched]
    asked = [
        c for c in changes if any(r.names((c.location, c.business_id, c.process)) for r in targets)
    ]
    target = asked[0] if asked else (changes[0] if len(changes) == 1 else None)
    sent = facts.move_facts(without, plan_from_moves(without, moves)) if moves else []
    result.facts = SuggestionFacts(
        suggestion_id=None,
        moves=sent,
        late_before=sum(c.late_before for c in changes),
        late_after=sum(c.late_after for c in changes),
        productivity="",
        delay="",
        changes=changes,
        target=target,
        floor_before=sum(round(e.late) for e in before.values()),
        floor_after=sum(round(e.late) for e in after.values()),
        premise=_with_assumed(_premise(named, sent, leaving, by_name), assumed),
        assumed_leaving=[op.name for op in assumed],
    )
    return result


def _queue_left(
    scenario: Scenario,
    targets: tuple[QueueRef, ...],
    named: tuple[str, ...],
    before: dict[tuple[str, str, str], QueueEvaluation],
) -> tuple[str, str, str] | None:
    """The one queue people leave when 「盛岡の検証から1人抜けたら」 names two (SS and KP):
    the queue of a person named with them, else the latest one, else the most staffed."""
    matched = [q.id for q in scenario.queues if any(r.names(q.id) for r in targets)]
    for op in scenario.operators:
        if op.name in named and op.assigned is not None and op.assigned.id in matched:
            return op.assigned.id
    staffed = {
        key: sum(1 for op in scenario.operators if op.assigned and op.assigned.id == key)
        for key in matched
    }
    late = {key: before[key].late if key in before else 0.0 for key in matched}
    return max(matched, key=lambda k: (late[k], staffed[k]), default=None)


def _average_people(
    scenario: Scenario,
    queue: tuple[str, str, str] | None,
    count: int,
    named: set[str],
    now: datetime,
) -> list[Operator]:
    """The ``count`` people working ``queue`` now (not ``named``) whose speed there is
    nearest the queue's average: who 「1人抜けたら」 stands for when nobody is named."""
    on_it = [
        op
        for op in scenario.operators
        if op.assigned is not None
        and op.assigned.id == queue
        and op.name not in named
        and (op.shift_end is None or op.shift_end > now)
    ]
    if not on_it:
        return []

    def speed(op: Operator) -> float:
        assert op.assigned is not None
        return op.speed(op.assigned.process)

    mean = sum(speed(op) for op in on_it) / len(on_it)
    return sorted(on_it, key=lambda op: (abs(speed(op) - mean), op.id))[:count]


def _too_few(targets: tuple[QueueRef, ...], wanted: int, found: int) -> str:
    where = "・".join("の".join(p for p in (r.location, r.process) if p) for r in targets)
    where = where or "その工程"
    if not found:
        return f"{where}には今働いている人がいないため、抜ける人を仮定できません。"
    return f"{where}で今働いているのは{found}名のため、{found}名が抜けるとして計算しました。"


def _with_assumed(premise: str, people: list[Operator]) -> str:
    """The premise with the people assumed to leave: 「札幌の補正から平均的な速さの1名
    （中野拓也さん・毎時62件）が抜けると仮定すると、」 (after 「高山さんが今の工程から
    抜け、さらに」 when someone is named too)."""
    if not people:
        return premise
    places: dict[str, list[str]] = {}
    for op in people:
        at = op.assigned
        assert at is not None
        places.setdefault(f"{at.location}の{at.process}", []).append(
            f"{op.name}さん・毎時{round(op.speed(at.process))}件"
        )
    where = "・".join(places)
    who = "、".join(w for names in places.values() for w in names)
    assumed = f"{where}から平均的な速さの{len(people)}名（{who}）が抜けると仮定すると、"
    if premise.endswith("抜けると、"):
        return premise.removesuffix("抜けると、") + "抜け、さらに" + assumed
    return premise + assumed


def _leaves(op: Operator | None, queues: list[QueueKey], elsewhere: bool) -> bool:
    """Sent away, whether they just leave their queue: always when sent elsewhere; sent
    to help, when their own queue is the only one named (no destination said)."""
    if op is None or op.assigned is None:
        return False
    here = op.assigned.id
    return elsewhere or (bool(queues) and all(q.id == here for q in queues))


def _destination(
    scenario: Scenario, op: Operator | None, name: str, queues: list[QueueKey]
) -> tuple[Move | None, str | None]:
    if op is None:
        return None, f"{name}さんは今日の計算対象（稼働中のオペレータ）にいません。"
    if not queues:
        return None, f"{name}さんの移動先の工程がわかりません。拠点と工程を教えてください。"
    here = op.assigned.id if op.assigned is not None else None
    fits = [q for q in queues if skill_eligible(op, q.process, scenario.rules) and q.id != here]
    if fits:
        return Move(operator_id=op.id, to=fits[0]), None
    if any(q.id == here for q in queues):
        at = op.assigned
        assert at is not None
        return None, f"{name}さんは既に{at.location}の{at.process}に配置されています。"
    where = "・".join(dict.fromkeys(f"{q.location}の{q.process}" for q in queues[:3]))
    level = scenario.rules.min_skill_level
    return None, f"{name}さんは{where}のスキルがLv{level}未満（または登録がない）{_CANNOT_SEND}"


_CANNOT_SEND = "ため、回せません。"


def _nothing_changes(note: str) -> str:
    """When nobody could be moved at all, the verdict comes with the reason:
    「…のスキルがLv3未満のため回せず、見込みは変わりません。」"""
    if not note.endswith(_CANNOT_SEND):
        return note
    return note.removesuffix(_CANNOT_SEND) + "ため回せず、見込みは変わりません。"


def _change(before: QueueEvaluation, after: QueueEvaluation) -> QueueChange:
    q = before.queue
    return QueueChange(
        location=q.location,
        process=q.process,
        business_id=q.business_id,
        late_before=before.late,
        late_after=after.late,
        completion_before=before.completion,
        completion_after=after.completion,
        deadline=q.deadline,
    )


def _premise(
    remove: tuple[str, ...], moves: list[MoveFacts], leaving: set[int], by_name: dict[str, Operator]
) -> str:
    """「高山麻由子さんを盛岡のエントリ1から札幌のエントリ1へ回すと、」: the change, with
    the queue a person leaves."""
    gone = "、".join(f"{n}さん" for n in remove if n in by_name and by_name[n].id in leaving)
    if len(moves) == 1:
        m = moves[0]
        origin = f"{m.from_location}の{m.from_process}から" if m.from_process else "待機中から"
        sent = f"{m.operator_name}さんを{origin}{m.to_location}の{m.to_process}へ"
    else:
        sent = "、".join(f"{m.operator_name}さん" for m in moves) + "を" if moves else ""
        sent += f"{moves[0].to_location}の{moves[0].to_process}へ" if moves else ""
    if gone and sent:
        return f"{gone}が今の工程から抜け、{sent}回すと、"
    if gone:
        return f"{gone}が今の工程から抜けると、"
    return f"{sent}回すと、" if sent else ""

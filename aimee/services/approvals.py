"""Approve, reject or modify a suggestion, exactly once; track its execution.

A decision is written in the request's transaction: the suggestion's status
moves by a conditional UPDATE (only from ``pending``), and the seed's
``approval_history`` row is inserted with it, so two concurrent decisions can
never both succeed. Before that, an approval is checked against the current
data: the operators must still be where the plan found them, must not be part
of another approved move not yet carried out, and the moves must still reduce
late tasks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from aimee.errors import BadRequest, Conflict, NotFound
from aimee.llm.fence import looks_like_instruction
from aimee.planner import Move, Plan, QueueKey, Scenario, plan_from_moves, violations
from aimee.planner.milp import OBJECTIVE_TOLERANCE
from aimee.services import outcomes
from aimee.services.knowledge import DocumentFields, KnowledgeService, past_case_source
from aimee.services.outcomes import OutcomePublic
from aimee.services.scenarios import build_situation
from aimee.services.suggestions import (
    SuggestionChange,
    card_impact,
    group_changes,
    stored_plan,
    summary_reason,
)
from aimee.store.models import ApprovalHistory, OperatorAssignment, Suggestion, User
from aimee.store.repositories import approvals as repo
from aimee.store.repositories import assignments as assignment_repo
from aimee.store.repositories import commitments
from aimee.store.repositories import suggestions as suggestion_repo
from aimee.tokens import contains_token

Action = Literal["approve", "reject", "modify"]
ACTION_TYPES = {"approve": "approved", "reject": "rejected", "modify": "modified"}
STATUS_LABELS = {
    "approved": "承認済み",
    "rejected": "却下済み",
    "modified": "修正して承認済み",
    "expired": "期限切れ",
}
TRANSITIONS = {"pending": {"executing"}, "executing": {"completed", "failed"}}


class ChangeIn(BaseModel):
    """An edited change (modify): these operators go to this queue."""

    to: str = Field(min_length=1, max_length=50, description="移動先の拠点")
    process: str = Field(min_length=1, max_length=100)
    business_id: str = Field(min_length=1, max_length=10)
    operator_ids: list[int] = Field(min_length=1, max_length=200)


class ApprovalPublic(BaseModel):
    approval_history_id: int
    suggestion_id: str
    changes: Any
    impact: Any
    action_type: str
    action_user: str
    feedback_reason: str | None
    execution_status: str | None
    created_at: datetime
    outcomes: list[OutcomePublic] = Field(
        default_factory=list,
        description="承認した案の工程ごとの予測と、納期後に記録した実績（却下では空）",
    )


def list_history(
    session: Session, *, now: datetime, **filters: Any
) -> tuple[int, list[ApprovalPublic]]:
    """How many decisions match ``filters``, and one page of them (newest first)."""
    total, rows = repo.list_history(session, **filters)
    return total, public(session, rows, now)


def public(
    session: Session, rows: Sequence[ApprovalHistory], now: datetime
) -> list[ApprovalPublic]:
    """Decisions as the API shows them, each with its predicted and actual outcomes."""
    found = outcomes.for_histories(session, rows, now)
    return [
        ApprovalPublic.model_validate(row, from_attributes=True).model_copy(
            update={"outcomes": found.get(row.approval_history_id, [])}
        )
        for row in rows
    ]


def busy_operators(
    session: Session, *, now: datetime, excluding: str | None = None
) -> dict[int, str]:
    """Operators promised to approved moves not carried out yet: id -> suggestion id."""
    held = commitments.holders(session, now)
    return {op: sid for op, sid in held.items() if sid != excluding}


class ApprovalService:
    def __init__(self, knowledge: KnowledgeService | None = None) -> None:
        self._knowledge = knowledge

    def act(
        self,
        session: Session,
        suggestion_id: str,
        action: Action,
        *,
        user: User,
        now: datetime,
        feedback_reason: str | None = None,
        changes: Sequence[ChangeIn] = (),
    ) -> ApprovalPublic:
        row = suggestion_repo.get(session, suggestion_id)
        if row is None:
            raise NotFound(f"提案{suggestion_id}は見つかりません")
        check_open(row, now)
        scenario, stored = stored_plan(row)
        history_changes, history_impact = row.changes, row.impact
        approved: Plan | None = None
        if action != "reject":
            moves = _moves(stored) if action == "approve" else edited_moves(scenario, changes)
            current = revalidate(
                session, row, scenario, stored, moves, now, loan_ends=stated_loans(stored, moves)
            )
            approved = stored if action == "approve" else current  # what the approver saw
            if action == "modify":
                history_changes = [c.model_dump(mode="json") for c in group_changes(current)]
                history_impact = card_impact(scenario, current).model_dump(mode="json")
            # first: a race for the same people is decided here, before any slow work
            self._reserve(session, row, scenario, current, now)
        if not repo.claim_suggestion(session, suggestion_id, ACTION_TYPES[action]):
            raise Conflict(f"提案{suggestion_id}は他の操作で既に処理されました")
        if action == "modify":  # the card and history show what was approved
            row.changes, row.impact = history_changes, history_impact
            row.reason = summary_reason(current, card_impact(scenario, current))
            planner_rules = set(stored.rules_applied)
            knowhow = [r for r in row.rules_used or [] if r not in planner_rules]
            row.rules_used = [*knowhow, *current.rules_applied]
        history = repo.add(
            session,
            ApprovalHistory(
                suggestion_id=suggestion_id,
                changes=history_changes,
                impact=history_impact,
                action_type=ACTION_TYPES[action],
                action_user=user.user_name,
                feedback_reason=feedback_reason,
                execution_status=None if action == "reject" else "pending",
                created_at=now,
            ),
        )
        if approved is not None:
            outcomes.record_predictions(
                session, approved, history=history, suggestion_id=suggestion_id, now=now
            )
        self._record_past_case(session, row, history, now)
        return public(session, [history], now)[0]

    @staticmethod
    def _reserve(
        session: Session, row: Suggestion, scenario: Scenario, plan: Plan, now: datetime
    ) -> None:
        """Promise the plan's operators to this suggestion, atomically: the loser of a
        race for the same person gets 409 naming them and who holds them."""
        operator_ids = [m.operator_id for m in plan.moves]
        clash = commitments.reserve(
            session, row.suggestion_id, operator_ids, now=now, lapses_at=row.expires_at
        )
        if clash is not None:
            operator_id, holder = clash
            if holder == row.suggestion_id:
                raise Conflict(f"提案{holder}は他の操作で既に処理されました")
            name = next((op.name for op in scenario.operators if op.id == operator_id), operator_id)
            raise Conflict(
                f"{name}さんは承認済みの別の提案{holder or ''}で既に移動が約束されています。"
                "新しい提案を作成してください。"
            )

    def set_execution(
        self, session: Session, approval_history_id: int, status: str, *, now: datetime
    ) -> ApprovalPublic:
        row = repo.get(session, approval_history_id)
        if row is None:
            raise NotFound(f"承認履歴{approval_history_id}は見つかりません")
        current = row.execution_status
        if current is None:
            raise Conflict("却下された提案には実行状況がありません")
        if status not in TRANSITIONS.get(current, set()):
            raise Conflict(f"実行状況を{current}から{status}には変更できません")
        if not repo.move_execution(session, approval_history_id, current, status):
            raise Conflict("実行状況は他の操作で既に変更されました")
        suggestion_id = row.suggestion_id or ""
        if status == "executing":
            commitments.started(session, suggestion_id)
        elif status == "completed":
            _check_still_there(session, row)
            for change in row.changes or []:
                queue = (change["to"], change["business_id"], change["process"])
                for operator_id in change["operator_ids"]:
                    assignment_repo.move(session, int(operator_id), queue, now)
        if status in {"completed", "failed"}:
            commitments.end(session, suggestion_id, now=now, reason=status)
        session.refresh(row)
        return public(session, [row], now)[0]

    def _record_past_case(
        self, session: Session, suggestion: Suggestion, history: ApprovalHistory, now: datetime
    ) -> None:
        """Keep the decision as a searchable record (the seed's 過去の類似ケース): its
        facts (queue, moves, predicted outcome; the actual one is added after the
        deadline), and the approver's reason as a short quotation, never as guidance."""
        if self._knowledge is None:
            return
        moves = "、".join(
            f"{c.route}（{c.count}名: {'・'.join(c.operators)}）"
            for c in (SuggestionChange.model_validate(raw) for raw in history.changes or [])
        )
        impact = history.impact or {}
        verdict = STATUS_LABELS[history.action_type or "approved"].removesuffix("済み")
        content = (
            f"{history.created_at:%Y-%m-%d %H:%M} {verdict}: {moves}。"
            f"遅延見込み{round(impact.get('late_tasks_before', 0))}件→"
            f"{round(impact.get('late_tasks_after', 0))}件。{suggestion.reason}"
        )
        if history.feedback_reason:
            reason = quoted_reason(history.feedback_reason)
            content += f" 判断理由（{history.action_user}さんの記述）: {reason}"
        self._knowledge.create(
            session,
            DocumentFields(
                title=f"過去事例: {impact.get('target') or '配置変更'}（{verdict}）",
                content=content,
                category="過去事例",
                source=past_case_source(suggestion.suggestion_id, history.action_user),
            ),
            now=now,
        )


REASON_LIMIT = 200
"""Characters of an approver's reason quoted in a past case (the full text stays in history)."""
WITHHELD = (
    "（AIMEEへの指示や秘密情報のような記述を含むため載せていません。原文は承認履歴にあります）"
)


def quoted_reason(text: str) -> str:
    """An approver's reason as the past case quotes it: on one line, at most
    ``REASON_LIMIT`` characters, in 「」 that the text cannot close, and withheld
    when it speaks to the assistant or holds a token (an approver must not be able
    to plant instructions that every user's chat then reads)."""
    plain = " ".join(text.split())
    if looks_like_instruction(plain) or contains_token(plain):
        return WITHHELD
    short = plain if len(plain) <= REASON_LIMIT else plain[:REASON_LIMIT] + "…"
    return "「" + short.replace("「", "『").replace("」", "』") + "」"


def _check_still_there(session: Session, history: ApprovalHistory) -> None:
    """Completing moves people from where the plan found them: if someone has been
    moved since (another plan, an import), the completion is refused, naming them."""
    suggestion = suggestion_repo.get(session, history.suggestion_id or "")
    if suggestion is None:
        return
    scenario, _plan = stored_plan(suggestion)
    found = {op.id: op for op in scenario.operators}
    moved = []
    for change in history.changes or []:
        for operator_id in change["operator_ids"]:
            op = found.get(int(operator_id))
            row = session.get(OperatorAssignment, int(operator_id))
            now_at = assignment_repo.where(row) if row is not None else None
            then = op.assigned if op is not None else None
            then_at = (then.location, then.business_id, then.process) if then else None
            if op is not None and now_at != then_at:
                moved.append(f"{op.name}さん（現在{'・'.join(now_at) if now_at else '未配置'}）")
    if moved:
        raise Conflict(
            "提案時から配置が変わったオペレータがいるため、完了にできません: "
            + "、".join(moved)
            + "。実行失敗として記録し、新しい提案を作成してください。"
        )


def check_open(row: Suggestion, now: datetime) -> None:
    if row.status == "expired" and (row.plan or {}).get("day") is not None:
        raise Conflict(  # services.day_plan.replace_older
            f"提案{row.suggestion_id}は、新しいデータで作り直した本日の残りの計画に置き換えられ"
            "ました。新しい提案を確認してください。"
        )
    if row.status != "pending":
        label = STATUS_LABELS.get(row.status, row.status)
        raise Conflict(f"提案{row.suggestion_id}は既に{label}です")
    if now >= row.expires_at:
        raise Conflict(
            f"提案{row.suggestion_id}は有効期限（{row.expires_at:%m/%d %H:%M}）を過ぎています。"
            "新しい提案を作成してください。"
        )


def _moves(plan: Plan) -> list[Move]:
    return [Move(operator_id=m.operator_id, to=m.to) for m in plan.moves]


def edited_moves(scenario: Scenario, changes: Sequence[ChangeIn]) -> list[Move]:
    if not changes:
        raise BadRequest("修正（modify）には変更後の内容（changes）が必要です")
    return [
        Move(
            operator_id=operator_id,
            to=QueueKey(location=c.to, business_id=c.business_id, process=c.process),
        )
        for c in changes
        for operator_id in c.operator_ids
    ]


def stated_loans(stored: Plan, moves: Sequence[Move]) -> dict[int, datetime | None]:
    """The end the card stated for each of ``moves`` it holds (same person, same
    destination, from a queue): its ``until``, None for a move it states as permanent (a plan
    for the rest of the day whose timeline keeps the helper there or takes them on
    elsewhere). Evaluated with these ends (``plan_from_moves``' ``loan_ends``), a kept loan
    keeps its end in the figures (impact, reason, predictions) as in ``until``; a move the
    manager added has none stated and follows ``rules.loans`` (a loan to its destination's
    deadline)."""
    stated = {(m.operator_id, m.to.id): m.until for m in stored.moves if m.from_ is not None}
    return {
        m.operator_id: stated[m.operator_id, m.to.id]
        for m in moves
        if (m.operator_id, m.to.id) in stated
    }


def revalidate(
    session: Session,
    row: Suggestion,
    scenario: Scenario,
    stored: Plan,
    moves: list[Move],
    now: datetime,
    *,
    loan_ends: Mapping[int, datetime | None] | None = None,
) -> Plan:
    """The moves evaluated on the current data, each ending as ``loan_ends`` states
    (`stated_loans`); Conflict with the reason when the plan no longer holds."""
    busy = busy_operators(session, now=now, excluding=row.suggestion_id)
    names = {op.id: op.name for op in scenario.operators}
    taken = [m.operator_id for m in moves if m.operator_id in busy]
    if taken:
        who = "、".join(f"{names.get(i, i)}さん（提案{busy[i]}）" for i in taken)
        raise Conflict(f"承認済みの別の提案で既に移動が約束されているオペレータがいます: {who}")
    rules = scenario.rules.model_copy(update={"targets": None})  # a manager may send help anywhere
    current = build_situation(session, now=now, rules=rules).scenario
    where_now = {op.id: op.assigned for op in current.operators}
    where_then = {op.id: op.assigned for op in scenario.operators}
    for move in moves:
        name = names.get(move.operator_id, str(move.operator_id))
        if move.operator_id not in where_now:
            raise Conflict(f"{name}さんは現在配置できません（無効なオペレータ）")
        if where_now[move.operator_id] != where_then.get(move.operator_id):
            raise Conflict(
                f"{name}さんの配置が提案時から変わっています。新しい提案を作成してください。"
            )
    problems = violations(current, moves)
    if problems:
        raise Conflict("この配置変更はルールを満たしません: " + "; ".join(problems))
    result = plan_from_moves(current, moves, loan_ends=loan_ends)
    helped_then = stored.objective.after < stored.objective.before - OBJECTIVE_TOLERANCE
    helps_now = result.objective.after < result.objective.before - OBJECTIVE_TOLERANCE
    if helped_then and not helps_now:
        raise Conflict(
            "現在のデータでは、この配置変更で遅延見込みが減りません"
            f"（{round(result.objective.before)}件→{round(result.objective.after)}件）。"
            "新しい提案を作成してください。"
        )
    return result

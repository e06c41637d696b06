"""Tables. The seed's four tables keep the seed's names and columns exactly
(``operators``, ``operator_process_capabilities``, ``progress_snapshots``,
``approval_history``) so AIMEE can point at an existing ``aimee_db``; the rest
is what the product adds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from aimee.store.base import Base

APPROVAL_ACTIONS = ("approved", "rejected", "modified")
EXECUTION_STATUSES = ("pending", "executing", "completed", "failed")
SUGGESTION_STATUSES = ("pending", "approved", "rejected", "modified", "expired")
ALERT_STATUSES = ("open", "acknowledged", "resolved")
USER_ROLES = ("viewer", "approver", "admin")

# --- the seed's tables -------------------------------------------------------


class Operator(Base):
    __tablename__ = "operators"

    operator_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator_name: Mapped[str | None] = mapped_column(String(100))
    location_name: Mapped[str | None] = mapped_column(String(50), index=True)
    is_valid: Mapped[bool | None] = mapped_column(Boolean)


class OperatorProcessCapability(Base):
    __tablename__ = "operator_process_capabilities"
    __table_args__ = (
        Index("ix_capabilities_process_skill", "process_name", "skill_level"),
        Index("ix_capabilities_operator", "operator_id"),
    )

    capability_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.operator_id"))
    process_name: Mapped[str | None] = mapped_column(String(100))
    skill_level: Mapped[int | None] = mapped_column(Integer)  # 1-5
    experience_months: Mapped[int | None] = mapped_column(Integer)
    average_speed: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # tasks/hour


class ProgressSnapshot(Base):
    """One observation of one queue. ``expected_completion_time`` is the queue's
    deadline (納期) as in the seed; ``total_waiting`` the tasks left;
    ``entry_count`` the tasks processed so far today; ``correction_waiting`` the
    part of the waiting tasks that came back for correction."""

    __tablename__ = "progress_snapshots"
    __table_args__ = (
        Index(  # one observation per queue and time: ingestion is idempotent
            "uq_snapshots_queue_time",
            "location_name",
            "business_id",
            "process_name",
            "snapshot_time",
            unique=True,
        ),
        Index("ix_snapshots_time", "snapshot_time"),
    )

    snapshot_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_time: Mapped[datetime | None] = mapped_column(DateTime)
    location_name: Mapped[str | None] = mapped_column(String(50))
    business_id: Mapped[str | None] = mapped_column(String(10))
    process_name: Mapped[str | None] = mapped_column(String(100))
    expected_completion_time: Mapped[datetime | None] = mapped_column(DateTime)
    total_waiting: Mapped[int | None] = mapped_column(Integer)
    entry_count: Mapped[int | None] = mapped_column(Integer)
    correction_waiting: Mapped[int | None] = mapped_column(Integer)


class ApprovalHistory(Base):
    __tablename__ = "approval_history"

    approval_history_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    suggestion_id: Mapped[str | None] = mapped_column(String(50), index=True)
    changes: Mapped[Any] = mapped_column(JSON, nullable=True)
    impact: Mapped[Any] = mapped_column(JSON, nullable=True)
    action_type: Mapped[str | None] = mapped_column(
        Enum(*APPROVAL_ACTIONS, name="approval_action_type")
    )
    action_user: Mapped[str | None] = mapped_column(String(100))
    feedback_reason: Mapped[str | None] = mapped_column(Text)
    execution_status: Mapped[str | None] = mapped_column(
        Enum(*EXECUTION_STATUSES, name="approval_execution_status")
    )
    created_at: Mapped[datetime | None] = mapped_column(
        DateTime, server_default=func.current_timestamp()
    )


# --- what AIMEE adds ---------------------------------------------------------


class Business(Base):
    """Master data: a business id and the name managers use for it ("SS")."""

    __tablename__ = "businesses"

    business_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    business_name: Mapped[str] = mapped_column(String(100))


class OperatorAssignment(Base):
    """Where each operator works now (one row per operator)."""

    __tablename__ = "operator_assignments"
    __table_args__ = (
        Index("ix_assignments_queue", "location_name", "business_id", "process_name"),
    )

    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.operator_id"), primary_key=True)
    location_name: Mapped[str] = mapped_column(String(50))
    business_id: Mapped[str] = mapped_column(String(10))
    process_name: Mapped[str] = mapped_column(String(100))
    since: Mapped[datetime] = mapped_column(DateTime)


class OperatorShift(Base):
    """When an operator works on a day (one row per operator and day): plans count
    their capacity only until ``ends_at``, and a card says when a helper leaves."""

    __tablename__ = "operator_shifts"

    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.operator_id"), primary_key=True)
    shift_date: Mapped[date] = mapped_column(Date, primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)


class PastAssignment(Base):
    """Where an operator worked before their current assignment: one row per ended
    stint, written when an assignment changes (an executed move, an import). With
    ``operator_assignments.since`` it tells who was on a queue at any time, so a
    queue's observed pace is measured against the staff who were there."""

    __tablename__ = "operator_assignment_history"

    history_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.operator_id"), index=True)
    location_name: Mapped[str] = mapped_column(String(50))
    business_id: Mapped[str] = mapped_column(String(10))
    process_name: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime] = mapped_column(DateTime, index=True)


DAY_HORIZON = "day"
"""``Suggestion.horizon`` of a plan for the rest of the day."""


class Suggestion(Base):
    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_horizon_created_at", "horizon", "created_at"),)

    suggestion_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    changes: Mapped[Any] = mapped_column(JSON)
    impact: Mapped[Any] = mapped_column(JSON)
    plan: Mapped[Any] = mapped_column(JSON)  # the full planner output
    reason: Mapped[str] = mapped_column(Text)
    rules_used: Mapped[Any] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(
        Enum(*SUGGESTION_STATUSES, name="suggestion_status"), index=True
    )
    data_fingerprint: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    horizon: Mapped[str | None] = mapped_column(String(10))
    """What the suggestion plans for: ``"day"``, a plan for the rest of the day (made by the
    day-plan job: its ``plan`` carries the ``day`` figures and the intended ``timeline``);
    None, the moves now only (the alert worker's, the chat's). Indexed with ``created_at``:
    the newest plan for the rest of the day is found without reading the others' plans."""


class OperatorCommitment(Base):
    """An operator promised to an approved move. ``open_operator_id`` holds the
    operator while the commitment is open and is cleared when it ends (executed,
    failed, lapsed): the unique index makes a second open commitment for one
    operator impossible, whichever transaction commits first."""

    __tablename__ = "operator_commitments"

    commitment_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.operator_id"), index=True)
    suggestion_id: Mapped[str] = mapped_column(String(50), index=True)
    open_operator_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    lapses_at: Mapped[datetime | None] = mapped_column(DateTime)
    """Until execution starts, the promise lapses with the suggestion; None once started."""
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    """completed, failed or lapsed."""


class PlanOutcome(Base):
    """What an approved plan predicted for one queue it touched, and what happened.

    Written with the decision (the prediction the approver saw: the suggestion's
    plan, or the recomputed one for 修正して承認); the actual figures are filled
    in from the snapshots once the queue's deadline has passed, for plans whose
    execution completed. ``recorded_at`` is None until then; ``actual_late`` stays
    None when no snapshot was taken between the decision and the deadline."""

    __tablename__ = "plan_outcomes"
    __table_args__ = (
        Index(
            "uq_plan_outcomes_queue",
            "approval_history_id",
            "location_name",
            "business_id",
            "process_name",
            unique=True,
        ),
        Index("ix_plan_outcomes_pending", "recorded_at", "deadline"),
    )

    outcome_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    approval_history_id: Mapped[int] = mapped_column(
        ForeignKey("approval_history.approval_history_id")
    )
    suggestion_id: Mapped[str] = mapped_column(String(50), index=True)
    location_name: Mapped[str] = mapped_column(String(50))
    business_id: Mapped[str] = mapped_column(String(10))
    process_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(10))
    """target (receives operators) or donor (gives them)."""
    operators_moved: Mapped[int] = mapped_column(Integer)
    """Operators the plan brings (target) or takes away (donor)."""
    deadline: Mapped[datetime] = mapped_column(DateTime)
    predicted_at: Mapped[datetime] = mapped_column(DateTime)
    predicted_late_without: Mapped[float] = mapped_column(Float)
    """Late tasks at the deadline had nothing been moved."""
    predicted_late: Mapped[float] = mapped_column(Float)
    predicted_completion: Mapped[datetime | None] = mapped_column(DateTime)
    actual_late: Mapped[int | None] = mapped_column(Integer)
    """Tasks still waiting at the last snapshot at or before the deadline."""
    actual_completion: Mapped[datetime | None] = mapped_column(DateTime)
    """From this snapshot on the queue stayed empty up to the deadline (None: not done)."""
    observed_at: Mapped[datetime | None] = mapped_column(DateTime)
    """The snapshot that ``actual_late`` was read from."""
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime)


class Alert(Base):
    """A condition found by the alert scan on one queue. ``active_key``
    (type|location|business|process) is set while the alert is open or
    acknowledged and cleared when it resolves: the unique index makes a second
    live alert for the same queue and type impossible."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_status_created", "status", "created_at"),)

    alert_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_type: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))
    location_name: Mapped[str | None] = mapped_column(String(50))
    business_id: Mapped[str | None] = mapped_column(String(10))
    process_name: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[Any] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(Enum(*ALERT_STATUSES, name="alert_status"))
    suggestion_id: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    active_key: Mapped[str | None] = mapped_column(String(200), index=True, unique=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    deadline: Mapped[datetime | None] = mapped_column(DateTime)
    """The queue's deadline: lists of alerts are in urgency order (severity, then deadline)."""


class Notification(Base):
    """One thing a manager is told on one channel: a high alert or a suggestion awaiting
    approval (``kind`` and ``subject_id``), on the channel ``channel`` (a hash of its URL,
    never the URL: it may hold a token). The unique index makes a second row for the same
    thing and channel impossible, and a worker sends only after a conditional UPDATE moved
    the row to ``sending`` with the attempt count it read: of two workers, one sends."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("uq_notifications_subject", "kind", "subject_id", "channel", unique=True),
        Index("ix_notifications_status", "status", "notification_id"),
    )

    notification_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    """alert or suggestion."""
    subject_id: Mapped[str] = mapped_column(String(50))
    """The alert's id (as text) or the suggestion's id."""
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10))
    """pending (to send, again after a failure), sending (claimed), sent, failed (gave up),
    dropped (no longer to be told: the alert was acknowledged, resolved or eased, the
    suggestion decided or expired)."""
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class User(Base):
    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(Enum(*USER_ROLES, name="user_role"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """Argon2id hash of the dashboard password (None: signs in with the API token only)."""
    site: Mapped[str | None] = mapped_column(String(50))
    """The site the user manages (None: none on record): 「うち」 in the chat means it."""


class UserSession(Base):
    """A dashboard sign-in: the browser holds the token in an HttpOnly cookie, only its
    SHA-256 is stored. Valid until ``expires_at`` (wall-clock UTC, not the business
    clock), sign-out (``revoked_at``) or the user's revocation."""

    __tablename__ = "user_sessions"

    session_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class KnowledgeDocument(Base):
    """Manager know-how: the source of truth for the vector index."""

    __tablename__ = "knowledge_documents"

    document_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(50), index=True)
    source: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ChatFeedback(Base):
    """A manager's thumbs up or down on a chat answer."""

    __tablename__ = "chat_feedback"

    feedback_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_name: Mapped[str] = mapped_column(String(100))
    session_id: Mapped[str] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    intent_type: Mapped[str | None] = mapped_column(String(40))
    suggestion_id: Mapped[str | None] = mapped_column(String(50))
    rating: Mapped[int] = mapped_column(Integer)  # 1 = good, 0 = not good
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)

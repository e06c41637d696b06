"""Progress snapshots in: from a file (`aimee import snapshots`) or a batch
posted by the progress system (`POST /api/v1/progress/snapshots`).

Idempotent: a snapshot is identified by its natural key (site, business,
process, time) or, when the sender gives one, its ``snapshot_id``; sending the
same snapshot again stores nothing, sending different values for a stored key
is an error (a correction of history must be made on purpose, not by a retry)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert

from aimee.services.imports.columns import Column, RowError
from aimee.services.imports.engine import ParsedRow, TableImporter, Verdict, Written
from aimee.store.models import ProgressSnapshot
from aimee.store.repositories import imports as repo
from aimee.store.repositories.imports import SnapshotKey

FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of the business clock a snapshot time may be (clock skew)."""

VALUE_COLUMNS = ("expected_completion_time", "total_waiting", "entry_count", "correction_waiting")
DEFAULTS = {"entry_count": 0, "correction_waiting": 0}
UNKNOWN_HINTS = {
    "location_name": ("拠点", "operators"),
    "business_id": ("業務ID", "businesses"),
    "process_name": ("工程", "capabilities"),
}


def natural_key(values: dict[str, Any]) -> SnapshotKey:
    return (
        values["location_name"],
        values["business_id"],
        values["process_name"],
        values["snapshot_time"],
    )


def _content(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values.get(name, DEFAULTS.get(name)) for name in VALUE_COLUMNS)


def _stored_content(row: ProgressSnapshot) -> tuple[Any, ...]:
    return tuple(getattr(row, name) for name in VALUE_COLUMNS)


def _differences(earlier: tuple[Any, ...], incoming: tuple[Any, ...], label: str) -> str:
    """``total_waiting: 登録済み 120 / この行 118`` for each value that differs."""
    return "、".join(
        f"{name}: {label} {old} / この行 {new}"
        for name, old, new in zip(VALUE_COLUMNS, earlier, incoming, strict=True)
        if old != new
    )


def _listing(values: set[str], limit: int = 10) -> str:
    shown = sorted(values)[:limit]
    more = f" ほか{len(values) - limit}件" if len(values) > limit else ""
    return "、".join(shown) + more


class SnapshotImporter(TableImporter):
    kind = "snapshots"
    title = "進捗スナップショット"
    columns = (
        Column(
            "snapshot_id",
            "int",
            required=False,
            minimum=1,
            description="送信側のスナップショットID（省略可。省略時は拠点・業務・工程・時刻で照合）",
        ),
        Column("snapshot_time", "datetime", description="観測時刻"),
        Column("location_name", "text", max_length=50, description="拠点"),
        Column("business_id", "text", max_length=10, description="業務ID"),
        Column("process_name", "text", max_length=100, description="工程"),
        Column("expected_completion_time", "datetime", description="納期"),
        Column("total_waiting", "int", minimum=0, description="残件数"),
        Column(
            "entry_count",
            "int",
            required=False,
            minimum=0,
            description="本日の処理済み件数（省略時 0）",
        ),
        Column(
            "correction_waiting",
            "int",
            required=False,
            minimum=0,
            description="残件数のうち補正待ち（省略時 0）",
        ),
    )

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.written: set[int] = set()
        """Hashes of the natural keys this run wrote: tells "an earlier row of
        this file" from "stored before" (a set of ints: flat on long files)."""
        self.masters: dict[str, set[str]] | None = None

    def _master_problems(self, row: ParsedRow) -> list[RowError | None]:
        if self.masters is None:
            self.masters = {
                "location_name": repo.known_locations(self.session),
                "process_name": repo.known_processes(self.session),
                "business_id": repo.known_businesses(self.session),
            }
        problems: list[RowError | None] = []
        for column, (label, import_first) in UNKNOWN_HINTS.items():
            known, value = self.masters[column], row.values[column]
            if value in known or (column == "business_id" and not known):
                continue  # without a business master, any business id is accepted
            listing = (
                _listing(known) if known else f"なし。先に {import_first} を取り込んでください"
            )
            message = f"{label}「{value}」は登録されていません（登録済み: {listing}）"
            problems.append(RowError(row.line, column, message))
        return problems

    def _value_problems(self, row: ParsedRow) -> list[RowError | None]:
        values = row.values
        problems: list[RowError | None] = []
        latest_allowed = self.now + FUTURE_TOLERANCE
        if values["snapshot_time"] > latest_allowed:
            tolerance = FUTURE_TOLERANCE.seconds // 60
            message = (
                f"未来の時刻です（{values['snapshot_time']:%Y-%m-%d %H:%M}。"
                f"現在 {self.now:%Y-%m-%d %H:%M}、{tolerance}分先まで受け付けます）"
            )
            problems.append(RowError(row.line, "snapshot_time", message))
        correction = values.get("correction_waiting") or 0
        if correction > values["total_waiting"]:
            problems.append(
                RowError(
                    row.line,
                    "correction_waiting",
                    f"補正待ち（{correction}）が残件数（{values['total_waiting']}）を超えています",
                )
            )
        return problems

    def check(self, rows: list[ParsedRow]) -> Verdict:
        """Earlier chunks are already in the session, so repeats across chunks
        are found in the database; repeats within the chunk here."""
        by_key = repo.snapshots_by_key(self.session, {natural_key(r.values) for r in rows})
        by_id = repo.snapshots_by_id(
            self.session, {r.values["snapshot_id"] for r in rows if r.values.get("snapshot_id")}
        )
        first_by_key: dict[SnapshotKey, ParsedRow] = {}
        first_by_id: dict[int, ParsedRow] = {}
        verdict = Verdict()
        for row in rows:
            problems = self._master_problems(row) + self._value_problems(row)
            if any(problems):
                verdict.judge(row, problems)
                continue
            key = natural_key(row.values)
            error = self._against_chunk(
                row, key, first_by_key, first_by_id
            ) or self._against_stored(row, by_key.get(key), by_id)
            if error is not None:
                verdict.errors.append(error)
            elif key in first_by_key or key in by_key:
                verdict.unchanged += 1
            else:
                first_by_key[key] = row
                if row.values.get("snapshot_id") is not None:
                    first_by_id[row.values["snapshot_id"]] = row
                verdict.rows.append(row)
        return verdict

    @staticmethod
    def _against_chunk(
        row: ParsedRow,
        key: SnapshotKey,
        first_by_key: dict[SnapshotKey, ParsedRow],
        first_by_id: dict[int, ParsedRow],
    ) -> RowError | None:
        snapshot_id = row.values.get("snapshot_id")
        same_id = first_by_id.get(snapshot_id) if snapshot_id is not None else None
        if same_id is not None and natural_key(same_id.values) != key:
            message = (
                f"snapshot_id {snapshot_id} は{same_id.line}行目の"
                "別のスナップショットに使われています"
            )
            return RowError(row.line, "snapshot_id", message)
        first = first_by_key.get(key)
        if first is not None and _content(first.values) != _content(row.values):
            differences = _differences(
                _content(first.values), _content(row.values), f"{first.line}行目"
            )
            message = (
                f"{first.line}行目と同じ拠点・業務・工程・時刻で値が異なります（{differences}）"
            )
            return RowError(row.line, None, message)
        return None

    def _against_stored(
        self,
        row: ParsedRow,
        same_key: ProgressSnapshot | None,
        by_id: dict[int, ProgressSnapshot],
    ) -> RowError | None:
        content = _content(row.values)
        if same_key is not None and _stored_content(same_key) != content:
            earlier = hash(natural_key(row.values)) in self.written
            differences = _differences(
                _stored_content(same_key), content, "前の行" if earlier else "登録済み"
            )
            if earlier:
                message = (
                    "このファイルの前の行と同じ拠点・業務・工程・時刻で値が異なります"
                    f"（{differences}）"
                )
            else:
                message = (
                    "同じ拠点・業務・工程・時刻のスナップショットが別の値で登録済みです"
                    f"（snapshot_id {same_key.snapshot_id}。{differences}）"
                )
            return RowError(row.line, None, message)
        snapshot_id = row.values.get("snapshot_id")
        same_id = by_id.get(snapshot_id) if snapshot_id is not None else None
        if same_id is not None and same_id is not same_key:
            return RowError(
                row.line,
                "snapshot_id",
                f"snapshot_id {snapshot_id} は別のスナップショット"
                f"（{same_id.location_name}/{same_id.business_id}/{same_id.process_name} "
                f"{same_id.snapshot_time:%Y-%m-%d %H:%M}）として登録済みです",
            )
        return None

    def write(self, rows: list[ParsedRow]) -> Written:
        with_id = [{**DEFAULTS, **r.values} for r in rows if r.values.get("snapshot_id")]
        without_id = [
            {**DEFAULTS, **{k: v for k, v in r.values.items() if k != "snapshot_id"}}
            for r in rows
            if not r.values.get("snapshot_id")
        ]
        for batch in (with_id, without_id):
            if batch:
                self.session.execute(insert(ProgressSnapshot), batch)
        self.written.update(hash(natural_key(r.values)) for r in rows)
        return Written(inserted=len(rows))

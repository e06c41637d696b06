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


def _differences(stored: tuple[Any, ...], incoming: tuple[Any, ...]) -> str:
    return "、".join(
        f"{name}: 登録済み {old} / 今回 {new}"
        for name, old, new in zip(VALUE_COLUMNS, stored, incoming, strict=True)
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
        self.first_by_key: dict[SnapshotKey, tuple[int, tuple[Any, ...]]] = {}
        self.first_by_id: dict[int, tuple[int, SnapshotKey]] = {}
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
        by_key = repo.snapshots_by_key(self.session, {natural_key(r.values) for r in rows})
        by_id = repo.snapshots_by_id(
            self.session, {r.values["snapshot_id"] for r in rows if r.values.get("snapshot_id")}
        )
        verdict = Verdict()
        for row in rows:
            problems = self._master_problems(row) + self._value_problems(row)
            if any(problems):
                verdict.judge(row, problems)
                continue
            key, content = natural_key(row.values), _content(row.values)
            error, repeat = self._against_file(row, key, content)
            error = error or self._against_stored(row, by_key.get(key), by_id, content)
            if error is not None:
                verdict.errors.append(error)
            elif repeat or key in by_key:
                verdict.unchanged += 1
            else:
                verdict.rows.append(row)
        return verdict

    def _against_file(
        self, row: ParsedRow, key: SnapshotKey, content: tuple[Any, ...]
    ) -> tuple[RowError | None, bool]:
        """(error, whether the row repeats an earlier identical row of the batch)."""
        snapshot_id = row.values.get("snapshot_id")
        if snapshot_id is not None:
            first_line, first_key = self.first_by_id.setdefault(snapshot_id, (row.line, key))
            if first_key != key:
                message = (
                    f"snapshot_id {snapshot_id} は{first_line}行目の"
                    "別のスナップショットに使われています"
                )
                return RowError(row.line, "snapshot_id", message), False
        first_line, first_content = self.first_by_key.setdefault(key, (row.line, content))
        if first_line == row.line:
            return None, False
        if first_content != content:
            message = (
                f"{first_line}行目と同じ拠点・業務・工程・時刻で値が異なります"
                f"（{_differences(first_content, content)}）"
            )
            return RowError(row.line, None, message), False
        return None, True

    @staticmethod
    def _against_stored(
        row: ParsedRow,
        same_key: ProgressSnapshot | None,
        by_id: dict[int, ProgressSnapshot],
        content: tuple[Any, ...],
    ) -> RowError | None:
        if same_key is not None and _stored_content(same_key) != content:
            return RowError(
                row.line,
                None,
                "同じ拠点・業務・工程・時刻のスナップショットが別の値で登録済みです"
                f"（snapshot_id {same_key.snapshot_id}。"
                f"{_differences(_stored_content(same_key), content)}）",
            )
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
        return Written(inserted=len(rows))

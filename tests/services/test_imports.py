"""Imports on SQLite and MariaDB: every validation rule names the bad row, a bad
row anywhere stores nothing, re-imports are idempotent, and an export imports
back into an empty database unchanged."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from aimee.errors import Unprocessable
from aimee.services import exports, imports, setup
from aimee.services.imports import engine as import_engine
from aimee.services.imports.snapshots import SnapshotImporter
from aimee.store import db as db_module
from aimee.store.base import Base
from aimee.store.db import create_db_engine, session_factory, transaction
from aimee.store.models import (
    Operator,
    OperatorAssignment,
    OperatorProcessCapability,
    OperatorShift,
    ProgressSnapshot,
)
from aimee.store.repositories import shifts as shift_repo
from aimee.tabular import read_sheet, write_sheet
from tests.conftest import DEMO_NOW

TZ = "Asia/Tokyo"
T0 = DEMO_NOW - timedelta(minutes=10)
DEADLINE = "2025-10-23 16:00"

OPERATORS = """operator_id,operator_name,location_name,is_valid
1,高山麻由子,札幌,true
2,竹下朱美,盛岡,1
3,上野由香利,品川,false
"""
CAPABILITIES = """operator_id,process_name,skill_level,experience_months,average_speed
1,エントリ1,4,36,90
2,エントリ1,3,24,76.5
2,補正,2,,40
3,エントリ2,5,60,95
"""
SNAPSHOT_HEADER = (
    "snapshot_time,location_name,business_id,process_name,"
    "expected_completion_time,total_waiting,entry_count,correction_waiting\n"
)


@pytest.fixture
def db(empty_database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(empty_database_url)
    setup.apply_migrations(engine)
    yield session_factory(engine)
    engine.dispose()


def run(
    sessions: sessionmaker[Session],
    kind: str,
    text: str,
    tmp_path: Path,
    *,
    commit: bool = True,
    encoding: str = "utf-8",
) -> imports.ImportReport:
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(text.encode(encoding))
    return imports.import_sheet(
        sessions, kind, read_sheet(path), commit=commit, now=DEMO_NOW, timezone=TZ
    )


def count(sessions: sessionmaker[Session], model: type[Base]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def messages(report: imports.ImportReport) -> list[str]:
    return [error.describe() for error in report.errors]


def with_masters(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    assert run(sessions, "operators", OPERATORS, tmp_path).committed
    assert run(sessions, "capabilities", CAPABILITIES, tmp_path).committed


def snapshot_line(
    time: str = "2025-10-23 15:30", site: str = "札幌", waiting: str = "120", **extra: str
) -> str:
    values = {
        "snapshot_time": time,
        "location_name": site,
        "business_id": "523201",
        "process_name": "エントリ1",
        "expected_completion_time": DEADLINE,
        "total_waiting": waiting,
        "entry_count": "500",
        "correction_waiting": "4",
        **extra,
    }
    return ",".join(values.values()) + "\n"


# --- masters -------------------------------------------------------------


def test_operators_and_skills_import_in_cp932(db: sessionmaker[Session], tmp_path: Path) -> None:
    report = run(db, "operators", OPERATORS, tmp_path, encoding="cp932")
    assert report.committed and (report.inserted, report.updated) == (3, 0)
    report = run(db, "capabilities", CAPABILITIES, tmp_path, encoding="cp932")
    assert report.committed and report.inserted == 4
    with db() as session:
        valid = {o.operator_name: o.is_valid for o in session.scalars(select(Operator))}
        assert valid == {"高山麻由子": True, "竹下朱美": True, "上野由香利": False}
        speeds = {
            (c.operator_id, c.process_name): (
                c.skill_level,
                c.experience_months,
                float(c.average_speed or 0),
            )
            for c in session.scalars(select(OperatorProcessCapability))
        }
    assert speeds[(2, "エントリ1")] == (3, 24, 76.5)
    assert speeds[(2, "補正")] == (2, None, 40.0)


def test_a_second_import_updates_in_place(db: sessionmaker[Session], tmp_path: Path) -> None:
    with_masters(db, tmp_path)
    changed = OPERATORS.replace("竹下朱美,盛岡", "竹下朱美,札幌")
    report = run(db, "operators", changed, tmp_path)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 2)
    report = run(
        db,
        "capabilities",
        CAPABILITIES.replace("1,エントリ1,4,36,90", "1,エントリ1,5,40,99"),
        tmp_path,
    )
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 3)
    assert count(db, OperatorProcessCapability) == 4


SHIFTS = """operator_id,starts_at,ends_at
1,2025-10-23 09:00,2025-10-23 17:00
2,2025-10-23 10:00,2025-10-23 18:30
2,2025-10-24 09:00,2025-10-24 17:00
"""


def test_shifts_are_checked_and_kept_per_operator_and_day(
    db: sessionmaker[Session], tmp_path: Path
) -> None:
    with_masters(db, tmp_path)
    report = run(db, "shifts", SHIFTS, tmp_path)
    assert (report.inserted, report.updated, report.unchanged) == (3, 0, 0)
    with db() as session:
        assert shift_repo.shift_ends(session, DEMO_NOW.date()) == {
            1: DEMO_NOW.replace(hour=17, minute=0),
            2: DEMO_NOW.replace(hour=18, minute=30),
        }
    later = run(db, "shifts", SHIFTS.replace("2025-10-23 17:00", "2025-10-23 16:00"), tmp_path)
    assert (later.inserted, later.updated, later.unchanged) == (0, 1, 2)
    bad = run(
        db,
        "shifts",
        "operator_id,starts_at,ends_at\n"
        "1,2025-10-23 09:00,2025-10-23 08:00\n"
        "1,2025-10-23 12:00,2025-10-23 20:00\n"
        "9,2025-10-23 09:00,2025-10-23 17:00\n"
        "2,2025-10-25 09:00,2025-10-26 10:00\n",
        tmp_path,
    )
    assert not bad.committed
    assert messages(bad) == [
        "2行目 ends_at: 勤務終了が勤務開始より前（または同じ）です",
        "3行目: オペレータ 1 の10/23の勤務が2行目と重複しています",
        "4行目 operator_id: オペレータ 9 が登録されていません"
        "（先に operators を取り込んでください）",
        "5行目 ends_at: 勤務は24時間以内にしてください",
    ]
    assert count(db, OperatorShift) == 3


def test_assignments_record_when_an_operator_moved(
    db: sessionmaker[Session], tmp_path: Path
) -> None:
    with_masters(db, tmp_path)
    header = "operator_id,location_name,business_id,process_name\n"
    assert run(db, "assignments", header + "2,盛岡,523201,エントリ1\n", tmp_path).committed
    report = run(db, "assignments", header + "2,盛岡,523201,補正\n", tmp_path)
    assert report.updated == 1
    with db() as session:
        row = session.get(OperatorAssignment, 2)
        assert row is not None and (row.process_name, row.since) == ("補正", DEMO_NOW)
    warned = run(db, "assignments", header + "1,札幌,523201,検証\n", tmp_path)
    assert warned.committed
    assert [w.describe() for w in warned.warnings] == [
        "2行目 process_name: 高山麻由子 には工程「検証」のスキルが登録されていません"
        "（処理速度 0 として扱われます）"
    ]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "operators",
            "operator_id,operator_name,location_name\n0,高山,札幌\nx,竹下,盛岡\n5,,盛岡\n",
            [
                "2行目 operator_id: 1以上の整数を指定してください（値: 0）",
                "3行目 operator_id: 整数を指定してください（値: x）",
                "4行目 operator_name: 必須項目です（空欄にできません）",
            ],
        ),
        (
            "operators",
            "operator_id,operator_name,location_name,is_valid\n7,高山,札幌,maybe\n7,竹下,盛岡,true\n",
            [
                "2行目 is_valid: true または false（1 または 0）を指定してください（値: maybe）",
            ],
        ),
        (
            "operators",
            "operator_id,operator_name,location_name\n7,高山,札幌\n7,竹下,盛岡\n",
            ["3行目: operator_id 7が2行目と重複しています"],
        ),
        (
            "operators",
            "operator_id,operator_name,location_name\n7,"
            + "長" * 101
            + ",札幌\n8,高山,札幌,余分\n",
            [
                "2行目 operator_name: 100文字以内で指定してください（101文字）",
                "3行目: ヘッダーより多くの値があります"
                "（区切り文字や値の中のカンマを確認してください）",
            ],
        ),
        (
            "capabilities",
            "operator_id,process_name,skill_level,average_speed\n99,エントリ1,3,80\n1,補正,6,40\n1,検証,3,-1\n",
            [
                "2行目 operator_id: オペレータ 99 が登録されていません"
                "（先に operators を取り込んでください）",
                "3行目 skill_level: 1〜5の整数を指定してください（値: 6）",
                "4行目 average_speed: 0.01〜999.99の数値を指定してください（値: -1）",
            ],
        ),
        (
            "assignments",
            "operator_id,location_name,business_id,process_name,since\n1,札幌,523201,エントリ1,昨日\n",
            [
                "2行目 since: 日時を「2025-10-23 15:40」（ISO 8601）の形式で"
                "指定してください（値: 昨日）"
            ],
        ),
        (
            "businesses",
            "business_id,business_name\n523201,SS\n523201,KP\n52320123456,長すぎ\n",
            [
                "3行目: business_id 523201が2行目と重複しています",
                "4行目 business_id: 10文字以内で指定してください（11文字）",
            ],
        ),
        (
            "knowledge",
            "title,content,category\n応援の心得,,ルール\n応援の心得,本文,ルール\n応援の心得,本文2,ルール\n",
            [
                "2行目 content: 必須項目です（空欄にできません）",
                "4行目: 「応援の心得」が3行目と重複しています",
            ],
        ),
        (
            "capabilities",
            "capability_id,operator_id,process_name,skill_level,average_speed\n"
            "1,1,エントリ1,4,90\n1,2,補正,2,40\n",
            [
                "3行目: capability_id 1が2行目と重複しています",
                "3行目 capability_id: このオペレータと工程のスキルは"
                " capability_id 3 で登録済みです",
            ],
        ),
        (
            "operators",
            "id,operator_name,location\n1,高山,札幌\n",
            [
                "1行目: 不明な列があります: id, location（使える列: operator_id, operator_name, "
                "location_name, is_valid）",
                "1行目: 必須の列がありません: operator_id, location_name",
            ],
        ),
    ],
)
def test_every_bad_row_is_named_and_nothing_is_stored(
    db: sessionmaker[Session], tmp_path: Path, kind: str, text: str, expected: list[str]
) -> None:
    with_masters(db, tmp_path)
    before = {model: count(db, model) for model in (Operator, OperatorProcessCapability)}
    report = run(db, kind, text, tmp_path)
    assert messages(report) == expected
    assert not report.committed and report.inserted == report.updated == 0
    assert {model: count(db, model) for model in before} == before


# --- snapshots -------------------------------------------------------------


def test_snapshot_rules(db: sessionmaker[Session], tmp_path: Path) -> None:
    with_masters(db, tmp_path)
    text = SNAPSHOT_HEADER + "".join(
        [
            snapshot_line(site="札晃"),
            snapshot_line(time="2025-10-23 15:50"),  # 10 min ahead of the clock
            snapshot_line(time="2025-10-23 15:44"),  # within the 5 min tolerance
            snapshot_line(waiting="-3"),
            snapshot_line(time="2025-10-23 15:20", correction_waiting="200"),
            snapshot_line(time="2025-10-23 15:10", process_name="仕分け"),
        ]
    )
    report = run(db, "snapshots", text, tmp_path)
    assert messages(report) == [
        "2行目 location_name: 拠点「札晃」は登録されていません（登録済み: 品川、札幌、盛岡）",
        "3行目 snapshot_time: 未来の時刻です（2025-10-23 15:50。現在 2025-10-23 15:40、"
        "5分先まで受け付けます）",
        "5行目 total_waiting: 0以上の整数を指定してください（値: -3）",
        "6行目 correction_waiting: 補正待ち（200）が残件数（120）を超えています",
        "7行目 process_name: 工程「仕分け」は登録されていません"
        "（登録済み: エントリ1、エントリ2、補正）",
    ]
    assert count(db, ProgressSnapshot) == 0


def test_snapshots_need_the_masters_first(db: sessionmaker[Session], tmp_path: Path) -> None:
    report = run(db, "snapshots", SNAPSHOT_HEADER + snapshot_line(), tmp_path)
    assert messages(report)[0] == (
        "2行目 location_name: 拠点「札幌」は登録されていません"
        "（登録済み: なし。先に operators を取り込んでください）"
    )


def test_the_same_snapshots_twice_are_stored_once(
    db: sessionmaker[Session], tmp_path: Path
) -> None:
    with_masters(db, tmp_path)
    text = SNAPSHOT_HEADER + snapshot_line("2025-10-23 15:20") + snapshot_line("2025-10-23 15:30")
    first = run(db, "snapshots", text + snapshot_line("2025-10-23 15:30"), tmp_path)
    assert (first.inserted, first.unchanged) == (2, 1)  # a repeated line in the file, too
    again = run(db, "snapshots", text, tmp_path)
    assert again.committed and (again.inserted, again.unchanged) == (0, 2)
    assert count(db, ProgressSnapshot) == 2


def test_an_import_that_loses_a_race_says_so_and_stores_nothing(
    db: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports of one file: both check before either writes; the database's
    unique key refuses the second copy. Forced deterministically: the other
    import runs whole between this one's check and its write."""
    with_masters(db, tmp_path)
    text = SNAPSHOT_HEADER + snapshot_line("2025-10-23 15:20") + snapshot_line("2025-10-23 15:30")
    path = tmp_path / "snapshots.csv"
    path.write_text(text, encoding="utf-8")
    write = SnapshotImporter.write

    def the_other_import_first(self: SnapshotImporter, rows: list[Any]) -> Any:
        monkeypatch.setattr(SnapshotImporter, "write", write)
        other = imports.import_sheet(
            db, "snapshots", read_sheet(path), commit=True, now=DEMO_NOW, timezone=TZ
        )
        assert other.committed and other.inserted == 2
        return write(self, rows)

    monkeypatch.setattr(SnapshotImporter, "write", the_other_import_first)
    with pytest.raises(imports.ConcurrentImport) as caught:
        imports.import_sheet(
            db, "snapshots", read_sheet(path), commit=True, now=DEMO_NOW, timezone=TZ
        )
    assert caught.value.message == (
        "別の取り込みが同じ進捗スナップショットを同時に登録したため、"
        "何も取り込んでいません。もう一度実行してください"
    )
    assert count(db, ProgressSnapshot) == 2
    again = run(db, "snapshots", text, tmp_path)
    assert again.committed and (again.inserted, again.unchanged) == (0, 2)


def test_an_import_locked_out_by_another_writer_says_so_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: another import holds the write lock for longer than the busy
    timeout (here none at all, instead of waiting 10 s)."""
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 0)
    database = tmp_path / "locked.sqlite3"
    engine = create_db_engine(f"sqlite:///{database}")
    setup.apply_migrations(engine)
    sessions = session_factory(engine)
    with_masters(sessions, tmp_path)
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the other import, still writing
    try:
        with pytest.raises(imports.ConcurrentImport, match="同時にデータベースを更新していて"):
            run(sessions, "snapshots", SNAPSHOT_HEADER + snapshot_line(), tmp_path)
    finally:
        other.rollback()
        other.close()
    assert count(sessions, ProgressSnapshot) == 0
    assert run(sessions, "snapshots", SNAPSHOT_HEADER + snapshot_line(), tmp_path).committed
    engine.dispose()


def test_other_database_errors_are_not_taken_for_a_race(
    db: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_masters(db, tmp_path)

    def broken(self: SnapshotImporter, rows: list[Any]) -> Any:
        raise OperationalError("INSERT …", {}, Exception("no such table: progress_snapshots"))

    monkeypatch.setattr(SnapshotImporter, "write", broken)
    with pytest.raises(OperationalError):
        run(db, "snapshots", SNAPSHOT_HEADER + snapshot_line(), tmp_path)


def test_different_values_for_a_stored_snapshot_are_refused(
    db: sessionmaker[Session], tmp_path: Path
) -> None:
    with_masters(db, tmp_path)
    assert run(db, "snapshots", SNAPSHOT_HEADER + snapshot_line(), tmp_path).committed
    report = run(db, "snapshots", SNAPSHOT_HEADER + snapshot_line(waiting="118"), tmp_path)
    assert messages(report) == [
        "2行目: 同じ拠点・業務・工程・時刻のスナップショットが別の値で登録済みです"
        "（snapshot_id 1。total_waiting: 登録済み 120 / この行 118）"
    ]


@pytest.mark.parametrize("chunk_rows", [1000, 1])
def test_a_repeated_snapshot_with_other_values_in_one_file_is_named(
    db: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunk_rows: int,
) -> None:
    """Within a chunk the earlier line is named; across chunks (the earlier row is
    already written in the session) it is "the earlier row of this file"."""
    monkeypatch.setattr(import_engine, "CHUNK_ROWS", chunk_rows)
    with_masters(db, tmp_path)
    text = (
        SNAPSHOT_HEADER
        + snapshot_line("2025-10-23 15:00")
        + snapshot_line("2025-10-23 15:10", site="札晃")
        + snapshot_line("2025-10-23 15:00", waiting="7")
        + snapshot_line("2025-10-23 15:00")
    )
    report = run(db, "snapshots", text, tmp_path, commit=False)
    earlier = "2行目と" if chunk_rows > 1 else "このファイルの前の行と"
    label = "2行目" if chunk_rows > 1 else "前の行"
    assert messages(report)[1:] == [
        f"4行目: {earlier}同じ拠点・業務・工程・時刻で値が異なります"
        f"（total_waiting: {label} 120 / この行 7）"
    ]
    assert count(db, ProgressSnapshot) == 0


def test_a_bad_row_after_thousands_of_good_ones_stores_nothing(
    db: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks are written as they pass; the last row's error rolls them all back."""
    monkeypatch.setattr(import_engine, "CHUNK_ROWS", 100)
    with_masters(db, tmp_path)
    good = [
        snapshot_line(f"2025-10-{day:02d} {hour:02d}:{minute:02d}")
        for day in range(1, 23)
        for hour in range(9, 18)
        for minute in (0, 30)
    ]
    text = SNAPSHOT_HEADER + "".join(good) + snapshot_line(site="札晃")
    report = run(db, "snapshots", text, tmp_path)
    assert report.rows == len(good) + 1 and len(good) > 300
    assert messages(report) == [
        f"{len(good) + 2}行目 location_name: 拠点「札晃」は登録されていません"
        "（登録済み: 品川、札幌、盛岡）"
    ]
    assert count(db, ProgressSnapshot) == 0


def test_a_dry_run_counts_but_stores_nothing(db: sessionmaker[Session], tmp_path: Path) -> None:
    with_masters(db, tmp_path)
    report = run(db, "snapshots", SNAPSHOT_HEADER + snapshot_line(), tmp_path, commit=False)
    assert report.ok and not report.committed and report.inserted == 1
    assert count(db, ProgressSnapshot) == 0


# --- ingestion (the API's service) ------------------------------------------


def batch(*times: str, **extra: Any) -> list[dict[str, Any]]:
    return [
        {
            "snapshot_time": time,
            "location_name": "札幌",
            "business_id": "523201",
            "process_name": "エントリ1",
            "expected_completion_time": DEADLINE,
            "total_waiting": 100,
            **extra,
        }
        for time in times
    ]


def ingest(sessions: sessionmaker[Session], rows: list[dict[str, Any]]) -> imports.ImportReport:
    return imports.ingest_snapshots(sessions, rows, now=DEMO_NOW, timezone=TZ)


def test_ingestion_is_idempotent_by_natural_key_and_by_client_key(
    db: sessionmaker[Session], tmp_path: Path
) -> None:
    with_masters(db, tmp_path)
    first = ingest(db, batch("2025-10-23T15:00:00", "2025-10-23T15:10:00"))
    assert (first.rows, first.inserted, first.unchanged) == (2, 2, 0)
    again = ingest(db, batch("2025-10-23T15:00:00", "2025-10-23T15:10:00", "2025-10-23T15:20:00"))
    assert (again.inserted, again.unchanged) == (1, 2)
    keyed = ingest(db, batch("2025-10-23T15:30:00", snapshot_id=9001))
    assert keyed.inserted == 1
    assert ingest(db, batch("2025-10-23T15:30:00", snapshot_id=9001)).unchanged == 1
    with pytest.raises(Unprocessable) as caught:
        ingest(db, batch("2025-10-23T15:35:00", snapshot_id=9001))
    assert caught.value.detail == [
        {
            "row": 0,
            "field": "snapshots.0.snapshot_id",
            "message": "snapshot_id 9001 は別のスナップショット"
            "（札幌/523201/エントリ1 2025-10-23 15:30）として登録済みです",
        }
    ]
    with db() as session:
        stored = session.get(ProgressSnapshot, 9001)
        assert stored is not None and (stored.entry_count, stored.correction_waiting) == (0, 0)
    assert count(db, ProgressSnapshot) == 4


def test_ingestion_converts_aware_times_to_the_operation_zone(
    db: sessionmaker[Session], tmp_path: Path
) -> None:
    with_masters(db, tmp_path)
    ingest(db, batch("2025-10-23T06:30:00Z"))  # 15:30 in Tokyo
    with db() as session:
        times = session.scalars(select(ProgressSnapshot.snapshot_time)).all()
    assert times == [DEMO_NOW - timedelta(minutes=10)]


def test_a_bad_batch_lists_each_row_and_stores_nothing(
    db: sessionmaker[Session], tmp_path: Path
) -> None:
    with_masters(db, tmp_path)
    rows = batch("2025-10-23T15:00:00", "2025-10-23T15:10:00", "2025-10-23T15:20:00")
    rows[1]["location_name"] = "大阪"
    rows[2]["total_waiting"] = -1
    with pytest.raises(Unprocessable) as caught:
        ingest(db, rows)
    assert caught.value.message.startswith(
        "2件の誤りがあるため、どのスナップショットも登録していません"
    )
    assert [(d["row"], d["field"]) for d in caught.value.detail] == [  # type: ignore[attr-defined]
        (1, "snapshots.1.location_name"),
        (2, "snapshots.2.total_waiting"),
    ]
    assert count(db, ProgressSnapshot) == 0


def test_concurrent_identical_batches_store_each_snapshot_once(
    db: sessionmaker[Session], tmp_path: Path
) -> None:
    with_masters(db, tmp_path)
    rows = batch(*(f"2025-10-23T{h:02d}:{m:02d}:00" for h in range(9, 15) for m in range(0, 60, 5)))
    barrier = threading.Barrier(4)
    results: list[object] = []

    def send() -> None:
        barrier.wait()
        try:
            results.append(ingest(db, rows))
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reports = [r for r in results if isinstance(r, imports.ImportReport)]
    assert len(reports) == 4, results
    assert sum(r.inserted for r in reports) == len(rows)
    assert count(db, ProgressSnapshot) == len(rows)


# --- round trip --------------------------------------------------------------

ROUND_TRIP = tuple(imports.IMPORTERS)


def table_rows(session: Session, kind: str) -> list[tuple[Any, ...]]:
    return [
        tuple(float(v) if hasattr(v, "as_tuple") else v for v in row)
        for row in exports.export_rows(session, kind)
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_data(
    demo_engine: Engine, db: sessionmaker[Session], tmp_path: Path, fmt: str
) -> None:
    with transaction(session_factory(demo_engine)) as source:
        for kind in ROUND_TRIP:
            table = exports.EXPORTS[kind]
            path = tmp_path / f"{kind}.{fmt}"
            with path.open("wb") as handle:
                write_sheet(handle, fmt, table.columns, exports.export_rows(source, kind))  # type: ignore[arg-type]
            report = imports.import_sheet(
                db, kind, read_sheet(path), commit=True, now=DEMO_NOW, timezone=TZ
            )
            assert report.committed, messages(report)[:5]
            with db() as target:
                assert table_rows(target, kind) == table_rows(source, kind), kind

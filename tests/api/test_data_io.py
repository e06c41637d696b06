"""Snapshot ingestion and downloads through HTTP, on a copy of the demo day
(ingestion writes; the shared demo database stays untouched)."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from aimee.api.app import create_app
from aimee.config import Settings
from aimee.services import imports
from aimee.services import knowledge as knowledge_service
from aimee.store.db import create_db_engine, session_factory
from aimee.tabular import read_sheet
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW

URL = "/api/v1/progress/snapshots"
APP_NOW = DEMO_NOW + timedelta(minutes=5)
"""Five minutes after the demo's last snapshots: a snapshot sent now is the newest."""


@pytest.fixture(scope="module")
def writable_url(
    demo_sqlite_url: str, tokens: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> str:
    source = demo_sqlite_url.removeprefix("sqlite:///")
    target = tmp_path_factory.mktemp("ingest") / "aimee.sqlite3"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)  # consistent copy, users and tokens included
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def app_client(
    writable_url: str, tokens: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("ingest_data"), database_url=writable_url, now=APP_NOW
    )
    with TestClient(create_app(settings), headers=auth(tokens["admin"])) as client:
        yield client


def snapshot(time: str, waiting: int = 100, **extra: Any) -> dict[str, Any]:
    return {
        "snapshot_time": time,
        "location_name": "札幌",
        "business_id": "523201",
        "process_name": "エントリ1",
        "expected_completion_time": "2025-10-23T16:00:00",
        "total_waiting": waiting,
        "entry_count": 1500,
        "correction_waiting": 3,
        **extra,
    }


def sapporo(client: TestClient) -> dict[str, Any]:
    rows = client.get(
        "/api/v1/progress",
        params={"location": "札幌", "business_id": "523201", "process": "エントリ1"},
    ).json()
    assert len(rows) == 1
    row: dict[str, Any] = rows[0]
    return row


def test_ingested_snapshots_are_stored_once_and_become_the_current_state(
    app_client: TestClient,
) -> None:
    batch = {"snapshots": [snapshot("2025-10-23T15:44:00", 104)]}
    first = app_client.post(URL, json=batch)
    assert first.status_code == 200, first.text
    assert first.json() == {"received": 1, "stored": 1, "duplicates": 0}
    again = app_client.post(URL, json=batch)
    assert again.json() == {"received": 1, "stored": 0, "duplicates": 1}
    current = sapporo(app_client)
    assert (current["snapshot_time"], current["waiting"]) == ("2025-10-23T15:44:00", 104)


def test_a_batch_with_bad_rows_stores_nothing_and_names_them(app_client: TestClient) -> None:
    before = sapporo(app_client)
    rows = [
        snapshot("2025-10-23T15:42:00"),
        snapshot("2025-10-23T15:43:00", location_name="大阪"),
        snapshot("2025-10-23T15:44:00", waiting=-5),
        snapshot("2025-10-23T15:51:00"),
    ]
    response = app_client.post(URL, json={"snapshots": rows})
    assert response.status_code == 422
    body = response.json()
    assert body["error"].startswith("3件の誤りがあるため、どのスナップショットも登録していません")
    assert [(d["row"], d["field"]) for d in body["detail"]] == [
        (1, "snapshots.1.location_name"),
        (2, "snapshots.2.total_waiting"),
        (3, "snapshots.3.snapshot_time"),
    ]
    assert "大阪" in body["detail"][0]["message"]
    assert "未来の時刻です" in body["detail"][2]["message"]
    assert sapporo(app_client) == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"snapshots": []}, "snapshots", "短すぎます"),
        (
            {"snapshots": [{**snapshot("2025-10-23T15:00:00"), "total_waiting": "many"}]},
            "snapshots.0.total_waiting",
            "整数を指定してください",
        ),
        (
            {"snapshots": [{**snapshot("2025-10-23T15:00:00"), "waiting": 3}]},
            "snapshots.0.waiting",
            "使用できない項目です",
        ),
        (
            {"snapshots": [{**snapshot("2025-10-23T15:00:00"), "snapshot_time": "昨日"}]},
            "snapshots.0.snapshot_time",
            "ISO 8601",
        ),
    ],
)
def test_malformed_batches_get_a_readable_422(
    app_client: TestClient, body: dict[str, Any], field: str, message: str
) -> None:
    response = app_client.post(URL, json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["field"] == field
    assert message in detail[0]["message"]


def test_a_batch_is_limited_in_size(app_client: TestClient) -> None:
    rows = [snapshot("2025-10-23T15:00:00")] * 10_001
    response = app_client.post(URL, json={"snapshots": rows})
    assert response.status_code == 422
    assert "最大10000" in response.json()["detail"][0]["message"]


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("approver", 403)])
def test_only_admins_ingest(
    app_client: TestClient, tokens: dict[str, str], role: str, status: int
) -> None:
    batch = {"snapshots": [snapshot("2025-10-23T15:39:00")]}
    response = app_client.post(URL, json=batch, headers=auth(tokens[role]))
    assert response.status_code == status
    assert app_client.post(URL, json=batch, headers={"Authorization": ""}).status_code == 401


# --- downloads ---------------------------------------------------------------


def test_operators_download_as_csv_for_excel(
    app_client: TestClient, tokens: dict[str, str]
) -> None:
    response = app_client.get("/api/v1/exports/operators", headers=auth(tokens["viewer"]))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert (
        response.headers["content-disposition"]
        == "attachment; filename*=UTF-8''aimee_operators_20251023_1545.csv"
    )
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "operator_id,operator_name,location_name,is_valid"
    assert len(lines) == 1 + 140
    assert "17,高山麻由子,盛岡,true" in lines


def test_snapshots_download_as_xlsx_within_a_time_range(app_client: TestClient) -> None:
    response = app_client.get(
        "/api/v1/exports/snapshots",
        params={"format": "xlsx", "from": "2025-10-23T15:30:00", "to": "2025-10-23T15:40:00"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("snapshot_id", "snapshot_time", "location_name")
    times = {row[1] for row in rows[1:]}
    assert times == {DEMO_NOW.replace(minute=30)}  # 15:40 itself is excluded ("to" is exclusive)
    assert len(rows) - 1 == 32


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/api/v1/exports/approvals", {"from": "10月23日"}, 400, "日付（2025-10-23）"),
        ("/api/v1/exports/operators", {"from": "2025-10-23"}, 400, "期間で絞り込めません"),
        ("/api/v1/exports/payroll", {}, 422, "次のいずれか"),
        ("/api/v1/exports/alerts", {"format": "pdf"}, 422, "次のいずれか"),
    ],
)
def test_bad_download_requests_are_explained(
    app_client: TestClient, path: str, params: dict[str, str], status: int, message: str
) -> None:
    response = app_client.get(path, params=params)
    assert response.status_code == status
    assert message in response.text


def test_an_approval_download_lists_the_decision(
    app_client: TestClient, tokens: dict[str, str]
) -> None:
    plan = app_client.post(
        "/api/v1/chat/message",
        json={"message": "札幌のエントリ1工程が遅延しています", "session_id": "export"},
    ).json()
    suggestion_id = plan["suggestion"]["id"]
    decided = app_client.post(
        f"/api/v1/approvals/{suggestion_id}/action",
        json={"action": "reject", "feedback_reason": "様子を見る"},
        headers=auth(tokens["approver"]),
    )
    assert decided.status_code == 200, decided.text
    text = app_client.get("/api/v1/exports/approvals", params={"from": "2025-10-23"}).text
    header, *rows = text.lstrip("\ufeff").splitlines()
    assert header.startswith("approval_history_id,suggestion_id,action_type,action_user")
    assert any(suggestion_id in row and "rejected" in row and "様子を見る" in row for row in rows)


def test_know_how_imported_by_another_process_is_found(
    app_client: TestClient, writable_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`aimee import knowledge` runs in its own process; a running API picks the
    new entry up at its next look at the table."""
    path = tmp_path / "knowledge.csv"
    path.write_text(
        "title,content,category\n夜間の補正応援,夜間帯の補正は那覇の経験者に依頼する,ルール\n",
        encoding="utf-8",
    )
    engine = create_db_engine(writable_url)
    report = imports.import_sheet(
        session_factory(engine),
        "knowledge",
        read_sheet(path),
        commit=True,
        now=APP_NOW,
        timezone="Asia/Tokyo",
    )
    engine.dispose()
    assert report.committed
    monkeypatch.setattr(knowledge_service, "REFRESH_EVERY_S", 0.0)
    hits = app_client.get("/api/v1/knowledge/search", params={"q": "夜間の補正は誰に頼む", "k": 3})
    assert hits.status_code == 200
    assert "夜間の補正応援" in [hit["title"] for hit in hits.json()]

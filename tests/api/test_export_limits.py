"""Exports that would take too long as Excel are refused with what to do instead."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from aimee.services import exports


def test_a_large_xlsx_export_says_to_narrow_it_or_use_csv(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots = client.get("/api/v1/exports/snapshots").text.splitlines()
    total = len(snapshots) - 1
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", total - 1)
    refused = client.get("/api/v1/exports/snapshots", params={"format": "xlsx"})
    assert refused.status_code == 422
    assert refused.json()["error"] == (
        f"Excel形式で書き出せるのは{total - 1:,}行までです（{total:,}行）。"
        "期間（from/to）で絞り込むか、CSVで書き出してください"
    )
    assert refused.json()["detail"] == {"rows": total, "limit": total - 1}
    narrowed = client.get(
        "/api/v1/exports/snapshots",
        params={"format": "xlsx", "from": "2025-10-23T15:00", "to": "2025-10-23T15:40"},
    )
    assert narrowed.status_code == 200
    assert narrowed.content[:2] == b"PK"  # a workbook
    assert client.get("/api/v1/exports/snapshots", params={"format": "csv"}).status_code == 200


def test_a_full_export_gate_answers_busy(client: TestClient) -> None:
    gate = client.app.state.components.exports_gate  # type: ignore[attr-defined]
    holders = [gate.slot("テスト") for _ in range(gate.concurrency)]
    for holder in holders:
        holder.__enter__()
    waiting_allowed, gate.queue = gate.queue, 0
    try:
        busy = client.get("/api/v1/exports/alerts")
    finally:
        gate.queue = waiting_allowed
        for holder in holders:
            holder.__exit__(None, None, None)
    assert busy.status_code == 503
    assert busy.json()["error"].startswith("ファイルの書き出しが混み合っています")
    assert "Retry-After" in busy.headers

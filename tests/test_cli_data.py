"""`aimee import` and `aimee export` as a user runs them."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.test_cli import run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path)}
    assert run(["init"], env).returncode == 0
    return env


def rows(tmp_path: Path, table: str) -> int:
    with sqlite3.connect(tmp_path / "aimee.sqlite3") as connection:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_check_then_import(env: dict[str, str], tmp_path: Path) -> None:
    checked = run(["import", "operators", str(EXAMPLES / "operators.xlsx"), "--check"], env)
    assert checked.returncode == 0, checked.stderr
    assert "OK: all 140 rows can be imported (140 new, 0 updated, 0 unchanged)" in checked.stderr
    assert rows(tmp_path, "operators") == 0
    imported = run(["import", "operators", str(EXAMPLES / "operators.csv")], env)
    assert imported.returncode == 0, imported.stderr
    assert "Imported 140 operators rows (140 new" in imported.stderr
    assert rows(tmp_path, "operators") == 140


def test_bad_rows_are_listed_and_nothing_is_imported(env: dict[str, str], tmp_path: Path) -> None:
    for kind in ("businesses", "operators", "capabilities"):
        assert run(["import", kind, str(EXAMPLES / f"{kind}.csv")], env).returncode == 0
    errors = tmp_path / "errors.csv"
    result = run(
        [
            "import",
            "snapshots",
            str(EXAMPLES / "snapshots_with_errors.csv"),
            "--errors",
            str(errors),
        ],
        env,
    )
    assert result.returncode == 1
    output = " ".join(result.stderr.split())  # the console wraps long lines
    assert "3行目 location_name: 拠点「大阪」は登録されていません" in output
    assert "4 bad rows in 5: nothing was imported." in output
    assert rows(tmp_path, "progress_snapshots") == 0
    lines = errors.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "line,column,message" and len(lines) == 1 + 4


def test_a_shift_jis_file_is_read(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "operators_sjis.csv"
    path.write_bytes("operator_id,operator_name,location_name\n1,高山麻由子,札幌\n".encode("cp932"))
    result = run(["import", "operators", str(path)], env)
    assert result.returncode == 0, result.stderr
    assert "1 rows, cp932" in result.stderr
    with sqlite3.connect(tmp_path / "aimee.sqlite3") as connection:
        assert connection.execute("SELECT operator_name FROM operators").fetchone() == (
            "高山麻由子",
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "payroll", "x.csv"], "unknown kind 'payroll'"),
        (["import", "operators", "missing.csv"], "ファイルが見つかりません"),
        (["export", "operators", "--format", "xlsx"], "xlsx needs --output FILE"),
        (["export", "approvals", "--from", "昨日"], "--from は日付（2025-10-23）または日時"),
    ],
)
def test_usage_errors_exit_2_with_a_reason(
    env: dict[str, str], args: list[str], message: str
) -> None:
    result = run(args, env)
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split())


def test_export_to_stdout_imports_back(env: dict[str, str], tmp_path: Path) -> None:
    assert run(["import", "operators", str(EXAMPLES / "operators.csv")], env).returncode == 0
    exported = run(["export", "operators"], env)
    assert exported.returncode == 0
    assert exported.stdout.lstrip("\ufeff").splitlines()[0] == (
        "operator_id,operator_name,location_name,is_valid"
    )
    shipped = (EXAMPLES / "operators.csv").read_bytes().decode("utf-8")
    assert exported.stdout.splitlines() == shipped.splitlines()
    again = run(["import", "operators", str(EXAMPLES / "operators.csv")], env)
    assert "(0 new, 0 updated, 140 unchanged)" in again.stderr

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


def test_a_half_width_kana_cp932_file_is_not_read_as_utf8(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "operators_kana.csv"
    data = "operator_id,operator_name,location_name\n1,ﾃｽﾄｱ,Sapporo\n".encode("cp932")
    assert data.decode("utf-8").count("ý") == 1  # the bytes are valid UTF-8 (mojibake)
    path.write_bytes(data)
    result = run(["import", "operators", str(path)], env)
    assert result.returncode == 0, result.stderr
    assert "1 rows, cp932" in result.stderr
    assert "--encoding utf-8" in result.stderr  # the user is told how to overrule it
    with sqlite3.connect(tmp_path / "aimee.sqlite3") as connection:
        assert connection.execute("SELECT operator_name FROM operators").fetchone() == ("ﾃｽﾄｱ",)


def test_a_cp932_export_of_what_cp932_cannot_hold_writes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "knowledge.csv"
    source.write_text(
        "title,content,category\n"
        "寿司の日,昼は混む,ルール\n"
        "寿司の日🍣,昼は🍣が混む,ルール\n"
        "𠮷野家,夜は空く,過去事例\n",
        encoding="utf-8",
    )
    assert run(["import", "knowledge", str(source)], env).returncode == 0
    output = tmp_path / "out.csv"
    output.write_bytes(b"the previous export\r\n")
    result = run(["export", "knowledge", "--encoding", "cp932", "-o", str(output)], env)
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "cp932 で書けない文字があるため出力していません" in message
    assert "3行目（document_id 2）の title: 「🍣」(U+1F363)" in message
    assert "3行目（document_id 2）の content: 「🍣」(U+1F363)" in message
    assert "4行目（document_id 3）の title: 「𠮷」(U+20BB7)" in message
    assert "--encoding utf-8-sig なら出力できます" in message
    assert output.read_bytes() == b"the previous export\r\n"  # left as it was
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []
    on_stdout = run(["export", "knowledge", "--encoding", "cp932"], env)
    assert (on_stdout.returncode, on_stdout.stdout) == (1, "")
    fresh = tmp_path / "fresh.csv"
    assert (
        run(["export", "knowledge", "--encoding", "cp932", "-o", str(fresh)], env).returncode == 1
    )
    assert not fresh.exists()
    utf8 = run(["export", "knowledge", "-o", str(fresh)], env)
    assert utf8.returncode == 0 and "🍣" in fresh.read_text(encoding="utf-8-sig")


def test_the_loser_of_an_import_race_gets_one_line_and_exit_3(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forced deterministically: the other import runs whole between this one's
    checks and its writes (as two `aimee import` started together do)."""
    from sqlalchemy.orm import sessionmaker
    from typer.testing import CliRunner

    from aimee.cli import app
    from aimee.config import get_settings
    from aimee.services import imports
    from aimee.services.imports.snapshots import SnapshotImporter
    from aimee.tabular import read_sheet

    for kind in ("businesses", "operators", "capabilities"):
        assert run(["import", kind, str(EXAMPLES / f"{kind}.csv")], env).returncode == 0
    path = tmp_path / "snapshots.csv"
    shipped = (EXAMPLES / "snapshots.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(shipped[:4]) + "\n", encoding="utf-8")
    write = SnapshotImporter.write

    def the_other_import_first(self: SnapshotImporter, rows: list[object]) -> object:
        monkeypatch.setattr(SnapshotImporter, "write", write)
        sessions = sessionmaker(bind=self.session.get_bind())
        other = imports.import_sheet(
            sessions,
            "snapshots",
            read_sheet(path),
            commit=True,
            now=self.now,
            timezone="Asia/Tokyo",
        )
        assert other.committed and other.inserted == 3
        return write(self, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(SnapshotImporter, "write", the_other_import_first)
    monkeypatch.setenv("AIMEE_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["import", "snapshots", str(path)])
    assert result.exit_code == 3, result.output
    errors = [line for line in result.output.splitlines() if "error" in line]
    assert errors == [
        "error: 別の取り込みが同じ進捗スナップショットを同時に登録したため、"
        "何も取り込んでいません。もう一度実行してください"
    ]
    assert "IntegrityError" not in result.output and "INSERT" not in result.output
    assert rows(tmp_path, "progress_snapshots") == 3
    again = run(["import", "snapshots", str(path)], env)
    assert again.returncode == 0 and "(0 new, 0 updated, 3 unchanged)" in again.stderr


def test_an_export_through_a_symlink_writes_the_file_it_points_to(
    env: dict[str, str], tmp_path: Path
) -> None:
    """The export is written aside and moved into place: through a link, the
    file the link names is replaced, the link stays, and its mode is kept."""
    real = tmp_path / "reports" / "operators.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    result = run(["export", "businesses", "-o", str(link)], env)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8-sig").startswith("business_id,business_name")
    assert real.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in real.parent.iterdir()] == ["operators.csv"]


def test_the_command_line_and_the_api_offer_every_kind() -> None:
    """The CLI spells the kinds out (importing the services would slow every command)
    and the API lists them for its schema: both follow the registries."""
    from typing import get_args

    from aimee.api.routers.exports import ExportKind
    from aimee.cli import data
    from aimee.services.exports import EXPORTS
    from aimee.services.imports import IMPORTERS

    assert tuple(IMPORTERS) == data.IMPORT_KINDS  # the order a new database is filled in
    assert set(data.EXPORT_KINDS) == set(EXPORTS) == set(get_args(ExportKind))

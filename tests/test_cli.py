"""The installed ``aimee`` command, as a user runs it."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

AIMEE = str(Path(sys.executable).parent / "aimee")


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AIMEE, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_init_demo_creates_the_seed_tables_in_the_data_dir(tmp_path: Path) -> None:
    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path)}
    env.pop("AIMEE_NOW")
    result = run(["init", "--demo", "--now", "2025-10-23T15:40:00"], env)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "aimee.sqlite3"
    assert database.exists()
    with sqlite3.connect(database) as connection:
        count = connection.execute

        assert count("SELECT COUNT(*) FROM operators").fetchone()[0] >= 100
        assert count("SELECT COUNT(DISTINCT location_name) FROM operators").fetchone()[0] == 5
        processes = "SELECT COUNT(DISTINCT process_name) FROM operator_process_capabilities"
        assert count(processes).fetchone()[0] == 4
        assert count("SELECT COUNT(*) FROM progress_snapshots").fetchone()[0] >= 100
        latest = count(
            "SELECT total_waiting, expected_completion_time FROM progress_snapshots "
            "WHERE location_name='札幌' AND business_id='523201' AND process_name='エントリ1' "
            "ORDER BY snapshot_time DESC LIMIT 1"
        ).fetchone()
        assert latest == (120, "2025-10-23 16:00:00.000000")

    again = run(["init", "--demo"], env)
    assert again.returncode == 1
    assert "--reset" in again.stderr


def test_a_bad_setting_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path), "AIMEE_REDIS_URL": "localhost"}
    result = run(["init"], env)
    assert result.returncode == 2
    assert "AIMEE_REDIS_URL" in result.stderr


def test_plan_prints_only_json_and_names_a_bad_field(tmp_path: Path) -> None:
    import json

    from tests.api.test_plan import SCENARIO

    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path)}
    good = tmp_path / "scenario.json"
    good.write_text(json.dumps(SCENARIO, ensure_ascii=False), encoding="utf-8")
    result = run(["plan", "--scenario", str(good)], env)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["objective"]["after"] == 0.0
    assert plan["moves"][0]["operator_name"] == "高山麻由子"

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**SCENARIO, "now": "soon"}), encoding="utf-8")
    result = run(["plan", "--scenario", str(bad)], env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "now" in result.stderr


def test_chat_runs_one_turn(tmp_path: Path) -> None:
    import json

    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path), "AIMEE_NOW": "2025-10-23T15:40:00"}
    assert run(["init", "--demo", "--now", "2025-10-23T15:40:00"], env).returncode == 0
    result = run(["chat", "梅田のエントリ1の残件数は？", "--json"], env)
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["intent"]["intent_type"] == "status_inquiry"
    assert "梅田のエントリ1" in reply["response"]
    assert reply["answer_source"] == "template"


def test_user_add_prints_the_token_last(tmp_path: Path) -> None:
    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path)}
    assert run(["init"], env).returncode == 0
    result = run(["user", "add", "山田太郎", "--role", "approver"], env)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("aimee_")
    listed = run(["user", "list"], env)
    assert "山田太郎" in listed.stdout and "approver" in listed.stdout
    assert run(["user", "add", "山田太郎"], env).returncode == 1
    assert run(["user", "revoke", "山田太郎"], env).returncode == 0
    assert run(["user", "revoke", "誰か"], env).returncode == 1


def test_a_user_s_site_is_recorded_and_checked(tmp_path: Path) -> None:
    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path)}
    assert run(["init", "--demo"], env).returncode == 0
    added = run(["user", "add", "比嘉", "--role", "approver", "--site", "那覇"], env)
    assert added.returncode == 0, added.stderr
    assert "那覇" in run(["user", "list"], env).stdout
    unknown = run(["user", "site", "比嘉", "福岡"], env)
    assert unknown.returncode == 1 and "known sites" in unknown.stdout + unknown.stderr
    assert run(["user", "site", "比嘉"], env).returncode == 2  # neither a site nor --clear
    assert "那覇" in run(["user", "list"], env).stdout
    assert "none" in run(["user", "site", "比嘉", "--clear"], env).stderr
    assert "那覇" not in run(["user", "list"], env).stdout


def test_user_passwords_are_read_from_stdin_and_checked(tmp_path: Path) -> None:
    from aimee.services import sign_in
    from aimee.store.db import create_db_engine, session_factory, transaction

    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path)}
    assert run(["init"], env).returncode == 0
    short = run(["user", "add", "佐藤", "--password"], env, stdin="short\n")
    assert short.returncode == 1
    assert "8文字以上" in short.stdout + short.stderr
    added = run(["user", "add", "佐藤", "--role", "approver", "--password"], env, "札幌の朝 0800\n")
    assert added.returncode == 0, added.stderr
    assert "Signs in to the dashboard" in added.stderr  # messages on stderr, the token on stdout
    assert "yes" in run(["user", "list"], env).stdout
    reset = run(["user", "password", "佐藤"], env, stdin="盛岡の夜 2200\n")
    assert reset.returncode == 0, reset.stderr
    assert run(["user", "password", "誰か"], env, stdin="盛岡の夜 2200\n").returncode == 1

    engine = create_db_engine(f"sqlite:///{tmp_path / 'aimee.sqlite3'}")
    with transaction(session_factory(engine)) as session:
        moment, hour = datetime(2026, 12, 6), timedelta(hours=1)
        signed = sign_in.sign_in(session, "佐藤", "盛岡の夜 2200", now=moment, ttl=hour)
        assert signed.user.role == "approver"
    engine.dispose()


def test_alerts_scan_reports_the_seed_delay_risk(tmp_path: Path) -> None:
    import json

    env = {
        **os.environ,
        "AIMEE_DATA_DIR": str(tmp_path),
        "AIMEE_NOW": "2025-10-23T15:40:00",
        "COLUMNS": "200",
    }
    assert run(["init", "--demo", "--now", "2025-10-23T15:40:00"], env).returncode == 0
    result = run(["alerts", "scan"], env)
    assert result.returncode == 0, result.stderr
    seed_row = next(line for line in result.stdout.splitlines() if "札幌のエントリ1" in line)
    assert "delay_risk" in seed_row and "high" in seed_row
    assert "納期16:00まで残り20分、約20件が納期に残る見込みです" in seed_row
    again = json.loads(run(["alerts", "scan", "--json"], env).stdout)
    assert (again["created"], again["updated"], again["resolved"]) == (0, 0, 0)
    assert again["open"] == again["unchanged"] == len(again["live"])
    assert any(
        (a["location"], a["business_id"], a["process"], a["alert_type"])
        == ("札幌", "523201", "エントリ1", "delay_risk")
        for a in again["live"]
    )
    assert "--no-worker" in run(["serve", "--help"], env).stdout

    import signal

    worker = subprocess.Popen(
        [AIMEE, "worker"], env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert worker.stderr is not None
    try:
        logged = ""
        while "alert scan at" not in logged:
            line = worker.stderr.readline()
            assert line, "the worker ended before scanning"
            logged += line
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
    finally:
        worker.kill()
    assert "32 queues: 0 created, 0 updated, 0 resolved" in logged


def test_init_demo_refuses_a_scale_below_the_demo_day(tmp_path: Path) -> None:
    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path)}
    result = run(["init", "--demo", "--now", "2025-10-23T15:40:00", "--scale", "1000"], env)
    assert result.returncode == 1
    assert "--scale must be at least 1312" in result.stderr
    with sqlite3.connect(tmp_path / "aimee.sqlite3") as connection:
        assert connection.execute("SELECT COUNT(*) FROM progress_snapshots").fetchone() == (0,)


def test_outcomes_records_what_happened_after_the_deadline(tmp_path: Path) -> None:
    """A plan approved and carried out at 15:40; the feed says three tasks were left
    at 札幌's エントリ1 deadline (16:00): at 16:05 `aimee outcomes` records them."""
    import json
    from datetime import datetime, timedelta

    from aimee.services import users
    from aimee.services.approvals import ApprovalService
    from aimee.services.planning import suggest_for
    from aimee.services.scenarios import ScenarioFilter
    from aimee.store.db import create_db_engine, session_factory, transaction
    from aimee.store.models import ProgressSnapshot
    from tests.conftest import POLICY

    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    assert run(["init", "--demo", "--now", "2025-10-23T15:40:00"], env).returncode == 0
    now = datetime(2025, 10, 23, 15, 40)
    engine = create_db_engine(f"sqlite:///{tmp_path / 'aimee.sqlite3'}")
    with transaction(session_factory(engine)) as session:
        manager = users.add_user(session, "承認者", "approver", now=now)[0]
        focus = ScenarioFilter("札幌", "523201", "エントリ1")
        focused = suggest_for(session, focus, now=now, policy=POLICY, created_by=None)
        assert focused is not None and focused.suggestion is not None
        service = ApprovalService()
        history = service.act(session, focused.suggestion.id, "approve", user=manager, now=now)
        for status in ("executing", "completed"):
            service.set_execution(session, history.approval_history_id, status, now=now)
        deadline = datetime(2025, 10, 23, 16, 0)
        session.add(
            ProgressSnapshot(
                snapshot_time=deadline - timedelta(minutes=1),
                location_name="札幌",
                business_id="523201",
                process_name="エントリ1",
                expected_completion_time=deadline,
                total_waiting=3,
            )
        )
    engine.dispose()

    early = run(["outcomes"], {**env, "AIMEE_NOW": "2025-10-23T16:04:00"})
    assert early.returncode == 0 and "No outcome was due." in early.stdout
    result = run(["outcomes", "--json"], {**env, "AIMEE_NOW": "2025-10-23T16:05:00"})
    assert result.returncode == 0, result.stderr
    (recorded,) = json.loads(result.stdout)
    assert (recorded["location"], recorded["process"], recorded["role"]) == (
        "札幌",
        "エントリ1",
        "target",
    )
    assert (recorded["actual_late"], recorded["actual_completion"]) == (3, None)
    assert recorded["approval_history_id"] == history.approval_history_id
    assert (
        "No outcome was due."
        in run(["outcomes"], {**env, "AIMEE_NOW": "2025-10-23T16:06:00"}).stdout
    )


def test_a_database_that_cannot_be_reached_is_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "AIMEE_DATA_DIR": str(tmp_path),
        "AIMEE_DATABASE_URL": "mysql+pymysql://root:hunter2@127.0.0.1:1/aimee",
        "COLUMNS": "300",
    }
    for command in (["serve", "--port", "1"], ["alerts", "scan"], ["init"]):
        result = run(command, env)
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(
            "error: cannot reach the database mysql+pymysql://root:***@127.0.0.1:1/aimee "
            "(AIMEE_DATABASE_URL):"
        )
        assert "hunter2" not in result.stderr


def _listening(port: int = 0) -> socket.socket:
    """A socket listening on 127.0.0.1 (port 0: any free port), as a running server holds."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen()
    return server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_demo_with_a_busy_port_says_which_and_starts_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "AIMEE_DATA_DIR": str(tmp_path)}
    for busy_name, (api_busy, ui_busy) in {
        "API": (True, False),
        "dashboard": (False, True),
    }.items():
        held = _listening()
        held_port = held.getsockname()[1]
        try:
            api_port = held_port if api_busy else _free_port()
            ui_port = held_port if ui_busy else _free_port()
            args = ["demo", "--host", "127.0.0.1", "--port", str(api_port)]
            result = run([*args, "--ui-port", str(ui_port)], env)
        finally:
            held.close()
        assert result.returncode == 1
        out = (result.stdout + result.stderr).strip()  # the console writes to stderr
        assert len(out.splitlines()) == 1, out  # one line, and nothing else printed
        assert f"port {held_port} ({busy_name}) is already in use" in out
        assert f"aimee demo --port {api_port + 100} --ui-port {ui_port + 100}" in out
        assert 'make demo ARGS="--port' in out
        assert "Token" not in out and "http://" not in out
        assert not (tmp_path / "aimee.sqlite3").exists()  # nothing set up either


def test_make_demo_passes_its_args_to_the_command() -> None:
    makefile = Path(__file__).parents[1] / "Makefile"
    dry_run = subprocess.run(
        ["make", "-n", "-f", str(makefile), "demo", "ARGS=--port 8100 --ui-port 8601"],
        cwd=makefile.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "aimee demo --port 8100 --ui-port 8601" in dry_run.stdout, dry_run.stdout

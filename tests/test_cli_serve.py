"""`aimee serve`: how many API workers by default, and one alert scan however many run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from aimee.cli import server
from aimee.config import Settings


@pytest.mark.parametrize(
    ("cpus", "available_mb", "expected"),
    [
        (2, 23_000, 2),  # this machine: one per core
        (8, 2_600, 3),  # memory for three workers beside the reserve
        (4, 900, 1),  # never fewer than one
        (1, 64_000, 1),
        (6, None, 6),  # memory unknown (no /proc/meminfo): one per core
    ],
)
def test_default_workers_one_per_core_as_memory_allows(
    cpus: int, available_mb: int | None, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "_available_mb", lambda: available_mb)
    assert server.default_workers(cpus=cpus) == expected


def test_default_workers_reads_this_machine() -> None:
    assert 1 <= server.default_workers() <= server._usable_cpus()


class FakeScanner:
    def __init__(self) -> None:
        self.started = 0
        self.stopped = 0

    def start(self) -> None:
        self.started += 1

    def stop(self) -> None:
        self.stopped += 1


def _served(monkeypatch: pytest.MonkeyPatch, workers: int, *, alert_worker: bool) -> Any:
    import uvicorn

    scanners: list[FakeScanner] = []
    runs: list[dict[str, Any]] = []

    def make_scanner(settings: object) -> FakeScanner:
        scanners.append(FakeScanner())
        return scanners[-1]

    monkeypatch.setattr(server, "_alert_worker", make_scanner)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: runs.append(kwargs))
    settings = Settings(log_level="WARNING")
    server._serve(settings, "127.0.0.1", 8000, workers, alert_worker=alert_worker)
    return scanners, runs


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_one_alert_scan_in_the_serving_process_however_many_workers(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanners, runs = _served(monkeypatch, workers, alert_worker=True)
    assert [r["workers"] for r in runs] == [workers]
    assert runs[0]["factory"] is True  # each worker builds its app with create_app
    assert [(s.started, s.stopped) for s in scanners] == [(1, 1)]


def test_no_alert_scan_with_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    scanners, runs = _served(monkeypatch, 2, alert_worker=False)
    assert scanners == [] and len(runs) == 1


def test_api_workers_never_start_an_alert_scan() -> None:
    """A uvicorn worker runs ``create_app`` and its lifespan: nothing there (nor in what
    they build) starts the scan, so N workers still scan once per interval."""
    root = Path(server.__file__).resolve().parents[1]
    for path in [*sorted((root / "api").rglob("*.py")), root / "bootstrap.py"]:
        source = path.read_text(encoding="utf-8")
        assert "AlertWorker" not in source and "services.worker" not in source, path


def _serve_command(
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    redis_url: str | None,
    *,
    cache_dir: Path | None = None,
    data_dir: Path | None = None,
) -> tuple[list[tuple[int, Path | None, str | None]], str]:
    """``aimee serve ARGS`` with uvicorn replaced: (workers, the settings' cache dir,
    AIMEE_CACHE_DIR as the workers would see it) per start, and the output."""
    from typer.testing import CliRunner

    from aimee.cli.common import app
    from aimee.config import get_settings

    for name, value in (("AIMEE_REDIS_URL", redis_url), ("AIMEE_CACHE_DIR", cache_dir)):
        if value:
            monkeypatch.setenv(name, str(value))
        else:
            monkeypatch.delenv(name, raising=False)
    if data_dir is not None:
        monkeypatch.setenv("AIMEE_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    started: list[tuple[int, Path | None, str | None]] = []
    monkeypatch.setattr(server, "require_schema", lambda settings: None)
    monkeypatch.setattr(server, "default_workers", lambda: 3)

    def serve(settings: Settings, host: str, port: int, workers: int, alert_worker: bool) -> None:
        started.append((workers, settings.cache_dir, os.environ.get("AIMEE_CACHE_DIR")))

    monkeypatch.setattr(server, "_serve", serve)
    try:
        result = CliRunner().invoke(app, ["serve", *args])
    finally:
        get_settings.cache_clear()
        if cache_dir is None:  # the command sets it for its workers
            os.environ.pop("AIMEE_CACHE_DIR", None)
    assert result.exit_code == 0, result.output
    return started, result.output


def test_serve_uses_the_cores_when_the_workers_share_redis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started, _ = _serve_command(monkeypatch, [], "redis://127.0.0.1:6379/15")
    assert started == [(3, None, None)]


def test_serve_uses_the_cores_sharing_a_cache_file_without_redis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The workers share conversations in a SQLite file under the data dir: a follow-up
    reaching another worker knows what it follows."""
    started, output = _serve_command(monkeypatch, [], None, data_dir=tmp_path)
    expected = (tmp_path / "cache").resolve()
    assert started == [(3, expected, str(expected))]
    assert "warning" not in output


def test_one_worker_keeps_its_cache_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    started, _ = _serve_command(monkeypatch, ["--workers", "1"], None)
    assert started == [(1, None, None)]


def test_a_cache_dir_of_the_user_is_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    started, _ = _serve_command(monkeypatch, ["--workers", "2"], None, cache_dir=tmp_path)
    assert started == [(2, tmp_path, str(tmp_path))]


def test_demo_waits_for_the_api_before_giving_its_addresses() -> None:
    """The API answers 503 while its database is not ready and nothing while it loads."""
    answers = iter([0, 0, 503, 200])
    asked: list[str] = []
    pauses: list[float] = []

    def get(url: str) -> int:
        asked.append(url)
        return next(answers)

    ready = server.wait_until_ready("http://api/health", attempts=10, get=get, pause=pauses.append)
    assert ready
    assert asked == ["http://api/health"] * 4
    assert pauses == [server.READY_POLL_S] * 3


def test_demo_gives_up_waiting_after_its_attempts() -> None:
    pauses: list[float] = []
    ready = server.wait_until_ready(
        "http://api/health", attempts=3, get=lambda _: 0, pause=pauses.append
    )
    assert not ready
    assert len(pauses) == 2  # no pause after the last attempt


def test_an_unreachable_address_reads_as_no_answer() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on: bound, never accepting
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        assert server._status_of(f"http://127.0.0.1:{port}/api/v1/health") == 0

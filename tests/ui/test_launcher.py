"""How `aimee ui` and `aimee demo` start the dashboard."""

from __future__ import annotations

import subprocess

import httpx
import pytest

from aimee.ui.launcher import SERVED, dashboard_env, streamlit_command
from tests.ui.test_browser import running_dashboard


def test_the_dashboard_is_bound_headless_and_quiet() -> None:
    command = streamlit_command("127.0.0.1", 8601)
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert command[2:5] == ["streamlit", "run", str(SERVED)]
    assert SERVED.is_file()
    assert options["--server.address"] == "127.0.0.1"  # no wildcard: no external address lookup
    assert options["--server.port"] == "8601"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"


def test_the_dashboard_is_pointed_at_the_api() -> None:
    assert dashboard_env("http://127.0.0.1:8123")["AIMEE_API_URL"] == "http://127.0.0.1:8123"


def test_aimee_ui_talks_to_aimee_api_url_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regression: the --api-url default overrode AIMEE_API_URL."""

    from typer.testing import CliRunner

    from aimee.cli import app

    seen: list[str] = []
    monkeypatch.setattr(
        subprocess, "run", lambda *args, env, **kwargs: seen.append(env["AIMEE_API_URL"])
    )
    monkeypatch.setenv("AIMEE_API_URL", "http://api.internal:9000")
    assert CliRunner().invoke(app, ["ui"]).exit_code == 0
    assert CliRunner().invoke(app, ["ui", "--api-url", "http://other:1"]).exit_code == 0
    assert seen == ["http://api.internal:9000", "http://other:1"]


def test_no_other_site_may_frame_the_dashboard() -> None:
    """The served dashboard (a real Streamlit process) says so on every response:
    the page, its static files and its health check."""
    with running_dashboard("http://127.0.0.1:9") as url:
        health = httpx.get(f"{url}/_stcore/health", timeout=10)
        page = httpx.get(url, timeout=10)
    assert (health.status_code, page.status_code) == (200, 200)
    assert "<html" in page.text.lower()
    for response in (health, page):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"

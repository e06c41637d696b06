"""How `aimee ui` and `aimee demo` start the dashboard."""

from __future__ import annotations

from aimee.ui.launcher import APP, dashboard_env, streamlit_command


def test_the_dashboard_is_bound_headless_and_quiet() -> None:
    command = streamlit_command("127.0.0.1", 8601)
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert command[2:5] == ["streamlit", "run", str(APP)]
    assert APP.is_file()
    assert options["--server.address"] == "127.0.0.1"  # no wildcard: no external address lookup
    assert options["--server.port"] == "8601"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"


def test_the_dashboard_is_pointed_at_the_api() -> None:
    assert dashboard_env("http://127.0.0.1:8123")["AIMEE_API_URL"] == "http://127.0.0.1:8123"

"""Start the dashboard (``streamlit run aimee/ui/serve.py``: ``app.py`` behind the
frame guard) as a child process pointed at an API, and stop it again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from aimee.ui.state import API_URL_ENV

SERVED = Path(__file__).with_name("serve.py")
DEFAULT_UI_PORT = 8501
STOP_TIMEOUT_S = 10.0


def streamlit_command(host: str, port: int) -> list[str]:
    """Bound to ``host`` (never a wildcard, so Streamlit looks up no external
    address), headless, no usage statistics, no file watching."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(SERVED),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--theme.base",
        "light",
    ]


def dashboard_env(api_url: str) -> dict[str, str]:
    return {**os.environ, API_URL_ENV: api_url}


def start_dashboard(host: str, port: int, api_url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(streamlit_command(host, port), env=dashboard_env(api_url))


def stop_dashboard(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill if it does not exit in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
